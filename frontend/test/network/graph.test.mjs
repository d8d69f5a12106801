import { test } from "node:test";
import assert from "node:assert/strict";
import { gradCamLayerIndex, readNetwork } from "../../src/network/network.js";
import { concatenated } from "../../src/network/kinds.js";
import { receptiveField } from "../../src/network/receptiveField.js";
import { columnEdges, incomingEdges, sourcesOf } from "../../src/overview/edges.js";
import { computeLayout, skipLanes } from "../../src/overview/layout.js";
import { branchesSpec, makeSpec, residualSpec } from "../helpers/specs.mjs";

test("a residual block's columns read what the spec says, and the skips are the inputs not read from the column before", () => {
  const network = readNetwork(residualSpec());
  const add = network.column("add");
  assert.deepEqual(
    add.inputs.map((i) => [i.source, i.connect]),
    [
      ["conv_b", "one"],
      ["shortcut", "one"],
    ],
  );
  assert.deepEqual(
    add.skips.map((i) => i.source),
    ["conv_b"],
    "the shortcut's column stands between conv_b and the sum",
  );
  assert.deepEqual(
    network.column("shortcut").skips.map((i) => i.source),
    ["stem_relu"],
  );
  assert.deepEqual(network.column("conv_a").skips, []);
  assert.equal(network.column("shortcut").connect, "all");
  // the sum starts a colour block of its own: its inputs are on two scales
  assert.ok(network.blocks.some((block) => block.layers[0] === "add"));
});

test("skip connections that overlap run in lanes of their own; the layout keeps them under the neurons", () => {
  const network = readNetwork(residualSpec());
  const lanes = skipLanes(network.columns);
  assert.equal(lanes.count, 2);
  assert.notEqual(lanes.of.get("shortcut#0"), lanes.of.get("add#0"));
  assert.equal(lanes.of.get("add#1"), undefined, "read from the column before: no lane");
  const layout = computeLayout(network, 1200, 600);
  const add = layout.columns.find((c) => c.name === "add");
  assert.equal(add.lanes[1], null);
  assert.ok(add.lanes[0] > layout.neuronBottom && add.lanes[0] < layout.legendTop);
  const chain = computeLayout(readNetwork(makeSpec()), 1200, 600);
  assert.equal(chain.legendTop, chain.neuronBottom + 8, "a chain has no lanes");
});

test("a skip connection is drawn as one bundle along its lane: out of the source, along, into the target", () => {
  const network = readNetwork(residualSpec());
  const layout = computeLayout(network, 1200, 600);
  const column = (name) => layout.columns.find((c) => c.name === name);
  const add = column("add");
  const d = columnEdges(add, column("conv_b"), undefined, network.column("add").inputs[0], add.lanes[0]);
  assert.equal((d.match(/H/g) || []).length, 1, "one trunk");
  assert.equal((d.match(/C/g) || []).length, 8, "4 channels out, 4 in");
  assert.ok(d.includes(` ${add.lanes[0].toFixed(1)}H`));
  const { d: one, sources } = incomingEdges(add, column("conv_b"), 2, network.column("add").inputs[0], add.lanes[0]);
  assert.deepEqual(sources, [2]);
  assert.equal((one.match(/C/g) || []).length, 2);
});

test("a concatenation's channel reads one channel of one input, counted from that input's first", () => {
  const network = readNetwork(branchesSpec());
  const joined = network.column("joined");
  assert.deepEqual(
    joined.inputs.map((i) => [i.source, i.offset]),
    [
      ["small", 0],
      ["large", 3],
    ],
  );
  const layout = computeLayout(network, 1200, 600);
  const column = (name) => layout.columns.find((c) => c.name === name);
  assert.deepEqual(sourcesOf(column("joined"), column("large"), 4, joined.inputs[1]), [1]);
  assert.deepEqual(sourcesOf(column("joined"), column("large"), 1, joined.inputs[1]), []);
  assert.deepEqual(sourcesOf(column("joined"), column("small"), 1, joined.inputs[0]), [1]);
  const layer = network.layer("joined");
  assert.deepEqual(concatenated(layer, 4), { input: "large", position: 1, channel: 1, offset: 3 });
  assert.deepEqual(concatenated(layer, 2), { input: "small", position: 0, channel: 2, offset: 0 });
  assert.throws(() => concatenated(layer, 5), /has 5 channels/);
});

test("where paths join, the receptive field holds every path's", () => {
  // stem 3x3, then the 5x5 branch: 7x7 around the position; the 3x3 branch alone would give 5x5
  assert.deepEqual(receptiveField(readNetwork(branchesSpec()), "joined", [4, 4]), {
    top: 1,
    left: 1,
    bottom: 7,
    right: 7,
  });
  assert.deepEqual(receptiveField(readNetwork(branchesSpec()), "small", [4, 4]), {
    top: 2,
    left: 2,
    bottom: 6,
    right: 6,
  });
});

test("Grad-CAM weighs maps every path to the scores goes through: after a residual block's sum, not its shortcut", () => {
  const spec = residualSpec();
  const names = spec.layers.map((layer) => layer.name);
  assert.equal(names[gradCamLayerIndex(spec)], "out", "the last conv is the shortcut, which the main path goes around");
  const branches = branchesSpec();
  assert.equal(branches.layers[gradCamLayerIndex(branches)].name, "joined");
  const chain = makeSpec();
  assert.equal(chain.layers[gradCamLayerIndex(chain)].name, "relu_2_2");
});
