import { test } from "node:test";
import assert from "node:assert/strict";
import { compile, initialWeights, seeded, softmax } from "../../src/training/engine.js";
import { createTrainer, shuffled } from "../../src/training/trainer.js";
import { makeSpec } from "../helpers/specs.mjs";

// every kind the page trains, with strides, both paddings and a fused activation
function smallSpec() {
  const layers = [];
  let shape = [7, 7, 2];
  let previous = "input";
  const add = (entry, out) => {
    layers.push({ ...entry, input: previous, input_shape: shape, shape: out });
    [previous, shape] = [entry.name, out];
  };
  const conv = { kind: "conv", kernel_size: [3, 3], use_bias: true };
  add({ name: "scale", kind: "rescaling", scale: 2, offset: -0.5 }, [7, 7, 2]);
  add(
    {
      name: "pad",
      kind: "padding",
      padding: [
        [1, 0],
        [0, 1],
      ],
    },
    [8, 8, 2],
  );
  add({ ...conv, name: "c1", filters: 3, strides: [2, 2], padding: "same", activation: "tanh" }, [4, 4, 3]);
  add({ ...conv, name: "c2", filters: 4, strides: [1, 1], padding: "valid", activation: "linear" }, [2, 2, 4]);
  add({ name: "r", kind: "activation", function: "leaky_relu", alpha: 0.1 }, [2, 2, 4]);
  add({ name: "mp", kind: "pool", op: "average", pool_size: [2, 2], strides: [1, 1], padding: "same" }, [2, 2, 4]);
  add({ name: "f", kind: "flatten" }, [16]);
  add({ name: "d", kind: "dense", units: 5, activation: "sigmoid", use_bias: true }, [5]);
  add({ name: "drop", kind: "dropout", rate: 0.5 }, [5]);
  add({ name: "out", kind: "dense", units: 3, activation: "softmax", use_bias: true }, [3]);
  return { input: { shape: [7, 7, 2], pixel_divisor: 1 }, classes: ["a", "b", "c"], layers };
}

function lossOf(net, x, weights, label) {
  return -Math.log(softmax(net.forward(x, weights).logits)[label]);
}

/** The weights (every third) whose computed gradient differs from the loss's finite difference; `plant` may change
 * the computed gradients first. */
function mismatches(spec, plant = () => {}) {
  const net = compile(spec);
  const weights = initialWeights(spec, 3);
  const random = seeded(9);
  for (const { bias } of Object.values(weights)) if (bias) bias.data.forEach((_, i) => (bias.data[i] = random() - 0.5));
  const x = Float32Array.from({ length: spec.input.shape.reduce((a, b) => a * b) }, () => random());
  const label = 1;
  const pass = net.forward(x, weights);
  const p = softmax(pass.logits);
  const grads = {};
  for (const [name, w] of Object.entries(weights)) {
    grads[name] = {
      kernel: new Float32Array(w.kernel.data.length),
      bias: w.bias && new Float32Array(w.bias.data.length),
    };
  }
  net.backward(
    pass,
    Float32Array.from(p, (v, c) => v - (c === label ? 1 : 0)),
    weights,
    grads,
  );
  plant(grads);
  const wrong = [];
  let checked = 0;
  for (const [name, w] of Object.entries(weights)) {
    for (const part of ["kernel", "bias"]) {
      if (!w[part]) continue;
      for (let i = 0; i < w[part].data.length; i += 3) {
        const keep = w[part].data[i];
        const eps = 2e-3; // small: a ReLU's kink or a max pool's switch inside the step would blur the slope
        w[part].data[i] = keep + eps;
        const up = lossOf(net, x, weights, label);
        w[part].data[i] = keep - eps;
        const down = lossOf(net, x, weights, label);
        w[part].data[i] = keep;
        const numeric = (up - down) / (2 * eps);
        const analytic = grads[name][part][i];
        if (Math.abs(numeric - analytic) > 2e-3 + 2e-2 * Math.abs(numeric)) wrong.push(`${name}.${part}[${i}]`);
        checked++;
      }
    }
  }
  assert.ok(checked > 20);
  return wrong;
}

test("every weight's gradient equals the loss's finite difference", () => {
  assert.deepEqual(mismatches(smallSpec()), []);
  assert.deepEqual(mismatches(makeSpec({ blocks: 1, filters: 2, size: 6, classes: 3 })), []);
});

test("the check can fail: a gradient 10% off in one layer is found", () => {
  const wrong = mismatches(smallSpec(), (grads) => grads.c2.kernel.forEach((g, i, a) => (a[i] = g * 1.1)));
  assert.ok(wrong.length > 0 && wrong.every((name) => name.startsWith("c2.kernel")), String(wrong));
});

test("initial weights are Glorot-uniform, seeded, and biases start at 0", () => {
  const spec = makeSpec();
  const a = initialWeights(spec, 1);
  const b = initialWeights(spec, 1);
  assert.deepEqual(a.conv_1_2.kernel.data, b.conv_1_2.kernel.data);
  assert.notDeepEqual(a.conv_1_2.kernel.data, initialWeights(spec, 2).conv_1_2.kernel.data);
  const limit = Math.sqrt(6 / (9 * 10 + 9 * 10));
  const values = Array.from(a.conv_1_2.kernel.data);
  assert.ok(Math.max(...values.map(Math.abs)) <= limit && Math.max(...values.map(Math.abs)) > 0.9 * limit);
  assert.ok(a.output.bias.data.every((v) => v === 0));
  assert.deepEqual(shuffled(5, seeded(1)).toSorted(), [0, 1, 2, 3, 4]);
});

test("a small network learns stripes: held-out accuracy far above chance, the loss falls", () => {
  const spec = makeSpec({ blocks: 1, filters: 4, size: 8, classes: 2 });
  const make = (count, seed) => {
    const random = seeded(seed);
    const labels = Array.from({ length: count }, (_, i) => i % 2);
    const pixels = new Uint8Array(count * 64);
    labels.forEach((label, i) => {
      for (let p = 0; p < 64; p++) {
        const stripe = label ? p % 8 < 4 : Math.floor(p / 8) < 4;
        pixels[i * 64 + p] = (stripe ? 180 : 20) + Math.floor(random() * 60);
      }
    });
    return { pixels, labels, count };
  };
  const trainer = createTrainer({
    spec,
    train: make(200, 1),
    heldOut: make(60, 2),
    divisor: 255,
    settings: { images: 200, epochs: 3, batchSize: 16, learningRate: 1e-2, seed: 4 },
  });
  let report;
  do report = trainer.step();
  while (!report.done);
  assert.equal(trainer.history.valAccuracy.length, 3);
  assert.ok(trainer.history.valAccuracy[2] >= 0.95, String(trainer.history.valAccuracy));
  assert.ok(trainer.history.loss[2] < trainer.history.loss[0]);
});
