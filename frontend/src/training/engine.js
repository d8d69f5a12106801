// Training a fresh copy of the network in the page: every layer's forward pass and its gradient in plain typed
// arrays, the mean cross-entropy of a batch, Adam as Keras computes it, Glorot-uniform initial weights from a seed.
// No DOM, no TF.js: it runs in a Web Worker (worker.js). TF.js 4.22's cpu gradient of a convolution's kernel takes
// seconds a batch and its WebAssembly backend has none; these loops take milliseconds. Weights are in Keras's layout
// (a conv kernel [kh, kw, cin, cout], a dense one [in, out]). The page trains the kinds in TRAINABLE (as
// builder/training.py says); dropout and noise layers pass their input through, as when the model predicts.

import { windowGeometry } from "../network/windowMath.js";

/** Keras's Adam defaults (keras.optimizers.Adam). */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** A seeded generator of uniform numbers in [0, 1) (mulberry32): the same seed, the same training. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const size = (shape) => shape.reduce((a, b) => a * b, 1);

/**
 * Fresh weights for the conv and dense layers of `spec`: {name: {kernel: {shape, data}, bias: {shape, data} | null}},
 * the kernels Glorot-uniform (Keras's default: limit sqrt(6 / (fan in + fan out))), the biases 0.
 */
export function initialWeights(spec, seed) {
  const random = seeded(seed);
  const weights = {};
  for (const layer of spec.layers) {
    let shape = null;
    if (layer.kind === "conv") shape = [...layer.kernel_size, layer.input_shape[2], layer.filters];
    if (layer.kind === "dense") shape = [layer.input_shape[0], layer.units];
    if (!shape) continue;
    const receptive = shape.length === 4 ? shape[0] * shape[1] : 1;
    const limit = Math.sqrt(6 / (receptive * (shape.at(-2) + shape.at(-1))));
    const kernel = new Float32Array(size(shape)).map(() => (random() * 2 - 1) * limit);
    const units = shape.at(-1);
    const bias = layer.use_bias ? { shape: [units], data: new Float32Array(units) } : null;
    weights[layer.name] = { kernel: { shape, data: kernel }, bias };
  }
  return weights;
}

const ACTIVATIONS = {
  linear: { f: (x) => x, d: () => 1 },
  relu: { f: (x) => (x > 0 ? x : 0), d: (x) => (x > 0 ? 1 : 0) },
  tanh: { f: Math.tanh, d: (x, y) => 1 - y * y },
  sigmoid: { f: (x) => 1 / (1 + Math.exp(-x)), d: (x, y) => y * (1 - y) },
};

function activationOf(layer, name) {
  if (name === "leaky_relu") {
    const alpha = layer.alpha ?? 0.2;
    return { f: (x) => (x > 0 ? x : alpha * x), d: (x) => (x > 0 ? 1 : alpha) };
  }
  if (!ACTIVATIONS[name]) throw new Error(`the page cannot train the activation ${name} of ${layer.name}`);
  return ACTIVATIONS[name];
}

const plans = new WeakMap();

/**
 * The cells the window of `layer` (conv or pool) reads at each output position, made once per layer: {inShape,
 * outShape, cells: per output position (row-major), an Int32Array of pairs (input position iy * w + ix, kernel
 * position ky * kw + kx), padding left out}.
 */
function windowPlan(layer) {
  if (plans.has(layer)) return plans.get(layer);
  const { kernel: k, strides, pad, inShape, outShape } = windowGeometry(layer);
  const [h, w] = inShape;
  const cells = [];
  for (let oy = 0; oy < outShape[0]; oy++) {
    for (let ox = 0; ox < outShape[1]; ox++) {
      const pairs = [];
      for (let ky = 0; ky < k[0]; ky++) {
        for (let kx = 0; kx < k[1]; kx++) {
          const iy = oy * strides[0] - pad.top + ky;
          const ix = ox * strides[1] - pad.left + kx;
          if (iy >= 0 && iy < h && ix >= 0 && ix < w) pairs.push(iy * w + ix, ky * k[1] + kx);
        }
      }
      cells.push(Int32Array.from(pairs));
    }
  }
  const plan = { inShape, outShape, cells };
  plans.set(layer, plan);
  return plan;
}

