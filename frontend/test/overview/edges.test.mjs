import { test } from "node:test";
import assert from "node:assert/strict";
import { columnEdges, curve, incomingEdges, sourcesOf } from "../../src/overview/edges.js";
import { readNetwork } from "../../src/network/network.js";
import { computeLayout } from "../../src/overview/layout.js";
import { makeSpec } from "../helpers/specs.mjs";

const curves = (d) => (d.match(/M/g) || []).length;

function columnsOf(spec) {
  const layout = computeLayout(readNetwork(spec), 1400, 700);
  return new Map(layout.columns.map((c) => [c.name, c]));
}

test("a curve starts and ends at the given points", () => {
  assert.equal(curve(0, 1, 10, 5), "M0.0 1.0C5.0 1.0 5.0 5.0 10.0 5.0");
});

test("a conv filter reads every channel; an activation channel reads its own", () => {
  const columns = columnsOf(makeSpec());
  const conv = columns.get("conv_1_2");
  const relu = columns.get("relu_1_1");
  assert.deepEqual(sourcesOf(conv, relu, 3), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const relu2 = columns.get("relu_1_2");
  assert.deepEqual(sourcesOf(relu2, conv, 3), [3]);
  const { d, sources } = incomingEdges(conv, relu, 3);
  assert.equal(curves(d), 10);
  assert.equal(sources.length, 10);
});

test("edges into a column: filters x channels for conv, one per channel for element-wise layers, fan-in to classes", () => {
  const columns = columnsOf(makeSpec());
  assert.equal(curves(columnEdges(columns.get("conv_1_1"), columns.get("input"))), 10);
  assert.equal(curves(columnEdges(columns.get("conv_1_2"), columns.get("relu_1_1"))), 100);
  assert.equal(curves(columnEdges(columns.get("max_pool_1"), columns.get("relu_1_2"))), 10);
  assert.equal(curves(columnEdges(columns.get("output"), columns.get("max_pool_2"))), 100);
});

test("very many edges are bundled through a hub: one curve per box instead of one per pair", () => {
  const columns = columnsOf(makeSpec({ filters: 64 }));
  const d = columnEdges(columns.get("conv_1_2"), columns.get("relu_1_1"));
  assert.equal(curves(d), 128);
});
