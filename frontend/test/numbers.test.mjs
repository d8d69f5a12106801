import { test } from "node:test";
import assert from "node:assert/strict";
import { scientific } from "../src/ui/numbers.js";

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
