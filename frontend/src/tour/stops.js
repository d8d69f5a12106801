// The guided tour's stops for the network on screen (tour/tour.js shows them): which stops the model has, what each
// puts on the page for the image shown, the numbers its words quote, and the question it asks, every answer computed
// from the model, its geometry and the image's values. No DOM.

import { argmax } from "../network/predictions.js";
import { receptiveField } from "../network/receptiveField.js";
import { poolWindow, windowGeometry } from "../network/windowMath.js";
import { formatNumber } from "../ui/format.js";

/** How many test images the question about a channel offers. */
export const EXAMPLE_CHOICES = 3;

/**
 * The stops `network` has, in the order of a beginner's walk (the seed article's): [{id, layer?}], `layer` being the
 * layer a stop is about. Stops the model lacks are left out: no convolution, no element-wise activation, no pooling,
 * no test set (`insights` null: no top examples, no mistakes).
 */
export function tourPlan(network, insights) {
  const layers = network.layers;
  const conv = layers.find((info) => info.convolves);
  const activation = layers.find((info) => info.view === "activation" && info.layer.kind === "activation");
  const pool = layers.find((info) => info.view === "pool");
  // the size question is about a window: the first pooling, else the first convolution that changes the size
  const windows = layers.filter((info) => info.view === "pool" || info.convolves);
  const sized = pool ?? windows.find((info) => !sameShape(info.layer.input_shape, info.layer.shape)) ?? conv;
  const spatial = layers.filter((info) => info.layer.shape.length === 3 && info.view);
  const deep = spatial.at(-1);
  // the examples question offers EXAMPLE_CHOICES test images: a test set too small for that has no such stop
  const enough = insights && insights.pool.count >= EXAMPLE_CHOICES;
  const examples = enough && spatial.findLast((info) => insights.hasExamples(info.name));
  const plan = [{ id: "purpose" }];
  if (conv) plan.push({ id: "input", layer: conv.name }, { id: "window", layer: conv.name });
  if (conv) plan.push({ id: "map", layer: conv.name });
  if (activation) plan.push({ id: "activation", layer: activation.name });
  if (pool) plan.push({ id: "pooling", layer: pool.name });
  if (sized) plan.push({ id: "size", layer: sized.name });
  if (deep && conv && deep.name !== conv.name) plan.push({ id: "field", layer: deep.name });
  if (examples) plan.push({ id: "examples", layer: examples.name });
  plan.push({ id: "scores", layer: network.last.name });
  if (network.explains("softmax", network.last.name)) plan.push({ id: "softmax", layer: network.last.name });
  if (insights && insights.mistakes.length) plan.push({ id: "mistake" });
  plan.push({ id: "unfamiliar" }, { id: "next" });
  return plan;
}

