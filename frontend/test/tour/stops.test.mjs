import { test } from "node:test";
import assert from "node:assert/strict";
import { readNetwork } from "../../src/network/network.js";
import {
  activationQuestion,
  choices,
  classQuestion,
  examplesQuestion,
  fieldOf,
  liveliestChannel,
  placeOf,
  poolingQuestion,
  sizeQuestion,
  tourPlan,
  unfamiliarImage,
  valueAt,
  windowQuestion,
} from "../../src/tour/stops.js";
import { formatNumber } from "../../src/ui/format.js";
import { makeSpec } from "../helpers/specs.mjs";

const tensor = (shape, fill) => {
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: size }, (_, i) => fill(i)) };
};

test("the plan walks a Tiny VGG stop by stop, and leaves out what a model or a site without a test set lacks", () => {
  const network = readNetwork(makeSpec({ blocks: 2 }));
  const insights = { hasExamples: (name) => name.startsWith("relu"), mistakes: [3], pool: { count: 3 } };
  const ids = tourPlan(network, insights).map((stop) => stop.id);
  assert.deepEqual(ids, [
    "purpose",
    "input",
    "window",
    "map",
    "activation",
    "pooling",
    "size",
    "field",
    "examples",
    "scores",
    "softmax",
    "mistake",
    "unfamiliar",
    "next",
  ]);
  const plan = tourPlan(network, insights);
  assert.equal(plan.find((s) => s.id === "examples").layer, "relu_2_2", "the deepest layer with top examples");
  assert.equal(plan.find((s) => s.id === "size").layer, "max_pool_1");
  const without = tourPlan(network, null).map((stop) => stop.id);
  assert.ok(!without.includes("examples") && !without.includes("mistake"), "no test set, no such stops");
  const few = tourPlan(network, { ...insights, pool: { count: 2 } }).map((stop) => stop.id);
  assert.ok(!few.includes("examples") && few.includes("mistake"), "two test images cannot make three choices");
  const spec = makeSpec({ blocks: 1 });
  spec.layers = spec.layers.filter((layer) => layer.kind !== "pool");
  spec.layers.find((layer) => layer.kind === "flatten").input = "relu_1_2";
  const noPool = tourPlan(readNetwork(spec), null);
  assert.ok(!noPool.some((s) => s.id === "pooling"), "no pooling, no pooling stop");
  assert.equal(noPool.find((s) => s.id === "size").layer, "conv_1_1", "the size of a window all the same");
});

test("the liveliest channel spreads most; a place is where a value scores highest", () => {
  const t = tensor([2, 2, 3], (i) => (i % 3 === 1 ? (i - 5) * 2 : i % 3));
  assert.equal(liveliestChannel(t), 1);
  assert.deepEqual(placeOf(t, 1), [1, 1]);
  assert.deepEqual(
    placeOf(t, 1, (v) => -v),
    [0, 0],
  );
  assert.equal(valueAt(t, 1, [1, 0]), 4);
});

test("choices: the answer and up to three others that differ from it and each other as printed, sorted", () => {
  const picked = choices(0.5, [0.5001, 0.7, 0.7, NaN, -1, 2, 3]);
  assert.deepEqual(
    picked.map((c) => [c.value, c.correct]),
    [
      [-1, false],
      [0.5, true],
      [0.7, false],
      [2, false],
    ],
  );
  assert.equal(new Set(picked.map((c) => formatNumber(c.value))).size, 4);
});

test("the window question's answer is the output element it names, and a wrong answer is the sum without the bias", () => {
  const network = readNetwork(makeSpec({ blocks: 1, filters: 2, size: 4 }));
  const layer = network.layer("conv_1_1");
  const out = tensor([4, 4, 2], (i) => (i % 2 ? (i - 16) / 8 : 0.1));
  const question = windowQuestion(layer, new Map([["conv_1_1", out]]), Float32Array.from([0, 0.25]));
  assert.equal(question.kind, "value");
  assert.equal(question.neuron, 1);
  const correct = question.choices.find((c) => c.correct);
  assert.equal(correct.value, valueAt(out, 1, [question.row, question.col]));
  assert.ok(
    question.choices.some((c) => Math.abs(c.value - (correct.value - 0.25)) < 1e-6),
    "forgot the bias",
  );
  assert.equal(question.choices.filter((c) => c.correct).length, 1);
});

