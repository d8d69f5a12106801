// Formulas with the real numbers filled in, built as HTML set in KaTeX's fonts (as the article's formulas are), so
// that they wrap on narrow screens and each number can carry data attributes and react to hover.

import { el, textEl } from "./dom.js";

const MINUS = "\u2212"; // formulas print a true minus sign, wider than a hyphen

function append(node, parts) {
  for (const part of parts) {
    if (part === null || part === undefined || part === false) continue;
    node.append(typeof part === "string" ? document.createTextNode(part) : part);
  }
  return node;
}

/** `text` (a printed number) with its hyphen-minus signs made true minus signs. */
function minus(text) {
  return text.replaceAll("-", MINUS);
}

/** A formula: a <span class="mx"> holding `parts` (nodes or text), in the math fonts. */
export function formula(...parts) {
  const node = append(el("span", "mx"), parts);
  node.setAttribute("role", "math");
  return node;
}

/** An italic variable `name` with an optional subscript `sub` (text or node). */
export function variable(name, sub) {
  const node = textEl("span", "mx-var", name);
  if (sub === undefined || sub === null) return node;
  const letter = typeof sub === "string" && /^[a-z]$/i.test(sub); // an index variable, italic like its parent
  append(el("sub", "mx-sub", node), [letter ? textEl("span", "mx-var", sub) : sub]);
  return node;
}

/** Upright text inside a formula (a class name, a function name). */
export function word(text) {
  const node = textEl("span", "mx-word", text);
  node.dir = "auto"; // a class name may be written right to left
  return node;
}

/** A number shown as `shown` (text or node), its unrounded `value` in data-value (read by tests), data-testid `testid`. */
export function number(value, shown, testid) {
  const node = append(el("span", "mx-num"), [typeof shown === "string" ? minus(shown) : shown]);
  node.dataset.value = String(value);
  if (testid) node.dataset.testid = testid;
  return node;
}

/** An operator (=, +, −, ×) with the spacing around it that formulas use. */
export function op(symbol) {
  return textEl("span", symbol === "=" ? "mx-rel" : "mx-op", symbol);
}

/** `numerator` over `denominator` (nodes or text); the denominator may wrap onto several lines. */
export function fraction(numerator, denominator) {
  const node = el("span", "mx-frac");
  append(el("span", "mx-numer", node), [numerator]);
  append(el("span", "mx-denom", node), [denominator]);
  return node;
}

/** `base` raised to `exponent` (nodes or text). */
export function power(base, exponent) {
  const node = el("span", "mx-pow");
  append(node, [base]);
  append(el("sup", "mx-sup", node), [exponent]);
  return node;
}

/** A big sigma with limits `below` and `above` (either may be omitted). */
export function sigma(below, above) {
  const node = el("span", "mx-sigma");
  if (above !== undefined) append(el("span", "mx-limit", node), [above]);
  textEl("span", "mx-sigma-sign", "Σ", node);
  if (below !== undefined) append(el("span", "mx-limit", node), [below]);
  return node;
}

/** `parts` wrapped in parentheses. */
export function parens(...parts) {
  return append(el("span", "mx-parens"), ["(", ...parts, ")"]);
}

/** A number {mantissa, exponent} from numbers.js's scientific() as "m × 10^e", or "m" when e is 0. */
export function scientificText({ mantissa, exponent }) {
  if (exponent === 0) return minus(mantissa);
  return append(el("span", "mx-sci"), [`${minus(mantissa)} × `, power("10", minus(String(exponent)))]);
}