function sameShape(a, b) {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The channel of tensor `t` ({shape: [h, w, c], data}) whose values spread the most: the one most worth looking at. */
export function liveliestChannel(t) {
  const channels = t.shape.at(-1);
  const min = new Float64Array(channels).fill(Infinity);
  const max = new Float64Array(channels).fill(-Infinity);
  for (let i = 0; i < t.data.length; i++) {
    const c = i % channels;
    if (t.data[i] < min[c]) min[c] = t.data[i];
    if (t.data[i] > max[c]) max[c] = t.data[i];
  }
  return argmax(Array.from(max, (m, c) => m - min[c]));
}

/** [row, col] of the largest value of channel `channel` of `t`, or with `pick(v)` the value pick scores highest. */
export function placeOf(t, channel, pick = (v) => v) {
  const [, w, channels] = t.shape;
  let best = -1;
  let score = -Infinity;
  for (let i = channel; i < t.data.length; i += channels) {
    const s = pick(t.data[i]);
    if (s > score) {
      score = s;
      best = (i - channel) / channels;
    }
  }
  return [Math.floor(best / w), best % w];
}

/** The value at [row, col] of channel `channel` of `t`. */
export function valueAt(t, channel, [row, col]) {
  const [, w, channels] = t.shape;
  return t.data[(row * w + col) * channels + channel];
}

/**
 * The choices of a question whose answer is `correct`: it and the `others` that differ from it and from each other
 * at the precision shown (`shown`, e.g. formatNumber), up to four in all, in a fixed order (sorted by value, so the
 * right one is not always first): [{value, correct}].
 */
export function choices(correct, others, shown = formatNumber) {
  const seen = new Set([shown(correct)]);
  const picked = [{ value: correct, correct: true }];
  for (const value of others) {
    if (picked.length === 4) break;
    if (!Number.isFinite(value) || seen.has(shown(value))) continue;
    seen.add(shown(value));
    picked.push({ value, correct: false });
  }
  return picked.sort((a, b) => a.value - b.value);
}

/** A question of kind "value" about one output element (layer, neuron, row, col), its answer `correct`. */
function valueQuestion(layer, neuron, pos, correct, others) {
  return { kind: "value", layer, neuron, row: pos[0], col: pos[1], choices: choices(correct, others) };
}

/**
 * The convolution stop's question: which of these is the output of the window at the lively place of the lively
 * channel of `layer` (its spec entry), given the frame's `activations` and the layer's `bias` values (or null). The
 * wrong answers are what slips give: the sum without its bias, the next window's value, the sign turned.
 */
export function windowQuestion(layer, activations, bias) {
  const out = activations.get(layer.name);
  const neuron = liveliestChannel(out);
  const pos = placeOf(out, neuron, Math.abs);
  const correct = valueAt(out, neuron, pos);
  const [h, w] = out.shape;
  const next = valueAt(out, neuron, [pos[0], pos[1] + 1 < w ? pos[1] + 1 : pos[1] - 1 >= 0 ? pos[1] - 1 : pos[1]]);
  const below = valueAt(out, neuron, [pos[0] + 1 < h ? pos[0] + 1 : Math.max(pos[0] - 1, 0), pos[1]]);
  const b = bias ? bias[neuron] : 0;
  return valueQuestion(layer.name, neuron, pos, correct, [
    correct - b,
    next,
    -correct,
    below,
    correct * 2,
    correct / 2,
  ]);
}

/**
 * The activation stop's question: what the function of `layer` makes of a negative value of its input (the most
 * negative of the liveliest channel): {kind: "relu", layer, neuron, row, col, x, choices}.
 */
export function activationQuestion(layer, activations) {
  const input = activations.get(layer.input);
  const out = activations.get(layer.name);
  const neuron = liveliestChannel(input);
  const pos = placeOf(input, neuron, (v) => -v);
  const x = valueAt(input, neuron, pos);
  const y = valueAt(out, neuron, pos);
  return {
    kind: "relu",
    layer: layer.name,
    neuron,
    row: pos[0],
    col: pos[1],
    x,
    choices: choices(y, [x, -x, x / 2, 1, -1]),
  };
}

/**
 * The pooling stop's question: the output of the window whose values spread the most in the liveliest channel; the
 * wrong answers are the other ways to sum a window up (its mean or maximum, its minimum, its sum). Also `dropped`,
 * the share of the numbers the window leaves out (3 of 4 for a 2x2 max pooling).
 */
export function poolingQuestion(layer, activations) {
  const input = activations.get(layer.input);
  const out = activations.get(layer.name);
  const geometry = windowGeometry(layer);
  const neuron = liveliestChannel(out);
  const [h, w] = out.shape;
  let best = null;
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const window = poolWindow(input, neuron, geometry, [row, col], layer.op);
      const inside = Array.from(window.values).filter((_, k) => window.inside[k]);
      const spread = Math.max(...inside) - Math.min(...inside);
      if (!best || spread > best.spread) best = { pos: [row, col], inside, spread };
    }
  }
  const { inside } = best;
  const total = inside.reduce((a, b) => a + b, 0);
  const others = [total / inside.length, Math.max(...inside), Math.min(...inside), total];
  const [ph, pw] = geometry.kernel;
  const question = valueQuestion(layer.name, neuron, best.pos, valueAt(out, neuron, best.pos), others);
  return { ...question, dropped: layer.op === "max" ? 1 - 1 / (ph * pw) : 0 };
}