test("the activation question asks what the function makes of a negative value of its input", () => {
  const network = readNetwork(makeSpec({ blocks: 1, filters: 1, size: 2 }));
  const layer = network.layer("relu_1_1");
  const input = tensor([2, 2, 1], (i) => [0.3, -0.7, 1.2, -0.2][i]);
  const output = tensor([2, 2, 1], (i) => Math.max(0, input.data[i]));
  const question = activationQuestion(
    layer,
    new Map([
      [layer.input, input],
      [layer.name, output],
    ]),
  );
  assert.equal(question.x, Math.fround(-0.7));
  assert.deepEqual([question.row, question.col], [0, 1]);
  assert.equal(question.choices.find((c) => c.correct).value, 0);
  assert.ok(
    question.choices.some((c) => c.value === question.x),
    "x itself, left as it is",
  );
});

test("the pooling question's answer is the window's max; the mean, the minimum and the sum are the wrong ones", () => {
  const network = readNetwork(makeSpec({ blocks: 1, filters: 1, size: 4 }));
  const layer = network.layer("max_pool_1");
  const input = tensor([4, 4, 1], (i) => [1, 2, 0, 0, 3, 9, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1][i]);
  const output = tensor([2, 2, 1], (i) => [9, 0, 0, 1][i]);
  const question = poolingQuestion(
    layer,
    new Map([
      [layer.input, input],
      [layer.name, output],
    ]),
  );
  assert.deepEqual([question.row, question.col], [0, 0], "the window whose values spread most");
  assert.equal(question.choices.find((c) => c.correct).value, 9);
  assert.deepEqual(
    question.choices.map((c) => c.value),
    [1, 3.75, 9, 15],
  );
  assert.equal(question.dropped, 0.75);
});

test("the size question follows the window's arithmetic; its wrong answers are shapes too", () => {
  const network = readNetwork(makeSpec({ blocks: 1, filters: 10, size: 28 }));
  const question = sizeQuestion(network.layer("max_pool_1"));
  assert.equal(question.choices.find((c) => c.correct).value, "14,14,10");
  assert.ok(
    question.choices.some((c) => c.value === "28,28,10"),
    "the input's shape",
  );
  assert.equal(question.choices.length, 4);
  assert.equal(new Set(question.choices.map((c) => c.value)).size, 4);
  const conv = sizeQuestion({ ...network.layer("conv_1_1"), padding: "valid", shape: [26, 26, 10] });
  assert.equal(conv.choices.find((c) => c.correct).value, "26,26,10");
});

test("the class question's answer is the most probable class; the others are the next ones", () => {
  const question = classQuestion(Float32Array.from([0.1, 0.05, 0.6, 0.2, 0.05]));
  assert.deepEqual(
    question.choices.map((c) => [c.value, c.correct]),
    [
      [0, false],
      [1, false],
      [2, true],
      [3, false],
    ],
  );
});

test("the examples question's answer is the test image that excites the channel most", () => {
  const question = examplesQuestion("relu_2_2", 3, [
    { testIndex: 40, value: 1.5 },
    { testIndex: 7, value: 4.25 },
    { testIndex: 99, value: 0.5 },
  ]);
  assert.deepEqual(
    question.choices.map((c) => [c.value, c.correct]),
    [
      [7, true],
      [40, false],
      [99, false],
    ],
  );
});

test("a deep layer reads a larger field of the input than the first convolution's window", () => {
  const network = readNetwork(makeSpec({ blocks: 2, size: 28 }));
  const field = fieldOf(network, "relu_2_2", "conv_1_1");
  assert.deepEqual([field.firstHeight, field.firstWidth], [3, 3]);
  // two 3x3 convolutions (5x5), a 2x2 pooling (6x6), two more 3x3 convolutions at stride 2 (14x14)
  assert.deepEqual([field.height, field.width], [14, 14]);
});

test("the unfamiliar picture is a ring in the ink of the training images", () => {
  const light = unfamiliarImage([28, 28, 1], true);
  assert.equal(light[14 * 28 + 14], 0, "its middle is background");
  assert.equal(light[14 * 28 + 14 + 8], 255, "its ring is ink");
  assert.equal(light[0], 0);
  const dark = unfamiliarImage([8, 8, 3], false);
  assert.equal(dark.length, 8 * 8 * 3);
  assert.equal(dark[0], 255, "a light background for dark ink");
});