/** conv forward for one image: x [h, w, cin] -> y [oh, ow, cout] (without its activation). */
function convForward(layer, x, { kernel, bias }) {
  const { inShape, outShape, cells } = windowPlan(layer);
  const cin = inShape[2];
  const cout = outShape[2];
  const y = new Float32Array(cells.length * cout);
  for (let position = 0; position < cells.length; position++) {
    const pairs = cells[position];
    const o = position * cout;
    if (bias) for (let c = 0; c < cout; c++) y[o + c] = bias.data[c];
    for (let j = 0; j < pairs.length; j += 2) {
      const i = pairs[j] * cin;
      const kb = pairs[j + 1] * cin * cout;
      for (let ci = 0; ci < cin; ci++) {
        const v = x[i + ci];
        if (v === 0) continue;
        const kr = kb + ci * cout;
        for (let c = 0; c < cout; c++) y[o + c] += v * kernel.data[kr + c];
      }
    }
  }
  return y;
}

/** conv backward for one image: adds d loss / d kernel (and bias) to `grads`; returns d loss / d x. */
function convBackward(layer, x, dy, { kernel, bias }, grads) {
  const { inShape, outShape, cells } = windowPlan(layer);
  const cin = inShape[2];
  const cout = outShape[2];
  const dx = new Float32Array(x.length);
  const dk = grads.kernel;
  for (let position = 0; position < cells.length; position++) {
    const pairs = cells[position];
    const o = position * cout;
    if (bias) for (let c = 0; c < cout; c++) grads.bias[c] += dy[o + c];
    for (let j = 0; j < pairs.length; j += 2) {
      const i = pairs[j] * cin;
      const kb = pairs[j + 1] * cin * cout;
      for (let ci = 0; ci < cin; ci++) {
        const v = x[i + ci];
        const kr = kb + ci * cout;
        let sum = 0;
        for (let c = 0; c < cout; c++) {
          const g = dy[o + c];
          dk[kr + c] += v * g;
          sum += kernel.data[kr + c] * g;
        }
        dx[i + ci] += sum;
      }
    }
  }
  return dx;
}

/** pooling forward for one image: {y, from} (from: for max pooling, the input index each output came from). */
function poolForward(layer, x) {
  const { inShape, cells } = windowPlan(layer);
  const c = inShape[2];
  const max = layer.op === "max";
  const y = new Float32Array(cells.length * c);
  const from = max ? new Int32Array(y.length) : null;
  for (let position = 0; position < cells.length; position++) {
    const pairs = cells[position];
    for (let ch = 0; ch < c; ch++) {
      let best = -Infinity;
      let at = -1;
      let sum = 0;
      for (let j = 0; j < pairs.length; j += 2) {
        const i = pairs[j] * c + ch;
        if (x[i] > best) [best, at] = [x[i], i];
        sum += x[i];
      }
      const o = position * c + ch;
      if (max) [y[o], from[o]] = [best, at];
      else y[o] = sum / (pairs.length / 2); // TF's average over the cells inside the image
    }
  }
  return { y, from };
}

function poolBackward(layer, dy, cache) {
  const { inShape, cells } = windowPlan(layer);
  const c = inShape[2];
  const dx = new Float32Array(inShape[0] * inShape[1] * c);
  if (cache.from) {
    for (let o = 0; o < dy.length; o++) dx[cache.from[o]] += dy[o];
    return dx;
  }
  for (let position = 0; position < cells.length; position++) {
    const pairs = cells[position];
    const n = pairs.length / 2;
    for (let j = 0; j < pairs.length; j += 2) {
      for (let ch = 0; ch < c; ch++) dx[pairs[j] * c + ch] += dy[position * c + ch] / n;
    }
  }
  return dx;
}

function denseForward(layer, x, { kernel, bias }) {
  const units = layer.units;
  const y = bias ? Float32Array.from(bias.data) : new Float32Array(units);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === 0) continue;
    const row = i * units;
    for (let u = 0; u < units; u++) y[u] += v * kernel.data[row + u];
  }
  return y;
}

function denseBackward(layer, x, dy, { kernel, bias }, grads) {
  const units = layer.units;
  const dx = new Float32Array(x.length);
  if (bias) for (let u = 0; u < units; u++) grads.bias[u] += dy[u];
  for (let i = 0; i < x.length; i++) {
    const row = i * units;
    let sum = 0;
    for (let u = 0; u < units; u++) {
      grads.kernel[row + u] += x[i] * dy[u];
      sum += kernel.data[row + u] * dy[u];
    }
    dx[i] = sum;
  }
  return dx;
}

