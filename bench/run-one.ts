import path from "node:path";
import { pathToFileURL } from "node:url";

// Child-process side of the harness: import one benchmark, run it, print its figures on a marked line.
const file = process.argv[2];
if (!file) throw new Error("usage: run-one <file.bench.ts>");
const mod = (await import(pathToFileURL(path.join(import.meta.dirname, file)).href)) as { default: () => Promise<Record<string, unknown>> };
const figures = await mod.default();
process.stdout.write(`\n@@result ${JSON.stringify(figures)}\n`);
process.exit(0);
