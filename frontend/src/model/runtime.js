// The model in TF.js: choosing the backend, loading the model from the payload, and one forward pass that returns
// every layer.

import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { loadLayersModel, model as functionalModel } from "@tensorflow/tfjs-layers";
import coreForWasm from "tfjs-core-for-wasm";
import { loadScript } from "../ui/dom.js";
import { t } from "../ui/i18n.js";

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
  // the visitor reads this one in the notice that TF.js failed (main.js)
  if (!(await tf.setBackend("cpu"))) throw new Error(t("notice.cpuBackend"));
  return "cpu";
}

/**
 * The float32 input tensor [1, H, W, C] of uint8 `pixels` for the network's `input` (network.js): pixels / its pixel
 * divisor (a division, as NumPy does).
 */
export function preprocess(pixels, input) {
  const { shape } = input;
  const size = shape[0] * shape[1] * shape[2];
  if (pixels.length !== size) {
    throw new Error(`the image has ${pixels.length} values; the model reads ${shape.join(" x ")} = ${size}`);
  }
  return tf.tidy(() =>
    tf.div(tf.tensor4d(Float32Array.from(pixels), [1, ...shape], "float32"), tf.scalar(input.pixelDivisor, "float32")),
  );
}

/**
 * `network` (network.js) loaded from `artifacts` ({modelTopology, weightSpecs, weightData: ArrayBuffer}) on the
 * backend startBackend(`wasmScript`) starts, as
 * {backend: "cpu" or "wasm",
 *  run(pixels) -> Map of "input" and every spec layer name to {shape, data: Float32Array},
 *  weights(name) -> {kernel, bias} of a conv or dense layer as {shape, data: Float32Array} (bias null without one),
 *  saliency(input, classIndex), gradCam(input, classIndex) -> Promises of what the model looks at (below),
 *  dispose()}.
 */
export async function loadNetwork(artifacts, network, wasmScript) {
  tf.enableProdMode();
  const backend = await startBackend(wasmScript);
  const loaded = await loadLayersModel(tf.io.fromMemory(artifacts));
  const names = network.layers.map((info) => info.name);
  // TF.js knows the layers by their ids (safe names, docs/format.md); the page by the names people gave them.
  const ids = new Map(network.layers.map((info) => [info.name, info.id]));
  const outputs = names.map((name) => loaded.getLayer(ids.get(name)).output);
  const probe = functionalModel({ inputs: loaded.inputs, outputs });
  const inputShape = [...network.input.shape];

  function run(pixels) {
    const input = preprocess(pixels, network.input);
    const results = probe.predict(input);
    const tensors = Array.isArray(results) ? results : [results];
    const layers = new Map([["input", { shape: inputShape, data: input.dataSync() }]]);
    tensors.forEach((tensor, i) => {
      layers.set(names[i], { shape: tensor.shape.slice(1), data: tensor.dataSync() });
    });
    tf.dispose([input, ...tensors]);
    return layers;
  }

  const { saliency, gradCam } = attentionOf(network, loaded, backend);
  const weights = weightsOf(loaded, ids);

  return {
    backend,
    run,
    weights,
    saliency,
    gradCam,
    dispose() {
      probe.dispose?.();
      loaded.dispose();
    },
  };
}

/**
 * What the model looks at (insights/attention.js), for `network` as TF.js `loaded` it on `backend`: {saliency,
 * gradCam}, each (input values, class index) -> Promise. Gradients need the logits, which the softmax of the last
 * dense layer hides (it keeps its activation, docs/format.md), so the layers are applied one by one on tensors.
 */
