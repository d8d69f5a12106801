// What the softmax view writes out: the classes whose terms e^z the formula's sum spells out (all of them, or for
// many classes the top ones and the class shown) with the sum of the rest, and the table's rows. No DOM.

import { MAX_CLASS_ROWS, TOP_CLASSES } from "../overview/layout.js";
import { t } from "../ui/i18n.js";

/**
 * The terms of the denominator for class `shown`, from `logits` and their `exps`: {written (class indices, in
 * order), rest (the others), restSum (their e^z added up in class order)}. Up to MAX_CLASS_ROWS classes all are
 * written; beyond, the TOP_CLASSES largest logits and `shown`.
 */
export function denominatorTerms(logits, exps, shown) {
  const all = Array.from(logits, (_, i) => i);
  if (logits.length <= MAX_CLASS_ROWS) return { written: all, rest: [], restSum: 0 };
  const top = [...all].sort((a, b) => logits[b] - logits[a]).slice(0, TOP_CLASSES);
  if (!top.includes(shown)) top.push(shown);
  top.sort((a, b) => a - b);
  const rest = all.filter((i) => !top.includes(i));
  return { written: top, rest, restSum: rest.reduce((total, k) => total + exps[k], 0) };
}

/**
 * The table's rows, one per class of `classes` with `shown` current: [{name, current, title (the button's tooltip),
 * logit, exp, probability, percent (the probability as printed: one decimal and "%")}].
 */
export function tableRows(classes, logits, terms, shown) {
  return classes.map((name, k) => ({
    name,
    current: k === shown,
    title: t(k === shown ? "view.shown" : "view.softmax.show", { name }),
    logit: logits[k],
    exp: terms.exps[k],
    probability: terms.probabilities[k],
    percent: `${(terms.probabilities[k] * 100).toFixed(1)}%`,
  }));
}
