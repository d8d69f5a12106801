import { test } from "node:test";
import assert from "node:assert/strict";
import {
  editsOf,
  editsText,
  emptyHistory,
  fits,
  MOST_EDITS,
  readEdits,
  record,
  redo,
  signature,
  undo,
  withEdit,
  withValues,
} from "../../src/network/edits.js";
import { readNetwork } from "../../src/network/network.js";
import { makeSpec } from "../helpers/specs.mjs";

const kernel = (layer, index, value) => ({ layer, weight: "kernel", index, value });

test("an edit replaces an earlier one of the same weight, and the list is sorted whatever the order", () => {
  let a = withEdit([], kernel("conv_1_2", 7, 0.5));
  a = withEdit(a, { layer: "conv_1_1", silence: 3 });
  a = withEdit(a, { layer: "conv_1_2", weight: "bias", index: 7, value: -1 });
  a = withEdit(a, kernel("conv_1_2", 7, 0.25));
  let b = withEdit([], { layer: "conv_1_2", weight: "bias", index: 7, value: -1 });
  b = withEdit(b, kernel("conv_1_2", 7, 0.25));
  b = withEdit(b, { layer: "conv_1_1", silence: 3 });
  assert.deepEqual(a, b);
  assert.deepEqual(a, [
    { layer: "conv_1_1", silence: 3 },
    kernel("conv_1_2", 7, 0.25),
    { layer: "conv_1_2", weight: "bias", index: 7, value: -1 },
  ]);
  assert.deepEqual(withEdit(a, { layer: "conv_1_1", silence: 3, on: false }), a.slice(1), "switched on again");
  assert.equal(signature(a, "conv_1_2"), signature(b, "conv_1_2"));
  assert.notEqual(signature(a, "conv_1_2"), signature(withEdit(a, kernel("conv_1_2", 7, 1)), "conv_1_2"));
});

test("a layer's edits, and its weights with them written in", () => {
  const edits = [kernel("d", 1, 9), { layer: "d", weight: "bias", index: 0, value: -2 }, { layer: "c", silence: 1 }];
  const mine = editsOf(edits, "d");
  assert.deepEqual([...mine.kernel], [[1, 9]]);
  assert.deepEqual([...mine.bias], [[0, -2]]);
  assert.deepEqual([...editsOf(edits, "c").silenced], [1]);
  const values = Float32Array.from([1, 2, 3]);
  assert.equal(withValues(values, new Map()), values, "no change, no copy");
  const edited = withValues(values, mine.kernel);
  assert.deepEqual([...edited], [1, 9, 3]);
  assert.deepEqual([...values], [1, 2, 3], "the original is kept");
});

test("edits round-trip through a link's text exactly, layer names escaped", () => {
  const edits = [
    kernel("conv:1|x", 12, -0.1234567891234),
    { layer: "conv:1|x", weight: "bias", index: 3, value: 2e-7 },
    { layer: "conv:1|x", silence: 4 },
    { layer: "relu", silence: 0 },
  ];
  const text = editsText(edits);
  assert.equal(text, "conv%3A1%7Cx:k12=-0.1234567891234,b3=2e-7,s4|relu:s0");
  assert.deepEqual(readEdits(text), edits);
  assert.deepEqual(readEdits(""), []);
  assert.deepEqual(readEdits(undefined), []);
});

test("what a link's text cannot say is left out, and there is a limit", () => {
  assert.deepEqual(readEdits("conv:k1=abc,kx=1,s-1,k2= 1,k3=Infinity,s2|:s1|%E0%A4%A:s1|conv:b1=0.5"), [
    { layer: "conv", weight: "bias", index: 1, value: 0.5 },
    { layer: "conv", silence: 2 },
  ]);
  const many = `c:${Array.from({ length: MOST_EDITS + 10 }, (_, i) => `s${i}`).join(",")}`;
  assert.equal(readEdits(many).length, MOST_EDITS);
});

test("an edit fits the network: its layer, a weight it has, an index within it, a channel it outputs", () => {
  const network = readNetwork(makeSpec({ blocks: 2 }));
  const conv = network.layer("conv_1_2");
  const size = 3 * 3 * conv.input_shape[2] * conv.filters;
  assert.ok(fits(network, kernel("conv_1_2", size - 1, 1)));
  assert.ok(!fits(network, kernel("conv_1_2", size, 1)), "past the kernel's end");
  assert.ok(!fits(network, kernel("conv_1_2", 1.5, 1)));
  assert.ok(!fits(network, kernel("conv_1_2", 0, NaN)));
  assert.ok(fits(network, { layer: "conv_1_2", weight: "bias", index: conv.filters - 1, value: 0 }));
  assert.ok(!fits(network, { layer: "conv_1_2", weight: "bias", index: conv.filters, value: 0 }));
  assert.ok(fits(network, { layer: "relu_1_2", silence: 0 }), "an activation's channel");
  assert.ok(fits(network, { layer: "max_pool_1", silence: 9 }), "a pooling layer's channel");
  assert.ok(!fits(network, { layer: "max_pool_1", silence: 10 }));
  assert.ok(!fits(network, kernel("relu_1_2", 0, 1)), "an activation has no weights");
  assert.ok(!fits(network, { layer: "output", silence: 1 }), "classes are not switched off");
  const dense = network.layer("output");
  assert.ok(fits(network, kernel("output", dense.input_shape[0] * dense.units - 1, 1)));
  assert.ok(!fits(network, kernel("nowhere", 0, 1)));
});

test("undo goes back one edit at a time and redo forward, and a new edit drops what was undone", () => {
  const one = [kernel("c", 0, 1)];
  const two = withEdit(one, kernel("c", 1, 2));
  let history = record(record(emptyHistory(), []), one);
  const back = undo(history, two);
  assert.deepEqual(back.edits, one);
  const first = undo(back.history, back.edits);
  assert.deepEqual(first.edits, []);
  assert.equal(undo(first.history, first.edits), null, "nothing before the trained network");
  const again = redo(first.history, first.edits);
  assert.deepEqual(again.edits, one);
  assert.deepEqual(redo(again.history, again.edits).edits, two);
  history = record(back.history, back.edits);
  assert.deepEqual(history.future, [], "a new edit after an undo leaves nothing to redo");
});
