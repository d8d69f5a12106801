import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// dist/ as build.mjs wrote it (scripts/setup.sh builds it before the tests)
const dist = (name) => readFileSync(fileURLToPath(new URL(`../../dist/${name}`, import.meta.url)), "utf8");

// the global that tfjs-core's engine registers itself under: in any bundle that imports any of tfjs-core
const TFJS = "tfengine";

test("TF.js is in runtime.js, which the page loads after the first picture, not in app.js", () => {
  assert.ok(dist("runtime.js").includes(TFJS));
  assert.ok(!dist("app.js").includes(TFJS), "app.js carries TF.js: the first picture waits for it to compile");
});
