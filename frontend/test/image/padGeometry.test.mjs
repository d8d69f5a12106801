import { test } from "node:test";
import assert from "node:assert/strict";
import { brushRange, brushWidth, padPoint, padSide } from "../../src/image/padGeometry.js";

test("the pad is a whole multiple of the model's size, at least 280 pixels", () => {
  assert.equal(padSide(28), 280);
  assert.equal(padSide(32), 288);
  assert.equal(padSide(64), 320, "5 times 64: 4 times would fall short");
  assert.equal(padSide(10), 280);
  assert.equal(padSide(300), 300);
});

test("the brush goes up to a quarter of the image (at least 4) and starts at a tenth, or where it was", () => {
  assert.deepEqual(brushRange(28), { min: "1", max: "7", value: "3" });
  assert.deepEqual(brushRange(10), { min: "1", max: "4", value: "1" });
  assert.deepEqual(brushRange(28, "5"), { min: "1", max: "7", value: "5" });
});

test("a brush of model pixels is as wide on the pad, and a pointer lands on the pad's pixels", () => {
  assert.equal(brushWidth(3, 280, 28), 30);
  const box = { left: 10, top: 20, width: 100, height: 50 };
  assert.deepEqual(padPoint({ clientX: 60, clientY: 40 }, box, 280), [140, 112]);
  assert.deepEqual(padPoint({ clientX: 10, clientY: 70 }, box, 280), [0, 280]);
});
