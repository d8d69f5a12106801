import { test } from "node:test";
import assert from "node:assert/strict";
import { fillText, isolate, templateParts } from "../../src/ui/text.js";

test("placeholders become parts of their own, in order, with the text between them", () => {
  assert.deepEqual(templateParts("{a} · channel {b}!", { a: "conv", b: 3 }), [
    { name: "a", value: "conv" },
    { text: " · channel " },
    { name: "b", value: 3 },
    { text: "!" },
  ]);
  assert.deepEqual(templateParts("no names"), [{ text: "no names" }]);
});

test("a missing value is an error that names the placeholder", () => {
  assert.throws(() => templateParts("the {name}", {}), /\{name\}/);
});

test("text values are isolated in attribute text, numbers are not", () => {
  const rtl = "abc\u202Edef";
  assert.equal(isolate(rtl), "\u2068abc\u202Edef\u2069");
  assert.equal(fillText("{c}: {p}%", { c: rtl, p: 12.5 }), "\u2068abc\u202Edef\u2069: 12.5%");
});
