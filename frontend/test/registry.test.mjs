import { test } from "node:test";
import assert from "node:assert/strict";
import { VIEWS, kindOf } from "../src/views/registry.js";
import { makeSpec } from "./helpers/specs.mjs";

test("every layer of a Tiny VGG but flatten opens a registered view", () => {
  const spec = makeSpec({ blocks: 2, hidden: 8 });
  const kinds = spec.layers.map((layer) => [layer.name, kindOf(layer)]);
  for (const [name, kind] of kinds) {
    if (name === "flatten") assert.equal(kind, null);
    else assert.ok(VIEWS[kind], `${name}: ${kind}`);
  }
  assert.deepEqual(
    kinds.filter(([name]) => /^(conv_1_1|relu_1_1|max_pool_1|hidden|output)$/.test(name)).map(([, kind]) => kind),
    ["conv", "activation", "pool", "output", "output"],
  );
});

test("softmax, rescaling and dropout layers have their own kinds", () => {
  assert.equal(kindOf({ kind: "activation", function: "softmax" }), "softmax");
  assert.equal(kindOf({ kind: "rescaling" }), "activation");
  assert.equal(kindOf({ kind: "dropout" }), "dropout");
  assert.equal(kindOf({ kind: "flatten" }), null);
});

test("every registered view module exports create", () => {
  for (const [kind, module] of Object.entries(VIEWS)) assert.equal(typeof module.create, "function", kind);
});
