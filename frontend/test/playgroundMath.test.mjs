import { test } from "node:test";
import assert from "node:assert/strict";
import {
  busiestPatch,
  convOutput,
  convolve,
  describeFit,
  fitKernel,
  padInput,
  windowProducts,
} from "../src/article/playgroundMath.js";
import { plainNumber } from "../src/ui/format.js";

test("the output size is (W - K + 2P) / S + 1", () => {
  assert.deepEqual(
    [
      convOutput({ input: 28, kernel: 3, padding: 1, stride: 1 }).size,
      convOutput({ input: 7, kernel: 3, padding: 0, stride: 2 }).size,
    ],
    [28, 3],
  );
  const same = convOutput({ input: 5, kernel: 3, padding: 1, stride: 1 });
  assert.equal(same.valid, true);
  assert.equal(same.problem, null);
  assert.equal(same.steps, 5);
});

test("a kernel larger than the padded input is explained in words", () => {
  const result = convOutput({ input: 4, kernel: 5, padding: 0, stride: 1 });
  assert.equal(result.valid, false);
  assert.equal(result.problem, "kernel 5 is larger than the input 4");
  assert.equal(result.steps, 0);
  const padded = convOutput({ input: 2, kernel: 5, padding: 1, stride: 1 });
  assert.equal(padded.problem, "kernel 5 is larger than the padded input 4 (2 + 2 × 1)");
});

test("a stride that does not fit says what is left over and what Keras does", () => {
  const result = convOutput({ input: 8, kernel: 3, padding: 0, stride: 2 });
  assert.equal(result.valid, false);
  assert.equal(result.size, 3.5);
  assert.equal(result.steps, 3);
  assert.equal(result.leftover, 1);
  assert.equal(
    result.problem,
    "stride 2 does not fit: (8 − 3 + 0) / 2 + 1 = 3.5, so after 3 steps 1 column is left over (Keras would drop it and give 3)",
  );
  const two = convOutput({ input: 9, kernel: 2, padding: 0, stride: 3 });
  assert.match(two.problem, /= 3\.33, so after 3 steps 1 column is left over/);
  assert.match(
    convOutput({ input: 10, kernel: 3, padding: 0, stride: 4 }).problem,
    /3 columns are left over \(Keras would drop them/,
  );
});

test("padding as wide as the kernel works but is remarked on", () => {
  const result = convOutput({ input: 5, kernel: 2, padding: 2, stride: 1 });
  assert.equal(result.valid, true);
  assert.match(result.note, /corner windows see only zeros/);
});

test("hyper-parameters must be whole numbers in range", () => {
  assert.throws(() => convOutput({ input: 5, kernel: 0, padding: 0, stride: 1 }), /kernel must be/);
  assert.throws(() => convOutput({ input: 5, kernel: 2, padding: 0.5, stride: 1 }), /padding must be/);
});

test("padding, windows and the convolution agree with a hand computation", () => {
  const values = Float64Array.from([1, 2, 3, 4]); // 2 x 2
  const padded = padInput(values, 2, 1);
  assert.deepEqual(Array.from(padded), [0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
  const kernel = Float64Array.from([1, 0, 0, -1]); // 2 x 2
  assert.deepEqual(Array.from(windowProducts(padded, 4, kernel, 2, 1, 1, 1)), [1, 0, 0, -4]);
  const out = convolve(padded, 4, kernel, 2, 1, 0.5);
  assert.deepEqual(Array.from(out), [-0.5, -1.5, 0.5, -2.5, -2.5, 2.5, 0.5, 3.5, 4.5]);
  assert.deepEqual(Array.from(convolve(padded, 4, kernel, 2, 2, 0)), [-1, 0, 0, 4]);
});

test("the busiest patch is the one with the largest variance", () => {
  const data = new Float32Array(5 * 5);
  data[3 * 5 + 4] = 1; // one bright pixel near the bottom right
  const patch = busiestPatch({ shape: [5, 5, 1], data }, 2, 0);
  assert.equal(patch.values.length, 4);
  assert.ok(patch.values.includes(1));
  assert.equal(patch.top, 2);
  assert.equal(patch.left, 3);
  assert.throws(() => busiestPatch({ shape: [5, 5, 1], data }, 6, 0), /does not fit/);
});

test("fitting a kernel crops its centre or frames it with zeros, and says which", () => {
  const k3 = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(Array.from(fitKernel(k3, [3, 3], 3)), Array.from(k3));
  assert.deepEqual(Array.from(fitKernel(k3, [3, 3], 1)), [5]);
  assert.deepEqual(Array.from(fitKernel(k3, [3, 3], 2)), [1, 2, 4, 5]);
  assert.deepEqual(Array.from(fitKernel(k3, [3, 3], 5)).slice(5, 10), [0, 1, 2, 3, 0]);
  assert.equal(
    fitKernel(k3, [3, 3], 5).reduce((a, b) => a + b, 0),
    45,
  );
  assert.deepEqual(Array.from(fitKernel(k3, [3, 3], 4)).slice(0, 4), [1, 2, 3, 0]);
  assert.equal(describeFit([3, 3], 3), "its 3×3 weights as they are");
  assert.equal(describeFit([3, 3], 1), "its 3×3 weights fitted to 1×1: rows 2 of 3; columns 2 of 3");
  assert.equal(describeFit([3, 3], 2), "its 3×3 weights fitted to 2×2: rows 1–2 of 3; columns 1–2 of 3");
  assert.equal(
    describeFit([3, 3], 5),
    "its 3×3 weights fitted to 5×5: 1 zero row above and 1 below; 1 zero column left and 1 right",
  );
});

test("plain numbers keep at most two decimals", () => {
  assert.equal(plainNumber(3), "3");
  assert.equal(plainNumber(10 / 3), "3.33");
  assert.equal(plainNumber(3.5), "3.5");
});
