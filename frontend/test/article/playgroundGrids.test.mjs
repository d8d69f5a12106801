import { test } from "node:test";
import assert from "node:assert/strict";
import "../helpers/i18n.mjs";
import {
  CELL,
  cellSize,
  gridValues,
  inputCellMarks,
  nextPosition,
  startPosition,
  windowBoxes,
  windowSum,
} from "../../src/article/playgroundGrids.js";
import { convOutput } from "../../src/article/playgroundMath.js";

// a 4 x 4 image, 0 but for a bright square at rows 1-2, columns 2-3: the busiest 3 x 3 patches hold all of it, and
// the first in reading order starts at (0, 1)
const image = { shape: [4, 4, 1], data: Float32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0]) };
// two 2 x 2 filters on one channel, [kh, kw, in, out]: filter 0 is all 1, filter 1 is [[1, 0], [0, -2]]
const weights = {
  kernel: { shape: [2, 2, 1, 2], data: Float32Array.from([1, 1, 1, 0, 1, 0, 1, -2]) },
  bias: { data: Float32Array.from([0.5, 0.25]) },
};
const settings = { input: 3, kernel: 2, padding: 0, stride: 1, filter: 1, channel: 0, kernelKind: "filter" };

test("the grids' numbers: the busiest patch, the model's filter and bias, and their convolution", () => {
  const values = gridValues(settings, image, weights);
  assert.deepEqual([values.patch.top, values.patch.left], [0, 1]);
  assert.deepEqual([...values.padded], [0, 0, 0, 0, 1, 1, 0, 1, 1]);
  assert.deepEqual([...values.kernel], [1, 0, 0, -2]);
  assert.equal(values.bias, 0.25);
  assert.equal(values.classic, null);
  // window (0, 0): 0 - 2 * 1; (0, 1): 0 - 2; (1, 0): 0 - 2; (1, 1): 1 - 2; each + 0.25
  assert.deepEqual([...values.output], [-1.75, -1.75, -1.75, -0.75]);
  assert.deepEqual(values.kernelRange, { min: -2, max: 2 }, "the range of all the layer's weights, symmetric");
  assert.deepEqual(values.outputRange, { min: -1.75, max: 1.75 });
});

test("a classic kernel has no bias and its own colour range; settings that do not work have no output", () => {
  const blur = gridValues({ ...settings, kernelKind: "blur", padding: 1 }, image, weights);
  assert.ok(blur.classic);
  assert.equal(blur.bias, 0);
  assert.deepEqual([...blur.kernel], [0.25, 0.25, 0.25, 0.25]);
  assert.deepEqual(blur.kernelRange, { min: -0.25, max: 0.25 });
  assert.equal(blur.padded.length, 25);
  assert.equal(blur.output.length, 16);
  const wrong = gridValues({ ...settings, stride: 2 }, image, weights);
  assert.equal(wrong.output, null);
  assert.equal(wrong.outputRange, null);
  assert.equal(wrong.geometry.leftover, 1);
});

test("cells as large as fit the three grids side by side, else the widest alone, never below the smallest", () => {
  assert.equal(cellSize(1000, false, [7, 3, 5]), CELL.max);
  assert.equal(cellSize(700, false, [7, 3, 5]), 35, "(660 - 2) / 18 cells, less the gap");
  assert.equal(cellSize(1000, true, [7, 3, 5]), 32, "on paper the grids take 640 px at most");
  assert.equal(cellSize(460, false, [7, 3, 5]), CELL.max, "stacked: the input grid alone has room");
  assert.equal(cellSize(400, false, [12, 3, 10]), 31, "stacked: (390 - 2) / 12 cells, less the gap");
  assert.equal(cellSize(320, false, [18, 7, 12]), CELL.min, "a grid too wide for its line scrolls sideways");
});

test("input cells: the padding ring, and every cell left over when there is no output", () => {
  const same = { input: 3, padding: 1, kernel: 3, stride: 1 };
  const marks = inputCellMarks(same, convOutput(same), true);
  assert.equal(marks.length, 25);
  assert.deepEqual(marks.map((m) => (m.pad ? "p" : ".")).join(""), "ppppp" + "p...p" + "p...p" + "p...p" + "ppppp");
  assert.ok(
    marks.every((m) => !m.leftover),
    "every cell is under some window",
  );
  const wrong = { input: 4, padding: 0, kernel: 3, stride: 2 };
  const none = inputCellMarks(wrong, convOutput(wrong), false);
  assert.ok(none.every((m) => m.leftover && !m.pad));
});

test("the window over the input and its output cell, in pixels from their grids' corners", () => {
  const boxes = windowBoxes(5, 3, { kernel: 2, stride: 2 }, 30);
  assert.deepEqual(boxes, {
    row: 1,
    col: 2,
    window: { left: 124, top: 62, width: 61, height: 61 },
    target: { left: 62, top: 31, width: 30, height: 30 },
  });
});

test("the sum written for an output cell is its products, the bias and the cell's value", () => {
  const values = gridValues(settings, image, weights);
  assert.deepEqual(windowSum(values, settings, 1, 1), { count: 4, total: -1, bias: 0.25, value: -0.75 });
  assert.deepEqual(windowSum(values, settings, 0, 1), { count: 4, total: -2, bias: 0.25, value: -1.75 });
});

test("the animation goes through the output cells in reading order, and a redraw keeps its place if it can", () => {
  assert.equal(nextPosition(3, 9), 4);
  assert.equal(nextPosition(8, 9), 0);
  assert.equal(startPosition(5, new Float64Array(9)), 5);
  assert.equal(startPosition(5, new Float64Array(4)), 3);
  assert.equal(startPosition(5, null), 0);
});
