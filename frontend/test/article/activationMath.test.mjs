import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ACTIVATIONS,
  HEIGHT,
  WIDTH,
  Y,
  Z,
  curveInputs,
  curvePoints,
  fromPlot,
  readZ,
  toPlot,
  valuesAt,
} from "../../src/article/activationMath.js";

const byName = Object.fromEntries(ACTIVATIONS.map((a) => [a.name, a.f]));

test("the four functions are ReLU, tanh, |tanh| and the sigmoid", () => {
  assert.deepEqual(
    ACTIVATIONS.map((a) => a.name),
    ["relu", "tanh", "abs_tanh", "sigmoid"],
  );
  for (const z of [-2.5, -1, -0.1, 0, 0.3, 1.5, 3]) {
    assert.equal(byName.relu(z), z > 0 ? z : 0);
    assert.equal(byName.tanh(z), Math.tanh(z));
    assert.equal(byName.abs_tanh(z), Math.abs(Math.tanh(z)));
    assert.ok(Math.abs(byName.sigmoid(z) - 1 / (1 + Math.exp(-z))) < 1e-15);
  }
  assert.equal(byName.sigmoid(0), 0.5);
  assert.equal(byName.abs_tanh(-2), byName.abs_tanh(2));
});

test("the plot's corners are the axes' ends, and fromPlot undoes toPlot", () => {
  assert.deepEqual(toPlot(Z[0], Y[1]), [0, 0]);
  assert.deepEqual(toPlot(Z[1], Y[0]), [WIDTH, HEIGHT]);
  for (const [z, y] of [
    [-1.2, 0.4],
    [0, 0],
    [2.7, -1],
  ]) {
    const [z2, y2] = fromPlot(toPlot(z, y));
    assert.ok(Math.abs(z2 - z) < 1e-12 && Math.abs(y2 - y) < 1e-12);
  }
  // the value grows upwards: a larger value is higher in the box (smaller y)
  assert.ok(toPlot(0, 1)[1] < toPlot(0, 0)[1]);
});

test("a curve is computed at every tenth from one end of z to the other, ReLU's corner among them", () => {
  const inputs = curveInputs();
  assert.equal(inputs[0], Z[0]);
  assert.equal(inputs.at(-1), Z[1]);
  assert.equal(inputs.length, Math.round((Z[1] - Z[0]) * 10) + 1);
  assert.ok(inputs.includes(0));
  for (const { f } of ACTIVATIONS) {
    const points = curvePoints(f)
      .split(" ")
      .map((pair) => pair.split(",").map(Number));
    assert.equal(points.length, inputs.length);
    points.forEach((point, i) => {
      const [z, y] = fromPlot(point);
      assert.ok(Math.abs(z - inputs[i]) < 1e-3, `z ${z} vs ${inputs[i]}`);
      assert.ok(Math.abs(y - f(inputs[i])) < 1e-3, `${f.name} at ${inputs[i]}`);
    });
  }
});

test("each plot's dot sits on its curve at z, and its words print the value", () => {
  const values = valuesAt(1.5);
  assert.deepEqual(
    values.map((v) => v.text),
    ["ReLU(1.5) = 1.50", "tanh(1.5) = 0.905", "|tanh(1.5)| = 0.905", "sigmoid(1.5) = 0.818"],
  );
  assert.deepEqual(
    valuesAt(-2).map((v) => v.text),
    ["ReLU(-2) = 0", "tanh(-2) = -0.964", "|tanh(-2)| = 0.964", "sigmoid(-2) = 0.119"],
  );
  for (const { name, value, point } of valuesAt(-0.7)) {
    assert.equal(value, byName[name](-0.7));
    assert.deepEqual(point, toPlot(-0.7, value));
  }
});

test("the slider's value is read on the axes, in whole steps", () => {
  assert.equal(readZ("1.5"), 1.5);
  assert.equal(readZ("9"), Z[1]);
  assert.equal(readZ("-9"), Z[0]);
  assert.equal(readZ("0.3000000004"), 0.3);
  assert.equal(readZ("nonsense"), 1.5);
});
