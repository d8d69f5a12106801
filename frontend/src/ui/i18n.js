// The page's words in its current language: messages by key from the catalogs the builder puts in the payload
// (site_templates/locales/<lang>.json, docs/languages.md), plural forms and numbers by the language's rules, and the
// relabelling of static text marked with data-i18n when the language changes.

import { fill, fillText, templateParts } from "./text.js";

let catalogs = { en: { name: "en", messages: {}, classes: [] } }; // until useCatalogs
let site = "en"; // the language the site opens in
let spoken = () => site; // the page's language: the store's (state.lang) once bound to it

/** Add `messages` (language code -> {key: message}: a feature's words, loaded with it) to the catalogs. */
export function addMessages(messages) {
  for (const [code, more] of Object.entries(messages)) if (catalogs[code]) Object.assign(catalogs[code].messages, more);
}

/** Use `i18n` (the payload's: {language, languages: {code: {name, messages, classes, title}}}); no DOM. */
export function useCatalogs(i18n) {
  catalogs = i18n.languages;
  site = i18n.language in catalogs ? i18n.language : Object.keys(catalogs)[0];
}

/**
 * Speak the language `get()` gives (main.js binds the store's state.lang: the page holds its language in one place);
 * a code without a catalog reads as the site's language.
 */
export function bindLanguage(get) {
  spoken = get;
}

const current = () => {
  const code = spoken();
  return code in catalogs ? code : site;
};

/** The languages the page speaks: [{code, name}], in the catalogs' order. */
export function languages() {
  return Object.entries(catalogs).map(([code, { name }]) => ({ code, name }));
}

/** The current language's code ("en", "zh"). */
export function language() {
  return current();
}

/** The language the site opens in (its --lang). */
export function siteLanguage() {
  return site;
}

/** Whether the page has a catalog for language `code`. */
export function speaks(code) {
  return Object.hasOwn(catalogs, code);
}

/** The class names in the current language. */
export function classNames() {
  return catalogs[current()].classes;
}

const pluralRules = new Map(); // language code -> Intl.PluralRules, made once: making one costs ICU's set-up

function message(key, count) {
  const code = current();
  const found = catalogs[code].messages[key];
  if (found === undefined) throw new Error(`no message ${key} in the ${code} catalog`);
  if (typeof found === "string") return found;
  if (!pluralRules.has(code)) pluralRules.set(code, new Intl.PluralRules(code));
  const form = pluralRules.get(code).select(count ?? 0);
  return found[form] ?? found.other;
}

// Languages whose whole numbers below 1,000 are written as JavaScript writes them (Latin digits, no grouping): the
// first view's numbers (shapes, counts) then need no Intl.NumberFormat, whose first use costs ICU's set-up (15 ms).
const PLAIN_SMALL_NUMBERS = new Set(["en", "zh"]);

/** `value` for a message: a whole number written the current language's way, any other number as it is. */
function number(value) {
  if (!Number.isInteger(value)) return String(value);
  return Math.abs(value) < 1000 && PLAIN_SMALL_NUMBERS.has(current()) ? String(value) : formatInteger(value);
}

/**
 * Message `key` as plain text, its {placeholders} filled from `values` (a `count` value picks the plural form):
 * names (strings) isolated from the text around them (ui/text.js isolate), numbers as the language writes them.
 */
export function t(key, values = {}) {
  return fillText(message(key, values.count), values, number);
}

/**
 * Message `key` as plain text with its values exactly as given (strings as they are, numbers with String()): for
 * text that holds no names (numbers already formatted, words of the catalogs), and accessible names and tooltips
 * that tests and screen readers read as they are.
 */
export function tPlain(key, values = {}) {
  return templateParts(message(key, values.count), values)
    .map((part) => ("text" in part ? part.text : String(part.value)))
    .join("");
}

/** Message `key` as a DocumentFragment: names each in a <bdi>, nodes as they are, numbers the language's way. */
export function tNodes(key, values = {}) {
  return fill(message(key, values.count), values, number);
}

const integerFormats = new Map(); // language code -> Intl.NumberFormat: making one costs far more than using it

/** A whole number the current language's way ("60,000"). */
export function formatInteger(value) {
  const code = current();
  if (!integerFormats.has(code)) integerFormats.set(code, new Intl.NumberFormat(code, { maximumFractionDigits: 0 }));
  return integerFormats.get(code).format(value);
}

/**
 * Relabel the static text under `root` in the current language: an element with data-i18n="key" gets the message
 * as its text (data-i18n-NAME attributes fill its {NAME}), one with data-i18n-aria-label="key" as its aria-label.
 */
export function relabel(root) {
  for (const node of root.querySelectorAll("[data-i18n]")) {
    const values = {};
    for (const [name, value] of Object.entries(node.dataset))
      if (name.startsWith("i18n") && name.length > 4) values[name[4].toLowerCase() + name.slice(5)] = value;
    node.textContent = t(node.dataset.i18n, values);
  }
  for (const node of root.querySelectorAll("[data-i18n-aria-label]"))
    node.setAttribute("aria-label", t(node.getAttribute("data-i18n-aria-label")));
}

/**
 * The page's static text: returns speak(text), which puts <html lang>, the title, the header and the data-i18n labels
 * in the current language; the header is the one built (in the site's language) or that of `text`, the language's
 * (data/language.<code>.js: {header}); without it, the header stays as it is.
 */
export function pageText(i18n) {
  const header = document.querySelector(".site-header");
  const own = document.createDocumentFragment();
  own.append(...Array.from(header.childNodes, (node) => node.cloneNode(true)));
  return function speak(text) {
    const code = current();
    document.documentElement.lang = code;
    document.title = i18n.languages[code].title;
    if (code === site) header.replaceChildren(own.cloneNode(true));
    else if (text) {
      const parsed = document.createElement("template");
      parsed.innerHTML = text.header;
      header.replaceChildren(parsed.content);
    }
    relabel(document);
  };
}
