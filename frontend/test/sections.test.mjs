import { test } from "node:test";
import assert from "node:assert/strict";
import { sectionOf } from "../src/network/sections.js";
import { makeSpec } from "./helpers/specs.mjs";

test("every layer of Tiny VGG links to the article section about its kind", () => {
  const spec = makeSpec({ hidden: 8 });
  const sections = Object.fromEntries(spec.layers.map((layer) => [layer.name, sectionOf(layer)]));
  assert.equal(sectionOf({ kind: "input" }), "article-input");
  assert.equal(sections.conv_1_1, "article-convolution");
  assert.equal(sections.relu_1_1, "article-relu");
  assert.equal(sections.max_pool_1, "article-pooling");
  assert.equal(sections.flatten, "article-flatten");
  assert.equal(sections.hidden, "article-output");
  assert.equal(sections.output, "article-output");
  assert.equal(sections.dropout, null);
  assert.equal(sectionOf({ kind: "activation", function: "softmax" }), "article-output");
});
