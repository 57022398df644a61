import type * as Tf from "@tensorflow/tfjs";

/** The tfjs namespace, as `loadTf` returns it. */
export type TfModule = typeof Tf;

let loading: Promise<TfModule> | undefined;

/**
 * Loads tfjs on the wasm backend once, on first use: serving code that only loads artefacts never pays for
 * (or even imports) tfjs. The wasm backend is ~3× faster than tfjs's plain-JS cpu backend for training.
 */
export function loadTf(): Promise<TfModule> {
  loading ??= (async () => {
    const tf = await import("@tensorflow/tfjs");
    await import("@tensorflow/tfjs-backend-wasm");
    if (!(await tf.setBackend("wasm"))) throw new Error("tfjs wasm backend failed to initialise");
    await tf.ready();
    return tf;
  })();
  return loading;
}
