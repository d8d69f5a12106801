import { test } from "node:test";
import assert from "node:assert/strict";
import { catalogs, speak } from "../helpers/i18n.mjs";
import { bindLanguage, formatInteger, language, languages, t } from "../../src/ui/i18n.js";

test("a message is filled, its plural form picked by the language's rules, its numbers written its way", () => {
  speak("en");
  assert.equal(t("colorMode.title"), "Colour range");
  const network = (count) =>
    t("page.intro.network", { count, name: "n", height: 8, width: 8, kind: "grey", classes: "c" });
  assert.match(network(1), /into 1 class \(/);
  assert.match(network(12000), /into 12,000 classes \(/);
  let lang = "zh"; // as the store would hold it
  bindLanguage(() => lang);
  assert.equal(language(), "zh");
  assert.match(network(1), /分成 1 类/); // Chinese has one form
  assert.equal(formatInteger(60000), "60,000");
  speak("en");
});

test("a missing message or value is an error that names it, not a blank", () => {
  assert.throws(() => t("no.such.key"), /no message no\.such\.key in the en catalog/);
  assert.throws(() => t("page.accuracy"), /no value for \{percent\}/);
});

test("the language is read where the page holds it, and one without a catalog reads as the site's", () => {
  let lang = "zh";
  bindLanguage(() => lang);
  assert.equal(t("colorMode.title"), "颜色范围");
  lang = "en";
  assert.equal(t("colorMode.title"), "Colour range");
  lang = "fr";
  assert.equal(language(), "en");
  speak("en");
});

test("the switch lists each language in its own name", () => {
  assert.deepEqual(languages(), [
    { code: "en", name: "English" },
    { code: "zh", name: "中文" },
  ]);
  assert.equal(Object.keys(catalogs().zh).length, Object.keys(catalogs().en).length);
});
