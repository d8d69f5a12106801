import { test } from "node:test";
import assert from "node:assert/strict";
import { denseUnit, firstElement } from "../../src/network/denseUnit.js";

const kernel = { shape: [3, 2], data: Float32Array.from([1, -1, 2, 0.5, -3, 4]) };
const bias = { shape: [2], data: Float32Array.from([0.25, -1]) };
const values = Float32Array.from([1, 2, 3]);

test("a unit's numbers: its weights, the products, their sum, its bias and score, every unit's score", () => {
  const unit = denseUnit(values, kernel, bias, 1);
  assert.equal(unit.values, values);
  assert.deepEqual(Array.from(unit.weights), [-1, 0.5, 4]);
  assert.deepEqual(Array.from(unit.products), [-1, 1, 12]);
  assert.equal(unit.dot, 12);
  assert.equal(unit.bias, -1);
  assert.equal(unit.score, 11);
  assert.deepEqual(Array.from(unit.scores), [1 + 4 - 9 + 0.25, 11]);
  assert.deepEqual(unit.weightRange, { min: -4, max: 4 });
  const first = denseUnit(values, kernel, bias, 0);
  assert.equal(first.dot, -4);
  assert.equal(first.score, -3.75);
  assert.deepEqual(first.weightRange, { min: -3, max: 3 });
});

test("without a bias the sum is the score", () => {
  const unit = denseUnit(values, kernel, null, 1);
  assert.equal(unit.bias, 0);
  assert.equal(unit.score, unit.dot);
});

test("the element shown first pushes the sum up most, or is the first when none does", () => {
  assert.equal(firstElement(Float64Array.from([-1, 1, 12])), 2);
  assert.equal(firstElement(Float64Array.from([0, 3, -5, 3])), 1);
  assert.equal(firstElement(Float64Array.from([-1, 0, -2])), 0);
});
