import { test } from "node:test";
import assert from "node:assert/strict";
import { speak } from "../helpers/i18n.mjs";
import { softmaxTerms } from "../../src/network/classifier.js";
import { MAX_CLASS_ROWS, TOP_CLASSES } from "../../src/overview/layout.js";
import { isolate } from "../../src/ui/text.js";
import { denominatorTerms, tableRows } from "../../src/views/softmaxWriting.js";

const range = (n) => Array.from({ length: n }, (_, i) => i);

test("up to MAX_CLASS_ROWS classes every term is written out", () => {
  const logits = Float64Array.from(range(MAX_CLASS_ROWS), (i) => -i);
  assert.deepEqual(denominatorTerms(logits, new Float64Array(MAX_CLASS_ROWS).fill(1), 7), {
    written: range(MAX_CLASS_ROWS),
    rest: [],
    restSum: 0,
  });
});

test("with more classes the top logits and the class shown are written, in class order, and the rest summed", () => {
  const count = 25;
  const logits = Float64Array.from(range(count)); // the top ten are 15..24
  const exps = Float64Array.from(range(count), (i) => 2 ** i);
  const shownBelow = denominatorTerms(logits, exps, 3);
  assert.deepEqual(shownBelow.written, [3, ...range(TOP_CLASSES).map((i) => 15 + i)]);
  assert.deepEqual(shownBelow.rest, [0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  assert.equal(shownBelow.restSum, 2 ** 15 - 1 - 2 ** 3);
  const shownAmongTop = denominatorTerms(logits, exps, 20);
  assert.equal(shownAmongTop.written.length, TOP_CLASSES);
  assert.equal(shownAmongTop.rest.length, count - TOP_CLASSES);
  // the top is by logit, not by index
  const shuffled = Float64Array.from(range(count), (i) => (i * 7) % count);
  const top = denominatorTerms(shuffled, exps, 0).written;
  assert.ok(
    top.every((k) => k === 0 || shuffled[k] >= count - TOP_CLASSES),
    String(top),
  );
  assert.deepEqual(
    top,
    [...top].sort((a, b) => a - b),
  );
});

test("each row of the table holds its class's logit, e^z and probability, the shown one marked", () => {
  speak("en");
  const logits = Float64Array.from([1, 2]);
  const rows = tableRows(["a", "b"], logits, softmaxTerms(logits), 1);
  assert.deepEqual(
    rows.map(({ name, current, title, logit, percent }) => ({ name, current, title, logit, percent })),
    [
      { name: "a", current: false, title: `Show the probability of ${isolate("a")}`, logit: 1, percent: "26.9%" },
      { name: "b", current: true, title: `${isolate("b")}: shown`, logit: 2, percent: "73.1%" },
    ],
  );
  assert.equal(rows[0].exp, Math.E);
  assert.ok(Math.abs(rows[0].probability - 1 / (1 + Math.E)) < 1e-15);
  assert.ok(Math.abs(rows[0].probability + rows[1].probability - 1) < 1e-15);
});
