import { test } from "node:test";
import assert from "node:assert/strict";
import { readNetwork } from "../../src/network/network.js";
import { argmax, classProbabilities, softmax } from "../../src/network/predictions.js";
import { makeSpec } from "../helpers/specs.mjs";

test("softmax sums to one and is stable for large scores", () => {
  const p = softmax([1000, 1000, 999]);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-6);
  assert.ok(p[0] === p[1] && p[1] > p[2]);
});

test("softmax outputs are shown as they are; linear scores go through softmax", () => {
  const spec = makeSpec({ classes: 3 });
  assert.equal(readNetwork(spec).outputFunction, "softmax");
  assert.deepEqual(Array.from(classProbabilities(readNetwork(spec), [0.5, 0.25, 0.25])), [0.5, 0.25, 0.25]);
  spec.layers.at(-1).activation = "linear";
  const p = classProbabilities(readNetwork(spec), [0, 0, Math.log(2)]);
  assert.ok(Math.abs(p[2] - 0.5) < 1e-6);
  spec.layers.push({
    name: "softmax",
    kind: "activation",
    function: "softmax",
    input: "output",
    input_shape: [3],
    shape: [3],
  });
  assert.equal(readNetwork(spec).outputFunction, "softmax");
});

test("argmax takes the first of equal maxima", () => {
  assert.equal(argmax([0.1, 0.7, 0.7]), 1);
  assert.equal(argmax([3]), 0);
});
