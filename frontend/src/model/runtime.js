// The model in TF.js: choosing the backend, loading the model from the payload, and one forward pass that returns
// every layer.

import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { loadLayersModel, model as functionalModel } from "@tensorflow/tfjs-layers";
import coreForWasm from "tfjs-core-for-wasm";

/**
 * Start TF.js's WebAssembly backend from the script at `wasmScript` (the payload's "wasm", which sites of costly
 * models carry: builder/budget.py), or its cpu backend; resolve to the backend that runs. cpu whenever WebAssembly
 * cannot run: no WebAssembly or no SIMD in this browser, a CSP that forbids compiling it, or the script missing.
 */
export async function startBackend(wasmScript) {
  if (wasmScript) {
    try {
      const wasm = await loadScript(wasmScript, () => window.cnnExplainWasm);
      await wasm.load(coreForWasm);
      if (await tf.setBackend("wasm")) return "wasm";
    } catch {
      // the cpu backend below computes the same numbers, only slower
    }
  }
  if (!(await tf.setBackend("cpu"))) throw new Error("TF.js could not start its cpu backend");
  return "cpu";
}

/** Add a classic script `src` to the page; resolves to `exported()` once it has run. */
function loadScript(src, exported) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => (exported() ? resolve(exported()) : reject(new Error(`${src} did not run`)));
    script.onerror = () => reject(new Error(`${src} did not load`));
    document.head.append(script);
  });
}

/** The float32 input tensor [1, H, W, C] of uint8 `pixels`: pixels / pixel_divisor (a division, as NumPy does). */
export function preprocess(pixels, spec) {
  const shape = spec.input.shape;
  const size = shape[0] * shape[1] * shape[2];
  if (pixels.length !== size) {
    throw new Error(`the image has ${pixels.length} values; the model reads ${shape.join(" x ")} = ${size}`);
  }
  return tf.tidy(() =>
    tf.div(
      tf.tensor4d(Float32Array.from(pixels), [1, ...shape], "float32"),
      tf.scalar(spec.input.pixel_divisor, "float32"),
    ),
  );
}

/**
 * The network loaded from `artifacts` ({modelTopology, weightSpecs, weightData: ArrayBuffer}) on the backend
 * startBackend(`wasmScript`) starts, as
 * {backend: "cpu" or "wasm",
 *  run(pixels) -> Map of "input" and every spec layer name to {shape, data: Float32Array},
 *  weights(name) -> {kernel, bias} of a conv or dense layer as {shape, data: Float32Array} (bias null without one),
 *  dispose()}.
 */
export async function loadNetwork(artifacts, spec, wasmScript) {
  tf.enableProdMode();
  const backend = await startBackend(wasmScript);
  const loaded = await loadLayersModel(tf.io.fromMemory(artifacts));
  const names = spec.layers.map((layer) => layer.name);
  // TF.js knows the layers by their ids (safe names, docs/format.md); the page by the names people gave them.
  const ids = new Map(spec.layers.map((layer) => [layer.name, layer.id ?? layer.name]));
  const outputs = names.map((name) => loaded.getLayer(ids.get(name)).output);
  const probe = functionalModel({ inputs: loaded.inputs, outputs });

  function run(pixels) {
    const input = preprocess(pixels, spec);
    const results = probe.predict(input);
    const tensors = Array.isArray(results) ? results : [results];
    const layers = new Map([["input", { shape: spec.input.shape, data: input.dataSync() }]]);
    tensors.forEach((tensor, i) => {
      layers.set(names[i], { shape: tensor.shape.slice(1), data: tensor.dataSync() });
    });
    tf.dispose([input, ...tensors]);
    return layers;
  }

  const weightCache = new Map();
  function weights(name) {
    if (!weightCache.has(name)) {
      if (!ids.has(name)) throw new Error(`no layer named ${name}`);
      const [kernel, bias] = loaded.getLayer(ids.get(name)).getWeights();
      if (!kernel) throw new Error(`layer ${name} has no weights`);
      const read = (tensor) => (tensor ? { shape: tensor.shape.slice(), data: tensor.dataSync() } : null);
      weightCache.set(name, { kernel: read(kernel), bias: read(bias) });
    }
    return weightCache.get(name);
  }

  return {
    backend,
    run,
    weights,
    dispose() {
      probe.dispose?.();
      loaded.dispose();
    },
  };
}
