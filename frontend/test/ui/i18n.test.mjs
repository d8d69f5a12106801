import { test } from "node:test";
import assert from "node:assert/strict";
import { catalogs, speak } from "../helpers/i18n.mjs";
import { formatInteger, language, languages, setLanguage, t } from "../../src/ui/i18n.js";

test("a message is filled, its plural form picked by the language's rules, its numbers written its way", () => {
  speak("en");
  assert.equal(t("colorMode.title"), "Colour range");
  const network = (count) =>
    t("page.intro.network", { count, name: "n", height: 8, width: 8, kind: "grey", classes: "c" });
  assert.match(network(1), /into 1 class \(/);
  assert.match(network(12000), /into 12,000 classes \(/);
  setLanguage("zh");
  assert.equal(language(), "zh");
  assert.match(network(1), /分成 1 类/); // Chinese has one form
  assert.equal(formatInteger(60000), "60,000");
  speak("en");
});

test("a missing message or value is an error that names it, not a blank", () => {
  assert.throws(() => t("no.such.key"), /no message no\.such\.key in the en catalog/);
  assert.throws(() => t("page.accuracy"), /no value for \{percent\}/);
  assert.throws(() => setLanguage("fr"), /no catalog for language fr/);
});

test("the switch lists each language in its own name", () => {
  assert.deepEqual(languages(), [
    { code: "en", name: "English" },
    { code: "zh", name: "中文" },
  ]);
  assert.equal(Object.keys(catalogs().zh).length, Object.keys(catalogs().en).length);
});
