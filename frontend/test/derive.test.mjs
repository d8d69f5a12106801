import { test } from "node:test";
import assert from "node:assert/strict";
import { deriveLayer, isDerived, maxPool } from "../src/network/derive.js";
import { splitActivations } from "../src/model/payload.js";

/** A max-pooling spec layer. */
function pool(input_shape, shape, pool_size, strides, padding) {
  return { kind: "pool", op: "max", input_shape, shape, pool_size, strides, padding };
}

test("relu, max pooling, flatten and dropout are derived; conv, dense, tanh and average pooling are stored", () => {
  assert.ok(isDerived({ kind: "activation", function: "relu" }));
  assert.ok(isDerived({ kind: "pool", op: "max" }));
  assert.ok(isDerived({ kind: "flatten" }) && isDerived({ kind: "dropout" }));
  assert.ok(!isDerived({ kind: "activation", function: "tanh" }));
  assert.ok(!isDerived({ kind: "activation", function: "leaky_relu" }));
  assert.ok(!isDerived({ kind: "pool", op: "average" }));
  assert.ok(!isDerived({ kind: "conv" }) && !isDerived({ kind: "dense" }));
});

test("valid max pooling takes the maximum of each 2x2 window per channel", () => {
  // 4 x 4 x 2: channel 0 counts up, channel 1 counts down.
  const data = Float32Array.from({ length: 32 }, (_, i) => (i % 2 === 0 ? i / 2 : -i));
  const out = maxPool(data, pool([4, 4, 2], [2, 2, 2], [2, 2], [2, 2], "valid"));
  assert.deepEqual(Array.from(out), [5, -1, 7, -5, 13, -17, 15, -21]);
});

test("same max pooling pads like Keras: the extra row and column go at the end and are ignored", () => {
  const data = Float32Array.from([-1, -2, -3, -4, -5, -6, -7, -8, -9]);
  const out = maxPool(data, pool([3, 3, 1], [2, 2, 1], [2, 2], [2, 2], "same"));
  assert.deepEqual(Array.from(out), [-1, -3, -7, -9]);
});

test("overlapping 3x3 windows with stride 1 and same padding see only real pixels", () => {
  const data = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const out = maxPool(data, pool([3, 3, 1], [3, 3, 1], [3, 3], [1, 1], "same"));
  assert.deepEqual(Array.from(out), [5, 6, 6, 8, 9, 9, 8, 9, 9]);
});

test("derived relu clamps negatives to zero and keeps the rest bit for bit", () => {
  const out = deriveLayer({ kind: "activation", function: "relu" }, Float32Array.from([-1.5, 0, 2.25, -0]));
  assert.deepEqual(Array.from(out), [0, 0, 2.25, 0]);
});

test("splitActivations fills the layers the payload leaves out from the ones it stores", () => {
  const spec = {
    layers: [
      { name: "conv", kind: "conv", input: "input", shape: [2, 2, 1] },
      { name: "relu", kind: "activation", function: "relu", input: "conv", shape: [2, 2, 1] },
      {
        name: "pool",
        kind: "pool",
        op: "max",
        input: "relu",
        input_shape: [2, 2, 1],
        shape: [1, 1, 1],
        pool_size: [2, 2],
        strides: [2, 2],
        padding: "valid",
      },
      { name: "flatten", kind: "flatten", input: "pool", shape: [1] },
      { name: "out", kind: "dense", input: "flatten", shape: [2] },
    ],
  };
  const values = Float32Array.from([-1, 3, -2, 0.5, 0.25, 0.75]);
  const [layers] = splitActivations(values, spec, 1, ["conv", "out"]);
  assert.deepEqual(Array.from(layers.get("relu").data), [0, 3, 0, 0.5]);
  assert.deepEqual(Array.from(layers.get("pool").data), [3]);
  assert.deepEqual(Array.from(layers.get("flatten").data), [3]);
  assert.deepEqual(Array.from(layers.get("out").data), [0.25, 0.75]);
});

test("flatten and dropout pass their input through unchanged; a stored layer cannot be derived", () => {
  const input = Float32Array.from([1, -2, 3]);
  assert.equal(deriveLayer({ kind: "flatten", name: "f" }, input), input);
  assert.equal(deriveLayer({ kind: "dropout", name: "d" }, input), input);
  assert.throws(() => deriveLayer({ kind: "conv", name: "c" }, input), /c \(conv\) is stored/);
});
