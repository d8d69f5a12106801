// The page's catalogs for node tests: modules that speak (ui/i18n.js t()) read English unless a test switches.

import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { bindLanguage, useCatalogs } from "../../src/ui/i18n.js";

// beside frontend/ in the repository; CNN_EXPLAIN_LOCALES names the folder where the tests run from a copy of
// frontend/ alone (bench/mutation.sh: Stryker's sandboxes)
const locales = process.env.CNN_EXPLAIN_LOCALES
  ? pathToFileURL(`${process.env.CNN_EXPLAIN_LOCALES}/`)
  : new URL("../../../site_templates/locales/", import.meta.url);

/** Every catalog as the builder ships it, by language (class.* messages included). */
export function catalogs() {
  const read = (code) => JSON.parse(readFileSync(new URL(`${code}.json`, locales), "utf8"));
  return { en: read("en"), zh: read("zh") };
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
  bindLanguage(() => language);
}

speak();
