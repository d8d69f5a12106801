import { test } from "node:test";
import assert from "node:assert/strict";
import { VIEWS } from "../../src/views/registry.js";

test("every registered view module exports create", () => {
  for (const [kind, module] of Object.entries(VIEWS)) assert.equal(typeof module.create, "function", kind);
});
