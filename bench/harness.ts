import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const BENCH_DIR = import.meta.dirname;

/** Machine facts stored with every result, so figures are compared only like for like. */
function machine() {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model ?? "unknown", memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.arch()}` };
}

function commit(): string {
  try {
    const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" }).trim() !== "";
    return dirty ? `${sha}-dirty` : sha;
  } catch {
    return "unknown";
  }
}

/** Runs one benchmark file in its own process so benchmarks never disturb each other's heap or JIT. */
function runOne(file: string): Promise<{ figures?: Record<string, unknown>; error?: string; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(BENCH_DIR, "run-one.ts"), file], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("close", (code) => {
      const seconds = (performance.now() - started) / 1000;
      const line = out.split("\n").reverse().find((l) => l.startsWith("@@result "));
      if (code === 0 && line) resolve({ figures: JSON.parse(line.slice(9)) as Record<string, unknown>, seconds });
      else resolve({ error: `exit ${code}: ${out.slice(-2000)}`, seconds });
    });
  });
}

/** `npm run bench [name ...]`: runs bench/*.bench.ts (or the named ones) and writes one JSON file per run. */
export async function main(names: string[]): Promise<void> {
  const files = readdirSync(BENCH_DIR)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => names.length === 0 || names.includes(f.replace(/\.bench\.ts$/, "")))
    .sort();
  if (files.length === 0) throw new Error(`no benchmarks match ${names.join(", ")}`);
  const startedAt = new Date().toISOString();
  const results: Record<string, unknown> = {};
  let failed = 0;
  for (const f of files) {
    const name = f.replace(/\.bench\.ts$/, "");
    process.stderr.write(`bench ${name} ...\n`);
    const r = await runOne(f);
    results[name] = r.figures ?? { error: r.error };
    if (r.error) failed++;
    process.stderr.write(`bench ${name}: ${r.error ? "FAILED" : "ok"} in ${r.seconds.toFixed(1)} s\n${JSON.stringify(r.figures ?? r.error, null, 2)}\n`);
  }
  const outDir = path.join(BENCH_DIR, "results");
  mkdirSync(outDir, { recursive: true });
  const sha = commit();
  const file = path.join(outDir, `${startedAt.replace(/[:.]/g, "-")}_${sha}.json`);
  writeFileSync(file, JSON.stringify({ startedAt, finishedAt: new Date().toISOString(), commit: sha, machine: machine(), results }, null, 2) + "\n");
  process.stderr.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  if (failed > 0) process.exitCode = 1;
}
