import { test } from "node:test";
import assert from "node:assert/strict";
import { speak } from "../helpers/i18n.mjs";
import { makeSpec } from "../helpers/specs.mjs";
import { isolate } from "../../src/ui/text.js";
import { convSummary, formulaHeading, kernelAlt, termsKey } from "../../src/views/convMessages.js";

const spec = makeSpec({ blocks: 1, filters: 10, channels: 1 });
const first = spec.layers[0]; // conv_1_1: 3x3, stride 1, same, with a bias, one input channel
const second = spec.layers[2]; // conv_1_2: ten input channels

test("the summary names the kernels, stride and padding, and whether one channel or several and a bias are summed", () => {
  assert.deepEqual(convSummary(first, { name: "input" }, 3), {
    how: ["view.conv.how", { count: 1, height: 3, width: 3, stride: 1, padding: "view.conv.padding.same" }],
    summary: ["view.conv.summary.oneBias", { source: "input", layer: "conv_1_1", channel: 3, count: 1 }],
  });
  const strided = { ...second, strides: [2, 1], padding: "valid", use_bias: false };
  const { how, summary } = convSummary(strided, { name: "relu_1_1" }, 0);
  assert.equal(how[1].stride, "2×1");
  assert.equal(how[1].padding, "view.conv.padding.valid");
  assert.equal(how[1].count, 10);
  assert.equal(summary[0], "view.conv.summary.many");
  assert.equal(convSummary(second, { name: "relu_1_1" }, 0).summary[0], "view.conv.summary.manyBias");
});

test("the formula's sum is named for one channel or several, with or without a bias", () => {
  assert.equal(termsKey(1, false), "view.formula.terms.one");
  assert.equal(termsKey(1, true), "view.formula.terms.oneBias");
  assert.equal(termsKey(2, false), "view.formula.terms.many");
  assert.equal(termsKey(3, false), "view.formula.terms.many");
  assert.equal(termsKey(3, true), "view.formula.terms.manyBias");
});

test("a kernel image is described by its channel and the range of its weights", () => {
  speak("en");
  const format = (value) => value.toFixed(2);
  assert.equal(
    kernelAlt(2, Float64Array.from([0.5, -1.25, 3]), format),
    `Kernel of channel 2: weights from ${isolate("-1.25")} to ${isolate("3.00")}`,
  );
});

test("the formula's title and accessible name say the channel and the window's position", () => {
  speak("en");
  assert.deepEqual(formulaHeading(0, [4, 11]), {
    title: "Channel 0 at row 4, col 11",
    label: "Arithmetic of channel 0 at row 4, column 11",
  });
});
