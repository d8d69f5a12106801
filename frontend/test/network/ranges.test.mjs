import { test } from "node:test";
import assert from "node:assert/strict";
import { readNetwork } from "../../src/network/network.js";
import {
  channelRanges,
  clippedExtent,
  colorRanges,
  differences,
  frameRanges,
  legendGroups,
  SATURATED,
} from "../../src/network/ranges.js";
import { makeSpec } from "../helpers/specs.mjs";

/** Per-map magnitudes for every drawn layer of `spec`: `of(name)` gives a layer's, others get 10 maps of 1. */
function extentsFor(spec, of) {
  return new Map(spec.layers.map((layer) => [layer.name, Float32Array.from(of(layer.name) ?? new Array(10).fill(1))]));
}

test("a range ends at the 90th percentile of its maps' magnitudes, nearest rank", () => {
  assert.equal(SATURATED, 0.1);
  assert.equal(clippedExtent([]), 0);
  assert.equal(clippedExtent([4]), 4);
  const twenty = Array.from({ length: 20 }, (_, i) => i + 1); // 1..20: 10% of 20 maps may be beyond
  assert.equal(clippedExtent(twenty), 18);
  assert.equal(clippedExtent([...twenty].reverse()), 18, "order does not matter");
  assert.equal(clippedExtent(Array.from({ length: 9 }, (_, i) => i + 1)), 9, "nine maps: none saturates");
});

test("one strong map no longer washes out the others of its block", () => {
  // Tiny VGG's conv_1_1 for the T-shirt: one channel reaches 3.37, the others at most 1.05.
  const conv = [0.3, 0.32, 0.51, 0.53, 0.63, 0.69, 0.75, 0.89, 1.05, 3.37];
  const relu = [0.3, 0.32, 0.45, 0.51, 0.53, 0.63, 0.69, 0.75, 0.89, 1.05];
  const spec = makeSpec({ blocks: 1 });
  const ranges = colorRanges(
    readNetwork(spec),
    extentsFor(spec, (name) => ({ conv_1_1: conv, relu_1_1: relu })[name]),
  );
  assert.deepEqual(ranges.get("conv_1_1"), {
    min: -1.0499999523162842,
    max: 1.0499999523162842,
    extent: 3.369999885559082,
  });
  assert.deepEqual(ranges.get("relu_1_1"), ranges.get("conv_1_1"), "a block shares one range");
});

test("block, layer and global modes share ranges as their legends do; the final layer is 0..1", () => {
  const spec = makeSpec({ blocks: 1, hidden: 4 });
  const of = { conv_1_1: [3], relu_1_1: [1], conv_1_2: [2], max_pool_1: [5], hidden: [9], dropout: [9] };
  const extents = extentsFor(spec, (name) => of[name]);
  const network = readNetwork(spec);
  const block = colorRanges(network, extents, "block");
  assert.equal(block.get("conv_1_1").max, 3);
  assert.equal(block.get("relu_1_1").max, 3);
  // conv_1_2 (2), relu_1_2 (ten maps of 1) and max_pool_1 (5) are one block of 12 maps: the strongest saturates.
  assert.deepEqual(block.get("max_pool_1"), { min: -2, max: 2, extent: 5 });
  assert.deepEqual(block.get("output"), { min: 0, max: 1, extent: 1 });
  const layer = colorRanges(network, extents, "layer");
  assert.equal(layer.get("relu_1_1").max, 1);
  assert.equal(layer.get("conv_1_1").max, 3);
  const global = colorRanges(network, extents, "global");
  // Every map layer shares one range: 14 maps (3, 1, 2, ten of 1, 5), the strongest one saturates.
  assert.deepEqual(global.get("relu_1_1"), { min: -3, max: 3, extent: 5 });
  assert.equal(global.get("hidden").max, 9, "and the vectors another");
  for (const [name, range] of global) if (name !== "output") assert.equal(range.min, -range.max, name);
  assert.throws(() => colorRanges(network, extents, "nope"), /unknown colour mode/);
});

test("a frame's ranges: each channel's min and max, the blocks' shared ranges from them, and the input's 0..max", () => {
  const network = readNetwork(makeSpec({ blocks: 1, filters: 2, size: 4, classes: 3 }));
  const activations = new Map();
  for (const column of network.columns) {
    if (column.kind === "output") continue;
    const size = column.shape.reduce((a, b) => a * b, 1);
    // channel c holds values (c + 1) * (i - size / 2) / size: channel 1 reaches twice channel 0's magnitude
    const data = Float32Array.from({ length: size }, (_, i) => {
      const c = i % column.shape.at(-1);
      return ((c + 1) * (i - size / 2)) / size;
    });
    activations.set(column.name, { shape: column.shape, data });
  }
  const { ranges, stats } = frameRanges(network, activations, "layer", 255);
  assert.deepEqual(ranges.get("input"), { min: 0, max: 255 });
  const conv = stats.get("conv_1_1");
  assert.ok(conv.mins[1] < conv.mins[0] && conv.maxs[1] > conv.maxs[0], "channel 1 spans more than channel 0");
  const extent = Math.max(Math.abs(conv.mins[1]), conv.maxs[1]);
  assert.equal(ranges.get("conv_1_1").extent, Math.fround(extent));
  assert.ok(!stats.has(network.last.name), "the class rows have no maps");
  const block = frameRanges(network, activations, "block", 255).ranges;
  assert.deepEqual(block.get("relu_1_1"), block.get("conv_1_1"), "a block shares one range");
});

test("the difference mode: a legend a layer, the input's signed too, and one changed map among many is not clipped", () => {
  const spec = makeSpec({ blocks: 1 });
  const network = readNetwork(spec);
  const groups = legendGroups(network, "difference");
  assert.deepEqual(groups[0], { kind: "difference", layers: ["input"] });
  assert.ok(groups.slice(1).every((group) => group.layers.length === 1));
  const extents = extentsFor(spec, (name) => (name === "conv_1_2" ? [0, 0, 0, 0, 0, 0, 0, 0, 0, 4] : [0]));
  assert.deepEqual(colorRanges(network, extents, "difference").get("conv_1_2"), { min: -4, max: 4, extent: 4 });
  assert.equal(colorRanges(network, extents, "layer").get("conv_1_2").max, 0, "clipped in the other modes");
  const a = new Map([["x", { shape: [2], data: Float32Array.from([1, 5]) }]]);
  const b = new Map([["x", { shape: [2], data: Float32Array.from([3, 5]) }]]);
  assert.deepEqual(Array.from(differences(a, b).get("x").data), [-2, 0]);
});

test("a channel's range is its smallest and largest value, whichever position holds them", () => {
  // 2 x 2 positions of 3 channels, channel last; no channel's first value is its min or max
  const data = Float32Array.from([5, -1, 0, 2, -7, 4, 9, 3, -2, 1, 0, 8]);
  const { mins, maxs } = channelRanges({ shape: [2, 2, 3], data });
  assert.deepEqual([...mins], [1, -7, -2]);
  assert.deepEqual([...maxs], [9, 3, 8]);
});
