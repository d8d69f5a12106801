// The entry of dist/wasm.js, a second classic script that sites of costly models carry (builder/budget.py): TF.js's
// WebAssembly backend (SIMD, one thread) with its binary inside, as gzipped base64, since a page opened from disk
// cannot fetch a .wasm file. It adds the backend to the page's own TF.js, which app.js hands over on first use:
// the backend's modules read tfjs-core from window.cnnExplainWasm.tf (build.mjs), so the page holds one engine.

import { gunzipSync } from "fflate";
import binary from "wasm-binary";
import { base64ToBytes } from "./payload.js";

/**
 * Add the backend to `tf` (tfjs-core), yielding with `nextTask()` between its steps: its modules, decoding its binary
 * and unpacking it take a task each (together, 100 ms on a slow machine, which the page would not answer in).
 */
async function load(tf, nextTask) {
  if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly");
  host.tf = tf;
  const { setWasmPaths } = await import("@tensorflow/tfjs-backend-wasm");
  if (!(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"))) throw new Error("this browser's WebAssembly has no SIMD");
  // Threads need a cross-origin isolated page, which neither file:// nor GitHub Pages gives; the threaded build is
  // not bundled.
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  await nextTask();
  const packed = base64ToBytes(binary);
  await nextTask();
  const bytes = gunzipSync(packed);
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/wasm" }));
  // the names of all three builds are required; only the SIMD one is ever asked for
  setWasmPaths({
    "tfjs-backend-wasm.wasm": url,
    "tfjs-backend-wasm-simd.wasm": url,
    "tfjs-backend-wasm-threaded-simd.wasm": url,
  });
}

const host = { tf: null, load };
window.cnnExplainWasm = host;
