import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { catalogs, speak } from "../helpers/i18n.mjs";
import { t } from "../../src/ui/i18n.js";

const views = new URL("../../src/views/", import.meta.url);

// The keys the views build from pieces (`view.conv.summary.${...}`), spelled out.
const BUILT = [
  ...["one", "oneBias", "many", "manyBias"].flatMap((form) => [
    `view.conv.summary.${form}`,
    `view.formula.terms.${form}`,
  ]),
  ...["maps", "values"].flatMap((read) =>
    ["Logit", "Sum", "SumBefore"].map((gives) => `view.output.summary.${read}${gives}`),
  ),
  "view.pool.summary.max",
  "view.pool.summary.average",
  ...["map", "shared"].flatMap((scale) => [`view.scale.${scale}`, `view.scale.${scale}.hint`]),
];

test("every message the views ask for is in every catalog", () => {
  const used = new Set(BUILT);
  for (const file of readdirSync(views).filter((name) => name.endsWith(".js")))
    for (const [, key] of readFileSync(new URL(file, views), "utf8").matchAll(/"(view\.[A-Za-z.]+)"/g)) used.add(key);
  for (const [code, messages] of Object.entries(catalogs()))
    assert.deepEqual(
      [...used].filter((key) => !(key in messages)),
      [],
      `the ${code} catalog`,
    );
});

test("the views' plain-text messages read as the browser tests expect, in English and in Chinese", () => {
  speak("en");
  assert.equal(t("view.position", { row: 20, col: 9 }), "row 20, col 9");
  assert.equal(t("view.formula.title", { channel: 0, row: 4, col: 11 }), "Channel 0 at row 4, col 11");
  assert.equal(t("view.conv.add", { count: 10 }), "add the 10 intermediates");
  speak("zh");
  assert.equal(t("view.position", { row: 20, col: 9 }), "行 20，列 9");
  assert.equal(t("view.close"), "关闭（Esc 键）");
  speak("en");
});
