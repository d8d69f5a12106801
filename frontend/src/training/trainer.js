// A training run: batches of shuffled images through engine.js, the mean cross-entropy, Adam, and the held-out
// images measured after each epoch. One batch per step(), so whoever drives it (worker.js) can pause, report and
// answer messages in between. No DOM.

import { gunzipSync } from "fflate";
import { ADAM, compile, initialWeights, seeded, softmax } from "./engine.js";

/** The settings a run takes, with the defaults a learner starts from (Keras reaches 0.75 to 0.79 held out with them). */
export const DEFAULTS = { images: 2000, epochs: 2, batchSize: 32, learningRate: 3e-3, seed: 0 };

/**
 * The sets of data/training.js (builder/training.py: base64 of gzipped uint8 pixels) as the trainer reads them:
 * {train, heldOut: {pixels: Uint8Array, labels, count, indices?}}.
 */
export function decodeSets(sets) {
  const bytes = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const set = (part) => ({ ...part, pixels: gunzipSync(bytes(part.pixels)) });
  return { train: set(sets.train), heldOut: set(sets.held_out) };
}

/** A seeded shuffle of 0 .. count - 1 (Fisher-Yates). */
export function shuffled(count, random) {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** A deep copy of `weights` ({name: {kernel: {shape, data}, bias}}). */
export function copyWeights(weights) {
  const copy = {};
  for (const [name, { kernel, bias }] of Object.entries(weights)) {
    copy[name] = {
      kernel: { shape: [...kernel.shape], data: Float32Array.from(kernel.data) },
      bias: bias && { shape: [...bias.shape], data: Float32Array.from(bias.data) },
    };
  }
  return copy;
}

/**
 * A run of `settings` (DEFAULTS' fields) on the network of `spec`, reading `train` and `heldOut` ({pixels: Uint8Array,
 * labels, count}) divided by `divisor`. Returns {step() -> {epoch, batch, batches, loss, accuracy, done, epochEnd}
 * (one batch; at an epoch's end, epochEnd: {loss, accuracy, valLoss, valAccuracy, confusion}), weights() (a copy),
 * liveWeights() (the weights being trained: read them, do not keep them), probabilities(pixels) (the class
 * probabilities of a uint8 image, with the weights as they are now), history}.
 */
export function createTrainer({ spec, train, heldOut, divisor, settings }) {
  const { images, epochs, batchSize, learningRate, seed } = { ...DEFAULTS, ...settings };
  const count = Math.min(images, train.count);
  const net = compile(spec);
  const weights = initialWeights(spec, seed);
  const random = seeded(seed + 1);
  const d = Math.fround(divisor);
  const scaled = (pixels) => Float32Array.from(pixels, (v) => v / d); // what the network reads: uint8 / divisor
  const pixelsOf = (set, i) => {
    const n = set.pixels.length / set.count;
    return scaled(set.pixels.subarray(i * n, (i + 1) * n));
  };
  const moments = {};
  for (const [name, { kernel, bias }] of Object.entries(weights)) {
    moments[name] = {
      kernel: { m: new Float32Array(kernel.data.length), v: new Float32Array(kernel.data.length) },
      bias: bias && { m: new Float32Array(bias.data.length), v: new Float32Array(bias.data.length) },
    };
  }
  const batches = Math.ceil(count / batchSize);
  const history = { loss: [], accuracy: [], valLoss: [], valAccuracy: [] }; // per epoch
  let epoch = 0;
  let batch = 0;
  let order = null;
  let steps = 0;
  let sums = { loss: 0, correct: 0, seen: 0 };

  function adam(grads) {
    steps += 1;
    const alpha = (learningRate * Math.sqrt(1 - ADAM.beta2 ** steps)) / (1 - ADAM.beta1 ** steps);
    for (const [name, { kernel, bias }] of Object.entries(weights)) {
      for (const [param, grad, m] of [
        [kernel, grads[name].kernel, moments[name].kernel],
        ...(bias ? [[bias, grads[name].bias, moments[name].bias]] : []),
      ]) {
        for (let i = 0; i < grad.length; i++) {
          const g = grad[i];
          m.m[i] = ADAM.beta1 * m.m[i] + (1 - ADAM.beta1) * g;
          m.v[i] = ADAM.beta2 * m.v[i] + (1 - ADAM.beta2) * g * g;
          param.data[i] -= (alpha * m.m[i]) / (Math.sqrt(m.v[i]) + ADAM.epsilon);
        }
      }
    }
  }

  /**
   * {loss, accuracy, confusion} of the network as trained so far on the images of `set`; confusion[t][p] counts the
   * images of true class t it predicts p.
   */
  function evaluate(set) {
    const n = set.count;
    let loss = 0;
    let correct = 0;
    const classes = spec.classes.length;
    const confusion = Array.from({ length: classes }, () => new Array(classes).fill(0));
    for (let i = 0; i < n; i++) {
      const p = softmax(net.forward(pixelsOf(set, i), weights).logits);
      const predicted = p.indexOf(Math.max(...p));
      loss -= Math.log(Math.max(p[set.labels[i]], 1e-7));
      if (predicted === set.labels[i]) correct++;
      confusion[set.labels[i]][predicted] += 1;
    }
    return { loss: loss / n, accuracy: correct / n, confusion };
  }

  function step() {
    if (epoch >= epochs) return { done: true, epoch, batch, batches };
    if (batch === 0) {
      order = shuffled(count, random);
      sums = { loss: 0, correct: 0, seen: 0 };
    }
    const members = order.slice(batch * batchSize, (batch + 1) * batchSize);
    const grads = {};
    for (const [name, { kernel, bias }] of Object.entries(weights)) {
      grads[name] = { kernel: new Float32Array(kernel.data.length), bias: bias && new Float32Array(bias.data.length) };
    }
    let loss = 0;
    let correct = 0;
    for (const i of members) {
      const pass = net.forward(pixelsOf(train, i), weights);
      const p = softmax(pass.logits);
      const label = train.labels[i];
      loss -= Math.log(Math.max(p[label], 1e-7));
      if (p.indexOf(Math.max(...p)) === label) correct++;
      const dLogits = Float32Array.from(p, (v, c) => (v - (c === label ? 1 : 0)) / members.length);
      net.backward(pass, dLogits, weights, grads);
    }
    adam(grads);
    sums = { loss: sums.loss + loss, correct: sums.correct + correct, seen: sums.seen + members.length };
    const report = { epoch: epoch + 1, batch: batch + 1, batches, loss: loss / members.length };
    report.accuracy = correct / members.length;
    batch += 1;
    if (batch === batches) {
      const held = evaluate(heldOut);
      const end = { loss: sums.loss / sums.seen, accuracy: sums.correct / sums.seen };
      Object.assign(end, { valLoss: held.loss, valAccuracy: held.accuracy, confusion: held.confusion });
      for (const key of Object.keys(history)) history[key].push(end[key]);
      report.epochEnd = end;
      epoch += 1;
      batch = 0;
    }
    report.done = epoch >= epochs;
    return report;
  }

  return {
    step,
    weights: () => copyWeights(weights),
    liveWeights: () => weights,
    probabilities: (pixels) => softmax(net.forward(scaled(pixels), weights).logits),
    history,
  };
}
