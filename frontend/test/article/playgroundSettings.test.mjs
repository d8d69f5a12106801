import { test } from "node:test";
import assert from "node:assert/strict";
import "../helpers/i18n.mjs";
import {
  LIMITS,
  channelChoices,
  fittingKernelKind,
  kernelChoices,
  layerSettings,
  modelKernelSize,
  readKernelChoice,
  startingPlayground,
} from "../../src/article/playgroundSettings.js";

const conv = (kernel, strides, padding, filters = 4) => ({
  name: "conv1",
  kernel_size: kernel,
  strides,
  padding,
  filters,
});
const isolated = (text) => `\u2068${text}\u2069`;

test("the sliders start at the layer's own kernel, stride and padding, within what they allow", () => {
  assert.deepEqual(layerSettings(conv([3, 3], [1, 1], "same")), { input: 7, kernel: 3, padding: 1, stride: 1 });
  assert.deepEqual(layerSettings(conv([5, 5], [2, 2], "valid")), { input: 7, kernel: 5, padding: 0, stride: 2 });
  // a kernel larger than the default patch widens it; one beyond the sliders is cut to their end
  assert.deepEqual(layerSettings(conv([9, 9], [5, 5], "same")), { input: 9, kernel: 7, padding: 4, stride: 4 });
  assert.equal(layerSettings(conv([13, 13], [1, 1], "valid")).input, LIMITS.input[1]);
});

test("a playground starts where the last one was left, else at the layer's settings and playing", () => {
  const layer = conv([3, 3], [1, 1], "same");
  assert.deepEqual(startingPlayground(layer), {
    settings: { input: 7, kernel: 3, padding: 1, stride: 1, filter: 0, channel: 0, kernelKind: "filter" },
    preferFilter: true,
    playing: true,
    position: 0,
  });
  assert.equal(startingPlayground(layer, {}, true).playing, false, "not with reduced motion");
  const kept = {
    settings: { input: 5, kernel: 2, padding: 0, stride: 1, filter: 2, channel: 0, kernelKind: "blur" },
    preferFilter: false,
    playing: false,
    position: 7,
  };
  assert.deepEqual(startingPlayground(layer, kept, false), kept);
});

test("the square playground shows only square filters as they are", () => {
  assert.equal(modelKernelSize(conv([3, 3], [1, 1], "same")), 3);
  assert.equal(modelKernelSize(conv([3, 5], [1, 1], "same")), null);
});

test("the model's filters are shown at their own size, and classic kernels at any other", () => {
  const at = (kernel, kernelKind, preferFilter) => fittingKernelKind({ kernel, kernelKind }, 3, preferFilter);
  assert.equal(at(3, "blur", true), "filter", "back to the model's filter when its size comes back");
  assert.equal(at(3, "blur", false), "blur", "unless the visitor chose a classic kernel last");
  assert.equal(at(3, "filter", false), "filter");
  assert.equal(at(5, "filter", true), "edge", "no filter of the model at another size: the first classic kernel");
  assert.equal(at(5, "sharpen", true), "sharpen");
  assert.equal(at(1, "blur", false), "identity", "a kernel that has no such size gives way to one that has");
  assert.equal(
    fittingKernelKind({ kernel: 3, kernelKind: "filter" }, null, true),
    "edge",
    "a filter that is not square",
  );
});

test("the kernel choices: the model's filters at their size, then the classic kernels", () => {
  const layer = conv([3, 3], [1, 1], "same", 3);
  const settings = { kernel: 3, kernelKind: "filter", filter: 2 };
  const own = kernelChoices(settings, layer, 3);
  assert.deepEqual(own, {
    groups: [
      {
        label: `${isolated("conv1")} (this model)`,
        options: [
          { label: "filter 0", value: "filter:0" },
          { label: "filter 1", value: "filter:1" },
          { label: "filter 2", value: "filter:2" },
        ],
      },
      {
        label: "Classic kernels (not from this model)",
        options: [
          { label: "edge", value: "edge" },
          { label: "vertical edges", value: "vertical" },
          { label: "horizontal edges", value: "horizontal" },
          { label: "blur", value: "blur" },
          { label: "sharpen", value: "sharpen" },
        ],
      },
    ],
    value: "filter:2",
  });
  const five = kernelChoices({ kernel: 5, kernelKind: "blur", filter: 2 }, layer, 3);
  assert.equal(five.groups.length, 1, "no filter of the model at another size");
  assert.equal(five.value, "blur");
  assert.deepEqual(kernelChoices({ kernel: 1, kernelKind: "identity", filter: 0 }, layer, 3).groups[0].options, [
    { label: "identity", value: "identity" },
  ]);
});

test("choosing a kernel says whether it is the model's, and which filter", () => {
  assert.deepEqual(readKernelChoice("filter:4"), { preferFilter: true, patch: { kernelKind: "filter", filter: 4 } });
  assert.deepEqual(readKernelChoice("sharpen"), { preferFilter: false, patch: { kernelKind: "sharpen" } });
});

test("an input of several channels offers each, one of one channel none", () => {
  assert.deepEqual(channelChoices(1), []);
  assert.deepEqual(channelChoices(3), [
    { label: "channel 0", value: "0" },
    { label: "channel 1", value: "1" },
    { label: "channel 2", value: "2" },
  ]);
});