function attentionOf(network, loaded, backend) {
  const inputShape = [...network.input.shape];
  const chain = network.layers.map((info) => ({ info, keras: loaded.getLayer(info.id) }));
  const camAt = network.layers.findIndex((info) => info.name === network.gradCamLayer);

  /**
   * Chain entry `entry` applied to `x`. A convolution (linear: the builder splits off fused activations) as a plain
   * tf.conv2d: TF.js layers run it fused, and the fused op's gradient also computes the kernel's, which is not
   * needed.
   */
  function apply({ info, keras }, x) {
    if (!info.convolves) return keras.apply(x);
    const [kernel, bias] = keras.getWeights();
    const y = tf.conv2d(x, kernel, info.layer.strides, info.layer.padding);
    return bias ? tf.add(y, bias) : y;
  }

  /** The logits [1, classes] from the output of chain entry `from - 1` (the input when `from` is 0). */
  function logitsFrom(tensor, from) {
    let x = tensor;
    const last = chain.length - 1;
    for (let i = from; i < last; i++) x = apply(chain[i], x);
    if (network.scores === "input") return x; // the last layer is an activation, and its input is the logits
    if (network.scores === "output") return chain[last].keras.apply(x);
    const [kernel, bias] = chain[last].keras.getWeights(); // a Dense with softmax: its sum, before the activation
    const z = tf.matMul(x, kernel);
    return bias ? tf.add(z, bias) : z;
  }

  // One class's logit as a sum with a one-hot mask: the WebAssembly backend has no gradient for tf.gather.
  const pick = (classIndex) =>
    tf.cast(tf.oneHot(tf.tensor1d([classIndex], "int32"), network.classes.length), "float32");

  // tfjs-backend-wasm 4.22.0 lacks some gradient kernels (Conv2DBackpropFilter, UnsortedSegmentSum) and its
  // max-pooling gradient is wrong for more than one channel: with it, gradients are computed on the cpu backend,
  // which moves the weights it reads there (and the next forward pass moves them back). One at a time.
  let queue = Promise.resolve();
  function onCpu(compute) {
    const result = queue.then(async () => {
      if (backend === "cpu") return compute();
      await tf.setBackend("cpu");
      try {
        return compute();
      } finally {
        await tf.setBackend(backend);
      }
    });
    queue = result.catch(() => {});
    return result;
  }

  /** Promise of d logit[classIndex] / d input for the input values `input` (Float32Array, H x W x C): {shape, data}. */
  function saliency(input, classIndex) {
    return onCpu(() => saliencyNow(input, classIndex));
  }

  function saliencyNow(input, classIndex) {
    return tf.tidy(() => {
      const x = tf.tensor4d(input, [1, ...inputShape], "float32");
      const score = (t) => tf.sum(tf.mul(logitsFrom(t, 0), pick(classIndex)));
      const gradient = tf.grad(score)(x);
      return { shape: [...inputShape], data: gradient.dataSync() };
    });
  }

  /**
   * Promise of Grad-CAM of class `classIndex` on the last convolution's feature maps A (after its activation when
   * one follows it): ReLU(sum_k alpha_k A_k), alpha_k the mean over positions of d logit / d A_k.
   * {layer, shape: [h, w], data}.
   */
  function gradCam(input, classIndex) {
    if (camAt < 0) return Promise.reject(new Error("the model has no convolution layer"));
    return onCpu(() => gradCamNow(input, classIndex));
  }

  function gradCamNow(input, classIndex) {
    return tf.tidy(() => {
      let maps = tf.tensor4d(input, [1, ...inputShape], "float32");
      for (let i = 0; i <= camAt; i++) maps = apply(chain[i], maps);
      const score = (a) => tf.sum(tf.mul(logitsFrom(a, camAt + 1), pick(classIndex)));
      const alpha = tf.mean(tf.grad(score)(maps), [0, 1, 2]);
      const cam = tf.relu(tf.sum(tf.mul(maps, alpha), -1));
      return { layer: network.gradCamLayer, shape: cam.shape.slice(1), data: cam.dataSync() };
    });
  }

  return { saliency, gradCam };
}

/** `name`'s {kernel, bias} as `loaded` (TF.js) holds them, read once per layer: see loadNetwork. */
function weightsOf(loaded, ids) {
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
  return weights;
}
