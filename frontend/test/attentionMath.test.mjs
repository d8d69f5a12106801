import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { gradientStrength, overlay, relativeToMax, resizeBilinear } from "../src/insights/attentionMath.js";

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

test("values relative to their largest put the largest at 1, and all zeros stay zeros", () => {
  assert.deepEqual([...relativeToMax(Float32Array.from([0, 2, 1]))], [0, 1, 0.5]);
  assert.deepEqual([...relativeToMax(new Float32Array(3))], [0, 0, 0]);
});

test("an overlay lays the colour over the grey image in proportion to the strength", () => {
  const rgb = Uint8Array.from([30, 60, 90, 200, 200, 200]); // two colour pixels: grey 60 and 200
  const out = overlay(rgb, [1, 2, 3], Float32Array.from([0, 0.5]), [255, 0, 0]);
  assert.deepEqual([...out], [60, 60, 60, 255, 228, 100, 100, 255]);
});
