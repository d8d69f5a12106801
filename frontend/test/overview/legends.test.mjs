import { test } from "node:test";
import assert from "node:assert/strict";
import { fitLabels } from "../../src/overview/legends.js";

const widthOf = (text) => text.length * 7; // 7 px a character

test("a legend writes all three numbers when they fit apart, else its ends, else one label", () => {
  const full = ["≤-1.24", "0", "≥1.24"];
  // 42 + 7 + 35 and two gaps of 6 px: 96 px; the ends alone, 83 px
  assert.deepEqual(fitLabels(full, "±1.24+", widthOf, 96), { texts: full, compact: false });
  assert.deepEqual(fitLabels(full, "±1.24+", widthOf, 95), { texts: ["≤-1.24", "", "≥1.24"], compact: false });
  assert.deepEqual(fitLabels(full, "±1.24+", widthOf, 82), { texts: ["", "±1.24+", ""], compact: true });
  // without numbers, only the 0
  assert.deepEqual(fitLabels(["", "0", ""], "", widthOf, 20), { texts: ["", "0", ""], compact: false });
  assert.deepEqual(fitLabels(["", "0", ""], "", widthOf, 5), { texts: ["", "", ""], compact: true });
});
