import { test } from "node:test";
import assert from "node:assert/strict";
import { speak } from "../helpers/i18n.mjs";
import { windowGeometry } from "../../src/network/windowMath.js";
import {
  densityClass,
  formulaTerms,
  initialChannel,
  mapRatios,
  mapSizes,
  playsAtFirst,
} from "../../src/views/convLayout.js";

const conv = (size, kernel, padding, strides, out) =>
  windowGeometry({
    kind: "conv",
    kernel_size: [kernel, kernel],
    strides,
    padding,
    input_shape: [size, size, 1],
    shape: [...out, 1],
  });

test("few input channels get large maps, many get small ones", () => {
  assert.deepEqual([1, 3, 4, 16, 17, 64].map(densityClass), [" is-few", " is-few", "", "", " is-many", " is-many"]);
});

test("the maps are sized against the input map: with its padding ring, the output's width, the output's longer side", () => {
  const same = conv(28, 3, "same", [1, 1], [28, 28]); // a ring of one cell each side
  assert.deepEqual(mapRatios(same), { input: 30 / 28, intermediate: 1, output: 1 });
  const valid = conv(28, 3, "valid", [1, 1], [26, 26]);
  assert.deepEqual(mapRatios(valid), { input: 1, intermediate: 26 / 28, output: 1 });
  const strided = windowGeometry({
    kind: "conv",
    kernel_size: [2, 2],
    strides: [1, 2],
    padding: "valid",
    input_shape: [9, 8, 1],
    shape: [8, 4, 1],
  });
  assert.deepEqual(mapRatios(strided), { input: 1, intermediate: 0.5, output: 0.5 }); // taller than wide
  const wide = windowGeometry({
    kind: "conv",
    kernel_size: [2, 2],
    strides: [2, 1],
    padding: "valid",
    input_shape: [9, 8, 1],
    shape: [4, 7, 1],
  });
  assert.deepEqual(mapRatios(wide), { input: 1, intermediate: 7 / 8, output: 1 }); // wider than tall
  assert.deepEqual(mapSizes(same, "--fx-map"), {
    input: `calc(var(--fx-map) * ${30 / 28})`,
    intermediate: "max(var(--map-min), calc(var(--fx-map) * 1))",
  });
  assert.equal(mapSizes(valid, "--map").intermediate, `max(var(--map-min), calc(var(--map) * ${26 / 28}))`);
});

test("a formula from the URL opens when its channel exists, and the window plays only when nothing was asked for", () => {
  assert.equal(initialChannel(undefined, 3), null);
  assert.equal(initialChannel(0, 3), 0);
  assert.equal(initialChannel(2, 3), 2);
  assert.equal(initialChannel(3, 3), null);
  assert.equal(playsAtFirst(undefined, null, false), true);
  assert.equal(playsAtFirst([1, 2], null, false), false);
  assert.equal(playsAtFirst(undefined, 0, false), false);
  assert.equal(playsAtFirst(undefined, null, true), false);
});

test("the formula adds every intermediate, then the bias, equals the channel; the open one is marked", () => {
  speak("en");
  const terms = (options) =>
    formulaTerms(options).map((item) =>
      item.op ? `${item.op} (${item.label})` : `${item.kind} ${item.caption} [${item.className}] <${item.tag}>`,
    );
  assert.deepEqual(terms({ channels: 3, current: 1, useBias: true, neuron: 4 }), [
    "intermediate ch 0 [] <span>",
    "+ (plus)",
    "intermediate ch 1 [is-current] <span>",
    "+ (plus)",
    "intermediate ch 2 [] <span>",
    "+ (plus)",
    "bias bias [fx-bias] <span>",
    "= (equals)",
    "result channel 4 [fx-result] <output>",
  ]);
  assert.deepEqual(terms({ channels: 1, current: 0, useBias: false, neuron: 0 }), [
    "intermediate ch 0 [is-current] <span>",
    "= (equals)",
    "result channel 0 [fx-result] <output>",
  ]);
  assert.deepEqual(
    formulaTerms({ channels: 2, current: 0, useBias: false, neuron: 1 })
      .filter((item) => item.kind === "intermediate")
      .map((item) => item.channel),
    [0, 1],
  );
});