function globalForward(layer, x) {
  const c = layer.shape[0];
  const positions = x.length / c;
  const y = new Float32Array(c).fill(layer.op === "max" ? -Infinity : 0);
  const from = layer.op === "max" ? new Int32Array(c) : null;
  for (let p = 0; p < positions; p++) {
    for (let ch = 0; ch < c; ch++) {
      const v = x[p * c + ch];
      if (!from) y[ch] += v / positions;
      else if (v > y[ch]) [y[ch], from[ch]] = [v, p * c + ch];
    }
  }
  return { y, from };
}

function paddingForward(layer, x, back = false) {
  const [[top], [left]] = layer.padding;
  const [h, w, c] = layer.input_shape;
  const [, pw] = layer.shape;
  const out = new Float32Array(back ? h * w * c : size(layer.shape));
  for (let r = 0; r < h; r++) {
    for (let col = 0; col < w; col++) {
      for (let ch = 0; ch < c; ch++) {
        const inner = (r * w + col) * c + ch;
        const outer = ((r + top) * pw + col + left) * c + ch;
        if (back) out[inner] = x[outer];
        else out[outer] = x[inner];
      }
    }
  }
  return out;
}

/** The softmax of `z`. */
export function softmax(z) {
  let m = -Infinity;
  for (const v of z) m = Math.max(m, v);
  const e = Array.from(z, (v) => Math.exp(v - m));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

/**
 * The layers of `spec` as the trainer runs them, one image at a time: {forward(x, weights) -> {passes (what each
 * layer read and gave), logits}, backward(forward's result, d loss / d logits, weights, grads): adds each weight's
 * gradient to grads {name: {kernel: Float32Array, bias}}}. A last softmax (an activation's, or a Dense's) is left
 * out: the loss reads the logits.
 */
export function compile(spec) {
  const layers = spec.layers.map((layer, i) => {
    const last = i === spec.layers.length - 1;
    const fn =
      layer.kind === "activation" ? layer.function : ["conv", "dense"].includes(layer.kind) && layer.activation;
    const act = fn && fn !== "linear" && !(last && fn === "softmax") ? activationOf(layer, fn) : null;
    return { layer, act };
  });

  function forward(input, weights) {
    let x = input;
    const passes = [];
    for (const { layer, act } of layers) {
      const pass = { x, cache: null, z: null };
      let y;
      switch (layer.kind) {
        case "conv":
          y = convForward(layer, x, weights[layer.name]);
          break;
        case "dense":
          y = denseForward(layer, x, weights[layer.name]);
          break;
        case "pool": {
          pass.cache = poolForward(layer, x);
          y = pass.cache.y;
          break;
        }
        case "globalpool": {
          pass.cache = globalForward(layer, x);
          y = pass.cache.y;
          break;
        }
        case "padding":
          y = paddingForward(layer, x);
          break;
        case "rescaling":
          y = x.map((v) => v * layer.scale + layer.offset);
          break;
        default: // activation (its function below), flatten, dropout and noise: the values as they are
          y = x;
      }
      if (act) {
        pass.z = y;
        y = y.map((v) => act.f(v));
      }
      pass.y = y;
      passes.push(pass);
      x = y;
    }
    return { passes, logits: x };
  }

  function backward({ passes }, dLogits, weights, grads) {
    let dy = dLogits;
    for (let i = layers.length - 1; i >= 0; i--) {
      const { layer, act } = layers[i];
      const pass = passes[i];
      if (act) dy = dy.map((g, j) => g * act.d(pass.z[j], pass.y[j]));
      switch (layer.kind) {
        case "conv":
          dy = convBackward(layer, pass.x, dy, weights[layer.name], grads[layer.name]);
          break;
        case "dense":
          dy = denseBackward(layer, pass.x, dy, weights[layer.name], grads[layer.name]);
          break;
        case "pool":
          dy = poolBackward(layer, dy, pass.cache);
          break;
        case "globalpool": {
          const dx = new Float32Array(pass.x.length);
          const c = dy.length;
          if (pass.cache.from) for (let ch = 0; ch < c; ch++) dx[pass.cache.from[ch]] = dy[ch];
          else for (let j = 0; j < dx.length; j++) dx[j] = dy[j % c] / (dx.length / c);
          dy = dx;
          break;
        }
        case "padding":
          dy = paddingForward(layer, dy, true);
          break;
        case "rescaling":
          dy = dy.map((g) => g * layer.scale);
          break;
        default:
      }
    }
  }

  return { forward, backward };
}
