// The page's catalogs for node tests: modules that speak (ui/i18n.js t()) read English unless a test switches.

import { readdirSync, readFileSync } from "node:fs";
import { useCatalogs } from "../../src/ui/i18n.js";

const locales = new URL("../../../site_templates/locales/", import.meta.url);

/** Every catalog as the builder ships it, by language (class.* messages included). */
export function catalogs() {
  const read = (code) => JSON.parse(readFileSync(new URL(`${code}.json`, locales), "utf8"));
  const all = { en: read("en"), zh: read("zh") };
  // messages not yet in the catalogs: CODE.json files of a folder (while a change is being written)
  const extra = process.env.CNN_EXPLAIN_EXTRA_MESSAGES;
  if (extra)
    for (const file of readdirSync(extra)) {
      const code = file.match(/\.(\w+)\.json$/)?.[1];
      if (code in all) Object.assign(all[code], JSON.parse(readFileSync(`${extra}/${file}`, "utf8")));
    }
  return all;
}

/** Make the modules speak `language` ("en" by default), with class names `classes`. */
export function speak(language = "en", classes = []) {
  const all = catalogs();
  const languages = Object.fromEntries(
    Object.entries(all).map(([code, messages]) => [
      code,
      { name: messages["language.name"], messages, classes, title: "" },
    ]),
  );
  useCatalogs({ language, languages });
}

speak();
