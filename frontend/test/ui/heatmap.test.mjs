import { test } from "node:test";
import assert from "node:assert/strict";
import { fillHeatmap, fillImage } from "../../src/ui/heatmap.js";
import { greyLut } from "../../src/ui/colors.js";

test("one channel of a channels-last tensor is drawn through the lookup table", () => {
  // 1 x 2 image, 2 channels: channel 1 holds -1 and 1.
  const data = Float32Array.from([9, -1, 9, 1]);
  const pixels = fillHeatmap(new Uint8ClampedArray(8), data, 1, 2, 2, 1, -1, 1, greyLut(256));
  assert.deepEqual(Array.from(pixels), [0, 0, 0, 255, 255, 255, 255, 255]);
});

test("an empty range draws the middle colour; values outside the range clamp", () => {
  const lut = greyLut(256);
  const flat = fillHeatmap(new Uint8ClampedArray(4), [5], 1, 1, 1, 0, 0, 0, lut);
  assert.equal(flat[0], 127);
  const clamped = fillHeatmap(new Uint8ClampedArray(8), [-5, 5], 1, 2, 1, 0, 0, 1, lut);
  assert.deepEqual([clamped[0], clamped[4]], [0, 255]);
});

test("images: grey for one channel, RGB for three", () => {
  assert.deepEqual(Array.from(fillImage(new Uint8ClampedArray(4), [7], 1, 1, 1)), [7, 7, 7, 255]);
  assert.deepEqual(Array.from(fillImage(new Uint8ClampedArray(4), [1, 2, 3], 1, 1, 3)), [1, 2, 3, 255]);
});
