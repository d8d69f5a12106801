import { test } from "node:test";
import assert from "node:assert/strict";
import { formatNumber, formatShort } from "../src/ui/format.js";

test("numbers print with three significant digits", () => {
  assert.equal(formatNumber(0.012345), "0.0123");
  assert.equal(formatNumber(-1.5), "-1.50");
  assert.equal(formatNumber(123.4), "123");
  assert.equal(formatNumber(1234.5), "1235");
  assert.equal(formatNumber(0.99951), "1.00");
});

test("zero prints as 0 and tiny values keep their sign in exponent form", () => {
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(-0), "0");
  assert.equal(formatNumber(-2.5e-7), "-2.50e-7");
  assert.equal(formatNumber(Number.NaN), "NaN");
});

test("constants and legend ticks drop trailing zeros", () => {
  assert.equal(formatShort(0.2), "0.2");
  assert.equal(formatShort(1), "1");
  assert.equal(formatShort(-2.6549), "-2.65");
  assert.equal(formatShort(3e-5), "3.00e-5");
});
