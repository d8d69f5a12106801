import { test } from "node:test";
import assert from "node:assert/strict";
import { formatNumber, formatShort, scientific } from "../../src/ui/format.js";

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

test("ordinary sizes print as decimals with three significant digits", () => {
  assert.deepEqual(scientific(2465.6), { mantissa: "2466", exponent: 0 });
  assert.deepEqual(scientific(0.0138), { mantissa: "0.0138", exponent: 0 });
  assert.deepEqual(scientific(-4.281), { mantissa: "-4.28", exponent: 0 });
});

test("very large and very small numbers get a power of ten", () => {
  assert.deepEqual(scientific(5.2e21), { mantissa: "5.20", exponent: 21 });
  assert.deepEqual(scientific(2.55e-5), { mantissa: "2.55", exponent: -5 });
  assert.deepEqual(scientific(9.999e6), { mantissa: "1.00", exponent: 7 });
  assert.deepEqual(scientific(0), { mantissa: "0", exponent: 0 });
});
