import { test } from "node:test";
import assert from "node:assert/strict";
import { speak } from "../helpers/i18n.mjs";
import {
  cellText,
  busiestPatch,
  convOutput,
  convolve,
  classicKernels,
  padInput,
  windowProducts,
} from "../../src/article/playgroundMath.js";
import { plainNumber } from "../../src/ui/format.js";

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

test("classic kernels of any size: named, and summing as their kind does", () => {
  const sum = (values) => values.reduce((a, b) => a + b, 0);
  assert.deepEqual(
    classicKernels(1).map((k) => [k.id, Array.from(k.values)]),
    [["identity", [1]]],
  );
  for (const size of [2, 3, 4, 5, 6, 7]) {
    const kernels = Object.fromEntries(classicKernels(size).map((k) => [k.id, k]));
    assert.deepEqual(Object.keys(kernels), ["edge", "vertical", "horizontal", "blur", "sharpen"]);
    for (const kernel of Object.values(kernels)) assert.equal(kernel.values.length, size * size);
    assert.equal(sum(kernels.edge.values), 0, "an edge kernel gives 0 on a flat image");
    assert.equal(sum(kernels.vertical.values), 0);
    assert.equal(sum(kernels.horizontal.values), 0);
    assert.ok(Math.abs(sum(kernels.blur.values) - 1) < 1e-12, "a blur keeps the mean");
    assert.ok(Math.abs(sum(kernels.sharpen.values) - 1) < 1e-12, "so does sharpening");
  }
  const three = Object.fromEntries(classicKernels(3).map((k) => [k.id, Array.from(k.values)]));
  assert.deepEqual(three.edge, [-1, -1, -1, -1, 8, -1, -1, -1, -1]);
  assert.deepEqual(three.vertical, [-1, 0, 1, -1, 0, 1, -1, 0, 1]);
  assert.deepEqual(three.horizontal, [-1, -1, -1, 0, 0, 0, 1, 1, 1]);
  assert.equal(classicKernels(4)[0].values[5], 15, "an even size's centre: the upper-left of the middle four");
  assert.match(classicKernels(5)[0].about, /24 times the centre minus its 24 neighbours/);
});

test("plain numbers keep at most two decimals", () => {
  assert.equal(plainNumber(3), "3");
  assert.equal(plainNumber(10 / 3), "3.33");
  assert.equal(plainNumber(3.5), "3.5");
});

test("what is wrong is said in the page's language, with the same numbers", () => {
  speak("zh");
  try {
    assert.equal(
      convOutput({ input: 8, kernel: 3, padding: 0, stride: 2 }).problem,
      "步幅 2 不合适：(8 − 3 + 0) / 2 + 1 = 3.5，卷积核走完 3 步后，还剩 1 列没有被覆盖（Keras 会直接丢掉多出的列，输出大小为 3）",
    );
    assert.equal(convOutput({ input: 4, kernel: 5, padding: 0, stride: 1 }).problem, "卷积核大小 5 比输入 4 还大");
    assert.deepEqual(
      classicKernels(3).map((k) => k.name),
      ["边缘", "竖直边缘", "水平边缘", "模糊", "锐化"],
    );
    assert.match(classicKernels(5)[0].about, /中心的 24 倍减去周围 24 个邻居/);
  } finally {
    speak("en");
  }
  assert.match(convOutput({ input: 4, kernel: 3, padding: 0, stride: 2 }).problem, /after 1 step 1 column is left/);
});

test("a cell's number takes at most 4 characters, as precise as they allow", () => {
  const cases = [
    [0, "0"],
    [0.6118, ".61"],
    [-0.354, "-.35"],
    [0.001, ".00"],
    [1, "1.00"],
    [0.999, "1.00"],
    [-0.999, "-1.0"],
    [1.888, "1.89"],
    [-1.888, "-1.9"],
    [24.47, "24.5"],
    [-12.34, "-12"],
    [123.4, "123"],
    [-123, "-123"],
    [1234, "1234"],
    [12240, "12k"],
    [-12240, "-12k"],
    [123456, "123k"],
    [-123456, "-1e5"],
    [3e7, "3e7"],
  ];
  for (const [value, text] of cases) assert.equal(cellText(value), text, String(value));
  for (let i = 0; i < 2000; i++) {
    const value = (Math.random() - 0.5) * 10 ** (Math.random() * 8 - 2);
    const text = cellText(value);
    assert.ok(text.length <= 4, `${value} -> ${text}`);
    const read = text.endsWith("k") ? Number(text.slice(0, -1)) * 1000 : Number(text);
    // 4 characters hold 2 significant digits up to 999, and negative numbers 1 beyond ("-2k", off by a third at most)
    const within = Math.abs(value) < 1000 ? 0.051 * Math.max(1, Math.abs(value)) : 0.34 * Math.abs(value);
    assert.ok(Math.abs(read - value) <= within, `${value} -> ${text}`);
  }
});
