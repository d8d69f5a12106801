// The model in TF.js: choosing the backend, reading the weights from the payload, and one forward pass that returns
// every layer, each as model/layers.js computes it.

import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-core/dist/register_all_gradients"; // for saliency and Grad-CAM
import coreForWasm from "tfjs-core-for-wasm";
import { editsOf, signature, withValues } from "../network/edits.js";
import { applyLayer } from "./layers.js";
import { loadScript } from "../ui/dom.js";
import { t } from "../ui/i18n.js";

/**
 * Start TF.js's WebAssembly backend from the script at `wasmScript` (the payload's "wasm", which sites of costly
 * models carry: builder/budget.py), or its cpu backend; resolve to the backend that runs. cpu whenever WebAssembly
 * cannot run: no WebAssembly or no SIMD in this browser, a CSP that forbids compiling it, or the script missing.
 * Its set-up yields with `nextTask()` between its steps.
 */
export async function startBackend(wasmScript, nextTask) {
  if (wasmScript) {
    try {
      const wasm = await loadScript(wasmScript, () => window.cnnExplainWasm);
      await nextTask();
      await wasm.load(coreForWasm, nextTask);
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
 * `network` (network.js) loaded from `artifacts` ({weightSpecs, weightData: ArrayBuffer}) on the
 * backend startBackend(`wasmScript`) starts, yielding with `nextTask()` between its steps (the page answers input
 * while it loads), as
 * {backend: "cpu" or "wasm",
 *  run(pixels, edits) -> Map of "input" and every spec layer name to {shape, data: Float32Array}, computed with
 *    `edits` in force (network/edits.js; none: the trained network),
 *  runInTasks(pixels, edits, nextTask) -> Promise of the same, a layer per task,
 *  weights(name, edits) -> {kernel, bias} of a conv or dense layer as {shape, data: Float32Array} (bias null without
 *    one), with `edits` written in; a batch normalisation's {gamma, beta, moving_mean, moving_variance},
 *  saliency(input, classIndex, edits), gradCam(input, classIndex, edits) -> Promises of what the model looks at
 *    (below), for the network with `edits`,
 *  dispose()}.
 * The layers run one by one in the spec's (topological) order, each on what the layers it reads gave, so that an edit
 * of a weight or a silenced channel reaches every layer after it.
 */
export async function loadNetwork(artifacts, network, wasmScript, nextTask = () => Promise.resolve()) {
  tf.enableProdMode();
  const backend = await startBackend(wasmScript, nextTask);
  await nextTask();
  // the weights are named by the layers' ids (safe names, docs/format.md): "<id>/kernel", "<id>/bias", "<id>/gamma"...
  const named = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  const own = new Map(network.layers.map((info) => [info.name, {}]));
  const byId = new Map(network.layers.map((info) => [info.id, own.get(info.name)]));
  for (const [key, tensor] of Object.entries(named)) {
    const slash = key.lastIndexOf("/");
    const mine = byId.get(key.slice(0, slash));
    if (mine) mine[key.slice(slash + 1)] = tensor;
  }
  const shipped = new Map([...own].map(([name, mine]) => [name, { ...mine }]));
  const weights = weightsOf(own);
  const layers = createLayers(network, own, weights);
  let replaced = []; // tensors of weights put in place of the shipped ones (useWeights)
  const inputShape = [...network.input.shape];

  /** The start of a pass on `pixels`: {outputs: name -> tensor, values: name -> {shape, data}}, the input's in both. */
  function begin(pixels) {
    const input = preprocess(pixels, network.input);
    return {
      outputs: new Map([["input", input]]),
      values: new Map([["input", { shape: inputShape, data: input.dataSync() }]]),
    };
  }

  /** Layer `entry` of a pass (begin) with `edits`: its tensor, put in the pass's outputs and values too. */
  function step(pass, entry, edits) {
    const y = layers.apply(entry, layers.read(entry, pass.outputs), edits);
    pass.outputs.set(entry.info.name, y);
    pass.values.set(entry.info.name, { shape: y.shape.slice(1), data: y.dataSync() });
    return y;
  }

  function run(pixels, edits = []) {
    return tf.tidy(() => {
      const pass = begin(pixels);
      for (const entry of layers.chain) step(pass, entry, edits);
      return pass.values;
    });
  }

  /**
   * run(), a layer per task (`nextTask()`): the first pass, in which TF.js also prepares each kernel it runs, would
   * otherwise keep the page from answering input for as long as all of them take.
   */
  async function runInTasks(pixels, edits, nextTask) {
    const pass = begin(pixels);
    try {
      for (const entry of layers.chain) {
        await nextTask();
        tf.tidy(() => step(pass, entry, edits)); // keeps the layer's tensor (returned), for the layers after it
      }
    } finally {
      tf.dispose([...pass.outputs.values()]);
    }
    return pass.values;
  }

  const { saliency, gradCam } = attentionOf(network, layers, backend);

  /**
   * Put `values` ({layer name: {kernel: {shape, data}, bias}}, Keras's layout: a network trained in the page) in place
   * of the conv and dense layers' shipped weights; null puts the shipped ones back.
   */
  function useWeights(values) {
    layers.dispose();
    weights.forget();
    tf.dispose(replaced);
    replaced = [];
    for (const [name, mine] of own) {
      for (const key of Object.keys(mine)) delete mine[key];
      Object.assign(mine, shipped.get(name));
      const given = values && Object.hasOwn(values, name) ? values[name] : null; // a layer may be named constructor
      if (!given) continue;
      mine.kernel = tf.tensor(given.kernel.data, given.kernel.shape, "float32");
      mine.bias = given.bias ? tf.tensor(given.bias.data, given.bias.shape, "float32") : null;
      replaced.push(mine.kernel, ...(mine.bias ? [mine.bias] : []));
    }
  }

  return {
    backend,
    run,
    runInTasks,
    useWeights,
    weights: (name, edits = []) => editedWeights(weights(name), editsOf(edits, name)),
    saliency,
    gradCam,
    dispose() {
      layers.dispose();
      tf.dispose(replaced);
      tf.dispose(Object.values(named));
    },
  };
}

/** `weights` ({kernel, bias}, as weightsOf gives them) with layer edits `mine` (network/edits.js editsOf). */
function editedWeights(weights, mine) {
  if (!mine.kernel.size && !mine.bias.size) return weights;
  const { kernel, bias } = weights;
  return {
    kernel: { shape: kernel.shape, data: withValues(kernel.data, mine.kernel) },
    bias: bias && { shape: bias.shape, data: withValues(bias.data, mine.bias) },
  };
}

/**
 * The layers of `network` with their `own` weights (name -> {kernel, bias}, tensors), to apply one at a time with
 * edits: {chain: [{info}], read(entry, outputs) -> what the layer reads from `outputs` (a Map of tensors by layer name,
 * with "input"): a tensor, or a merge's list, apply(entry, x, edits) -> the layer's output for `x` (a tensor, in the
 * caller's tidy), dispose()}. The tensors of a layer's edits (its weights with them written in, the mask of its silenced channels)
 * are made once for each set of its edits.
 */
function createLayers(network, own, weights) {
  const chain = network.layers.map((info) => ({ info }));
  const made = new Map(); // layer name -> {signature, kernel, bias, mask}: tensors kept out of every tidy

  // what of a layer's tensors is its own (its weights, which the layer keeps), and what was made for its edits
  const madeHere = (entry) => [entry.mask, ...(entry.own ? [] : [entry.kernel, entry.bias])].filter(Boolean);

  /**
   * The tensors of layer `entry` with `edits`: {kernel, bias} (edited, or the layer's own for a convolution or a
   * dense layer; null for another layer), mask (of its silenced channels, or null), own (the weights are the layer's).
   */
  function tensors({ info }, edits) {
    const key = signature(edits, info.name);
    const cached = made.get(info.name);
    if (cached?.key === key) return cached;
    if (cached) tf.dispose(madeHere(cached));
    const mine = editsOf(edits, info.name);
    const entry = { key, kernel: null, bias: null, mask: null, own: false };
    if (mine.kernel.size || mine.bias.size) {
      const { kernel, bias } = editedWeights(weights(info.name), mine);
      entry.kernel = tf.keep(tf.tensor(kernel.data, kernel.shape, "float32"));
      entry.bias = bias && tf.keep(tf.tensor(bias.data, bias.shape, "float32"));
    } else {
      Object.assign(entry, own.get(info.name), { own: true }); // the layer's own weights: kept by loadNetwork
    }
    if (mine.silenced.size) {
      const channels = info.layer.shape.at(-1);
      entry.mask = tf.keep(tf.tensor1d(Array.from({ length: channels }, (_, c) => (mine.silenced.has(c) ? 0 : 1))));
    }
    made.set(info.name, entry);
    return entry;
  }

  function apply(entry, x, edits) {
    const { layer } = entry.info;
    const weights = tensors(entry, edits);
    const y = applyLayer(layer, x, weights);
    const { mask } = weights;
    return mask ? tf.mul(y, mask) : y;
  }

  function read({ info }, outputs) {
    const { layer } = info;
    return layer.inputs ? layer.inputs.map((name) => outputs.get(name)) : outputs.get(layer.input);
  }

  return {
    chain,
    read,
    apply,
    tensors,
    dispose() {
      for (const entry of made.values()) tf.dispose(madeHere(entry));
      made.clear();
    },
  };
}

/**
 * What the model looks at (insights/attention.js), for `network` as `layers` (createLayers) apply it on `backend`:
 * {saliency, gradCam}, each (input values, class index, edits) -> Promise. Gradients need the logits, which the
 * softmax of the last dense layer hides (it keeps its activation, docs/format.md), so the layers are applied one by
 * one on tensors.
 */
function attentionOf(network, layers, backend) {
  const inputShape = [...network.input.shape];
  const { chain } = layers;
  const camAt = network.layers.findIndex((info) => info.name === network.gradCamLayer);

  /**
   * The logits [1, classes] with `edits`, computing chain entries `from` on from `known` (a Map of tensors by layer
   * name: "input" and every entry before `from` that a later one reads).
   */
  function logitsFrom(known, from, edits) {
    const outputs = new Map(known);
    const last = chain.length - 1;
    for (let i = from; i < last; i++)
      outputs.set(chain[i].info.name, layers.apply(chain[i], layers.read(chain[i], outputs), edits));
    const x = layers.read(chain[last], outputs);
    if (network.scores === "input") return x; // the last layer is an activation, and its input is the logits
    if (network.scores === "output") return layers.apply(chain[last], x, edits);
    const { kernel, bias } = layers.tensors(chain[last], edits); // a Dense with softmax: its sum, before it
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

  /**
   * Promise of d logit[classIndex] / d input for the input values `input` (Float32Array, H x W x C), in the network
   * with `edits`: {shape, data}.
   */
  function saliency(input, classIndex, edits = []) {
    return onCpu(() => saliencyNow(input, classIndex, edits));
  }

  function saliencyNow(input, classIndex, edits) {
    return tf.tidy(() => {
      const x = tf.tensor4d(input, [1, ...inputShape], "float32");
      const score = (t) => tf.sum(tf.mul(logitsFrom(new Map([["input", t]]), 0, edits), pick(classIndex)));
      const gradient = tf.grad(score)(x);
      return { shape: [...inputShape], data: gradient.dataSync() };
    });
  }

  /**
   * Promise of Grad-CAM of class `classIndex` on the last convolution's feature maps A (after its activation when
   * one follows it): ReLU(sum_k alpha_k A_k), alpha_k the mean over positions of d logit / d A_k, in the network
   * with `edits`. {layer, shape: [h, w], data}.
   */
  function gradCam(input, classIndex, edits = []) {
    if (camAt < 0) return Promise.reject(new Error("the model has no convolution layer"));
    return onCpu(() => gradCamNow(input, classIndex, edits));
  }

  function gradCamNow(input, classIndex, edits) {
    return tf.tidy(() => {
      const outputs = new Map([["input", tf.tensor4d(input, [1, ...inputShape], "float32")]]);
      for (let i = 0; i <= camAt; i++) {
        outputs.set(chain[i].info.name, layers.apply(chain[i], layers.read(chain[i], outputs), edits));
      }
      const maps = outputs.get(network.gradCamLayer);
      // the maps A as the variable; what the layers after them read from before them stays as computed
      const score = (a) => {
        const known = new Map(outputs).set(network.gradCamLayer, a);
        return tf.sum(tf.mul(logitsFrom(known, camAt + 1, edits), pick(classIndex)));
      };
      const alpha = tf.mean(tf.grad(score)(maps), [0, 1, 2]);
      const cam = tf.relu(tf.sum(tf.mul(maps, alpha), -1));
      return { layer: network.gradCamLayer, shape: cam.shape.slice(1), data: cam.dataSync() };
    });
  }

  return { saliency, gradCam };
}

/**
 * `name`'s weights from the `own` weights (tensors), read once per layer: see loadNetwork. {kernel, bias} of a conv
 * or dense layer (bias null without one), {gamma, beta, moving_mean, moving_variance} of a batch normalisation (gamma
 * or beta null when it has none), each {shape, data}.
 */
function weightsOf(own) {
  const weightCache = new Map();
  const read = (tensor) => (tensor ? { shape: tensor.shape.slice(), data: tensor.dataSync() } : null);
  function weights(name) {
    if (!weightCache.has(name)) {
      if (!own.has(name)) throw new Error(`no layer named ${name}`);
      const mine = own.get(name);
      if (!Object.keys(mine).length) throw new Error(`layer ${name} has no weights`);
      const keys = mine.moving_mean ? ["gamma", "beta", "moving_mean", "moving_variance"] : ["kernel", "bias"];
      weightCache.set(name, Object.fromEntries(keys.map((key) => [key, read(mine[key])])));
    }
    return weightCache.get(name);
  }
  weights.forget = () => weightCache.clear(); // the weights changed (useWeights)
  return weights;
}
