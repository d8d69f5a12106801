import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import {
  edgePath,
  gradientStrength,
  heatPixels,
  largest,
  mapRange,
  resizeBilinear,
} from "../../src/insights/attentionMath.js";
import { greenLut } from "../../src/ui/colors.js";

await tf.setBackend("cpu");

test("a gradient's strength is its largest magnitude over the channels of each pixel", () => {
  const gradient = { shape: [1, 2, 3], data: Float32Array.from([0.1, -0.5, 0.2, -0.05, 0.01, 0.02]) };
  assert.deepEqual([...gradientStrength(gradient)], [Math.fround(0.5), Math.fround(0.05)]);
});

test("a Grad-CAM map is brought to the image's size as tf.image.resizeBilinear does with pixel centres", () => {
  const values = Float32Array.from({ length: 12 }, (_, i) => ((i * 7) % 5) - 1.5);
  for (const [h, w, height, width] of [
    [3, 4, 28, 28],
    [4, 3, 9, 10],
    [3, 4, 3, 4],
    [1, 1, 5, 5],
  ]) {
    const ours = resizeBilinear(values.subarray(0, h * w), [h, w], [height, width]);
    const theirs = tf.image
      .resizeBilinear(tf.tensor4d(values.subarray(0, h * w), [1, h, w, 1]), [height, width], false, true)
      .dataSync();
    assert.equal(ours.length, height * width);
    ours.forEach((v, i) => assert.ok(Math.abs(v - theirs[i]) < 1e-5, `${h}x${w} -> ${height}x${width} at ${i}`));
  }
});

test("a map's largest value is its scale's top", () => {
  assert.equal(largest(Float32Array.from([0, 2, 1])), 2);
  assert.equal(largest(new Float32Array(0)), 0);
  assert.equal(largest(Float32Array.from([-3, -1])), 0);
  assert.deepEqual(mapRange(Float32Array.from([0.5, 3, 1])), { min: 0, max: 3 }, "a legend runs from 0 to it");
  assert.deepEqual(mapRange(Float32Array.from([-2, -1])), { min: 0, max: 0 }, "never below 0");
});

test("a map's pixels are its values on the scale's lookup table, clamped at its top", () => {
  const lut = greenLut();
  const entry = (i) => [...lut.slice(i * 4, i * 4 + 3), 255];
  const out = heatPixels(Float32Array.from([0, 1, 2, 4]), 2, lut);
  assert.deepEqual([...out], [...entry(0), ...entry(128), ...entry(255), ...entry(255)]);
  assert.deepEqual([...heatPixels(Float32Array.from([0, 0]), 0, lut)], [...entry(0), ...entry(0)]);
});

test("the image's edges are the sides between pixels that differ by more than a share of its range", () => {
  // a 3 x 3 grey image: a bright pixel in the middle of a dark one, and a faint one at the top left
  const pixels = Uint8Array.from([20, 0, 0, 0, 200, 0, 0, 0, 0]);
  assert.equal(edgePath(pixels, [3, 3, 1]), "M1 1h1M1 1v1M2 1v1M1 2h1");
  assert.equal(edgePath(new Uint8Array(4), [2, 2, 1]), ""); // a flat image has none
  // RGB: the mean of the channels
  assert.equal(edgePath(Uint8Array.from([0, 0, 0, 90, 90, 90]), [1, 2, 3]), "M1 0v1");
});
