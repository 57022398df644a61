import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";

export type { SchemaEngine };

/** One Prisma schema file as the engine takes it. */
export interface SchemaFile {
  path: string;
  content: string;
}

/** A schema engine bound to one database; `close` frees it (the caller closes the adapter factory). */
export interface OpenSchemaEngine {
  engine: SchemaEngine;
  close(): void;
}

type WasmExports = Record<string, unknown>;

interface WasmGlue {
  __wbg_set_wasm(exports: WasmExports): void;
}

/** The slice of the WebAssembly global used here (Node has it; the project's type libraries do not declare it). */
interface WasmRuntime {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: WasmExports };
}

/** Receives the engine's log lines (JSON strings). */
export type EngineLogFn = (line: string) => void;

let loaded: Promise<void> | undefined;

/**
 * Instantiates `@prisma/schema-engine-wasm` once per process. Its package entry imports the `.wasm` file as a
 * module, which Node 20 cannot do, so the module is compiled here and handed to the wasm-bindgen glue.
 */
export function loadSchemaEngineWasm(): Promise<void> {
  loaded ??= instantiate().catch((err: unknown) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
}

async function instantiate(): Promise<void> {
  installPanicRegistry();
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const wasm = (globalThis as unknown as { WebAssembly: WasmRuntime }).WebAssembly;
  const module = new wasm.Module(await readFile(path.join(dir, "schema_engine_bg.wasm")));
  const imports: Record<string, unknown> = { ...glue };
  // The engine arms 10 s timers (lock timeouts) it does not always clear; unref'd, they cannot hold the process.
  for (const name of Object.keys(imports).filter((n) => n.startsWith("__wbg_setTimeout_"))) {
    imports[name] = (fn: () => void, ms: number) => setTimeout(fn, ms >>> 0).unref();
  }
  const instance = new wasm.Instance(module, { "./schema_engine_bg.js": imports });
  (glue as unknown as WasmGlue).__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
}

/**
 * A Rust panic inside the engine writes its message to this global before trapping; without it the panic
 * surfaces as an unrelated TypeError. Prisma's CLI installs the same object.
 */
function installPanicRegistry(): void {
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { message: string; set_message(m: string): void } };
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: "",
    set_message(m: string) {
      this.message = `RuntimeError: ${m}`;
    },
  };
}

/** The last panic message recorded by the engine, if any. */
export function lastEnginePanic(): string | undefined {
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { message: string } };
  return g.PRISMA_WASM_PANIC_REGISTRY?.message || undefined;
}

/** Opens a schema engine on the database behind `factory`, with `schema` as its datamodel. */
export async function openSchemaEngine(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema: SchemaFile,
  log: EngineLogFn = () => {},
): Promise<OpenSchemaEngine> {
  await loadSchemaEngineWasm();
  const engine = await glue.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    (line: string) => log(line),
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  let closed = false;
  return {
    engine,
    close() {
      if (closed) return;
      closed = true;
      engine.free();
    },
  };
}
