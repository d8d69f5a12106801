import { test } from "node:test";
import assert from "node:assert/strict";
import { editCounts, layerChanges, movers } from "../../src/whatif/summary.js";
import { shiftedPixels } from "../../src/image/preprocess.js";

test("the edits are counted by kind", () => {
  const edits = [
    { layer: "a", weight: "kernel", index: 1, value: 1 },
    { layer: "a", weight: "kernel", index: 2, value: 1 },
    { layer: "a", weight: "bias", index: 0, value: 1 },
    { layer: "b", silence: 3 },
  ];
  assert.deepEqual(editCounts(edits), { weights: 2, biases: 1, channels: 1 });
  assert.deepEqual(editCounts([]), { weights: 0, biases: 0, channels: 0 });
});

test("the classes that moved most come first, and a move under a tenth of a point is none", () => {
  const moves = movers([0.6, 0.3, 0.1, 0.0], [0.2, 0.6, 0.1995, 0.0]);
  assert.deepEqual(
    moves.map((m) => m.index),
    [0, 1],
  );
  assert.ok(Math.abs(moves[0].delta - 0.4) < 1e-12 && moves[1].delta < 0);
  assert.deepEqual(movers([0.5, 0.5], [0.5, 0.5]), []);
  assert.equal(movers([0.1, 0.2, 0.7], [0.7, 0.2, 0.1], 1).length, 1);
});

test("a layer's change is its mean absolute difference over its mean absolute value", () => {
  const map = (values) => ({ shape: [values.length], data: Float32Array.from(values) });
  const now = new Map([
    ["a", map([2, -2])],
    ["b", map([1, 1])],
    ["c", map([0, 0])],
  ]);
  const before = new Map([
    ["a", map([1, -1])],
    ["b", map([0, 0])],
    ["c", map([0, 0])],
  ]);
  assert.deepEqual(layerChanges(["a", "b", "c"], now, before), [
    { name: "a", change: 1 },
    { name: "b", change: 1 },
    { name: "c", change: 0 },
  ]);
});

test("a picture moved to the right fills the strip it leaves with its top-left pixel", () => {
  // 2 x 3, one channel: rows [1 2 3], [4 5 6]
  const pixels = Uint8Array.from([1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(shiftedPixels(pixels, [2, 3, 1], 1, 0)), [1, 1, 2, 1, 4, 5]);
  assert.deepEqual(Array.from(shiftedPixels(pixels, [2, 3, 1], 0, 1)), [1, 1, 1, 1, 2, 3]);
  assert.deepEqual(Array.from(shiftedPixels(pixels, [2, 3, 1], -1, 0)), [2, 3, 1, 5, 6, 1]);
  const rgb = Uint8Array.from([9, 8, 7, 1, 2, 3]); // 1 x 2, three channels
  assert.deepEqual(Array.from(shiftedPixels(rgb, [1, 2, 3], 1, 0)), [9, 8, 7, 9, 8, 7]);
});