/** A shape written as a choice's value: "h,w,c". */
export const shapeText = (shape) => shape.join(",");

/**
 * The size stop's question: the output shape of `layer` from its input shape and its window (kernel, padding,
 * stride); the wrong answers are the input's shape, the shape without padding, and the channels changed.
 */
export function sizeQuestion(layer) {
  const input = layer.input_shape;
  const correct = layer.shape;
  const candidates = [input];
  if (layer.kind === "pool" || layer.kind === "conv") {
    const { kernel, strides } = windowGeometry(layer);
    const valid = [0, 1].map((i) => Math.floor((input[i] - kernel[i]) / strides[i]) + 1);
    const unstrided = [0, 1].map((i) => input[i] - kernel[i] + 1);
    candidates.push([...valid, correct[2]], [...unstrided, correct[2]]);
  }
  const c = correct[correct.length - 1];
  candidates.push([...correct.slice(0, -1), c > 1 ? Math.floor(c / 2) : 2], [...correct.slice(0, -1), c * 2]);
  const seen = new Set([shapeText(correct)]);
  const picked = [{ value: shapeText(correct), correct: true }];
  for (const shape of candidates) {
    const text = shapeText(shape);
    if (picked.length === 4 || seen.has(text) || shape.some((d) => !(d > 0))) continue;
    seen.add(text);
    picked.push({ value: text, correct: false });
  }
  picked.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { kind: "size", layer: layer.name, input: [...input], choices: picked };
}

/**
 * The class stop's question: which class wins, from the class `probabilities` of the image shown; the wrong answers
 * are the next most probable classes. Values are class indices.
 */
export function classQuestion(probabilities) {
  const order = Array.from(probabilities, (_, i) => i).sort((a, b) => probabilities[b] - probabilities[a]);
  const picked = order.slice(0, Math.min(4, order.length)).map((i) => ({ value: i, correct: i === order[0] }));
  return { kind: "class", choices: picked.sort((a, b) => a.value - b.value) };
}

/**
 * The examples stop's question: which of the test images `candidates` ([{testIndex, value}], `value` the channel's
 * largest activation for that image, computed by TF.js) excites channel `neuron` of `layer` most. Values are test
 * indices.
 */
export function examplesQuestion(layer, neuron, candidates) {
  const best = argmax(candidates.map((c) => c.value));
  const picked = candidates.map((c, i) => ({ value: c.testIndex, correct: i === best, activation: c.value }));
  return { kind: "examples", layer, neuron, choices: picked.sort((a, b) => a.value - b.value) };
}

/**
 * The receptive field stop's numbers: how many input pixels a value in the middle of deep layer `name` reads, and a
 * value of the first convolution `first` (its kernel): {height, width, firstHeight, firstWidth, row, col}.
 */
export function fieldOf(network, name, first) {
  const [h, w] = network.layer(name).shape;
  const middle = [Math.floor(h / 2), Math.floor(w / 2)];
  const box = receptiveField(network, name, middle);
  const [kh, kw] = network.layer(first).kernel_size;
  return {
    height: box.bottom - box.top + 1,
    width: box.right - box.left + 1,
    firstHeight: kh,
    firstWidth: kw,
    row: middle[0],
    col: middle[1],
  };
}

/**
 * A picture of something the model was never shown, at its input `shape` ([h, w, c]): a ring, drawn light on dark
 * when the training images are light items on black (`lightOnDark`), else dark on light. Uint8 H x W x C.
 */
export function unfamiliarImage([h, w, c], lightOnDark) {
  const pixels = new Uint8Array(h * w * c);
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  const outer = Math.min(h, w) * 0.4;
  const inner = outer * 0.55;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const r = Math.hypot(y - cy, x - cx);
      const ink = r <= outer && r >= inner;
      const level = ink === lightOnDark ? 255 : 0;
      for (let k = 0; k < c; k++) pixels[(y * w + x) * c + k] = level;
    }
  }
  return pixels;
}
