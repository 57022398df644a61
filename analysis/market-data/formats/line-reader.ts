import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { TextDecoder } from "node:util";
import { createGunzip } from "node:zlib";

/** Lines of a text file in chunks, with how far through the (possibly compressed) file the reader is. */
export interface LineChunk {
  lines: string[];
  /** Number of the chunk's first line, 1-based. */
  firstLine: number;
  /** Bytes of the file read so far (compressed bytes for gzip). */
  bytesRead: number;
}

/** True when the file starts with the gzip magic bytes, whatever its name. */
async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Size of the file on disk, the total for progress bars. */
export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}

/**
 * Streams a text file (gzip transparently) as chunks of lines, without loading it whole. Handles CRLF, a
 * UTF-8 byte-order mark, and UTF-16LE (MetaTrader 5 writes its exports that way); a final line without a
 * newline is included.
 */
export async function* readLineChunks(file: string): AsyncGenerator<LineChunk> {
  const gzip = await isGzip(file);
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const bytes = gzip ? raw.pipe(createGunzip()) : raw;
  let decoder: TextDecoder | undefined;
  let rest = "";
  let line = 1;
  try {
    for await (const buf of bytes as AsyncIterable<Buffer>) {
      if (!decoder) {
        // The decoders drop their own byte-order mark.
        decoder = new TextDecoder(buf[0] === 0xff && buf[1] === 0xfe ? "utf-16le" : "utf-8");
      }
      const lines = (rest + decoder.decode(buf, { stream: true })).split("\n");
      rest = lines.pop() ?? "";
      for (let i = 0; i < lines.length; i++) {
        const l = lines[i]!;
        if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
      }
      yield { lines, firstLine: line, bytesRead: raw.bytesRead };
      line += lines.length;
    }
    rest += decoder?.decode() ?? "";
    if (rest.charCodeAt(rest.length - 1) === 13) rest = rest.slice(0, -1);
    if (rest !== "") yield { lines: [rest], firstLine: line, bytesRead: raw.bytesRead };
  } finally {
    raw.destroy();
  }
}

/** The first `count` lines of a file (for format detection). */
export async function headLines(file: string, count: number): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of readLineChunks(file)) {
    for (const l of chunk.lines) {
      out.push(l);
      if (out.length >= count) return out;
    }
  }
  return out;
}
