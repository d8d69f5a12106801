import { test } from "node:test";
import assert from "node:assert/strict";
import { functionSizes } from "../helpers/sizes.mjs";

const MOST = 120; // lines: a function longer than this hides logic that should be a pure, tested function of its own

test(`no function of src/ is longer than ${MOST} lines`, () => {
  const sizes = functionSizes();
  assert.ok(sizes.length > 100, "the parser found the functions");
  const long = sizes.filter((f) => f.lines > MOST).map((f) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`);
  assert.deepEqual(long, []);
});
