// The softmax view: one class's probability from every class's logit, p = e^z / (sum of e^z), with the real logits
// filled in. Hovering a term highlights its class in the table and in the overview's class rows, and back. Which
// terms are written out and the table's rows are softmaxWriting.js's; this module builds and wires.

import { denseScores, softmaxTerms } from "../network/classifier.js";
import { scientific } from "../ui/format.js";
import * as mx from "../ui/math.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { viewHeader } from "./header.js";
import { watchScroll } from "../ui/scroll.js";
import { isolate } from "../ui/text.js";
import { t, tNodes } from "../ui/i18n.js";
import { listen } from "../ui/scope.js";
import { denominatorTerms, tableRows } from "./softmaxWriting.js";

const LINKED = "is-linked"; // the class under the pointer, wherever it is shown

/**
 * The terms not written out, "(N more: sum)" (message view.softmax.more), as formula parts: the words before the sum
 * (a number of mx.scientificText) in a word span, the sum as it is, what follows it as plain text.
 */
function moreTerms(count, sum) {
  const number = typeof sum === "string" ? document.createTextNode(sum) : sum;
  const nodes = [...tNodes("view.softmax.more", { count, sum: number }).childNodes];
  const at = nodes.indexOf(number);
  const words = mx.word("");
  words.append(...nodes.slice(0, at));
  return [words, ...nodes.slice(at)];
}

/** The network's classifier, or an error when the page cannot show the softmax of its scores. */
function classifierOf(network) {
  const activation = network.outputFunction;
  if (activation !== "softmax" && activation !== "linear") {
    throw new Error(`the last layer applies ${activation}, not softmax`);
  }
  const classifier = network.classifier;
  if (!classifier) throw new Error(`${network.name} has no dense layer to explain the class scores with`);
  return classifier;
}

/** e raised to class `k`'s `logit`, marked for the tests (`testid`) and for linking to its class. */
function term({ context, classes }, k, logit, testid) {
  const node = mx.power("e", mx.number(logit, context.format(logit)));
  node.classList.add("vs-term");
  node.dataset.testid = testid;
  node.dataset.class = classes[k];
  node.dataset.value = String(logit);
  node.title = isolate(classes[k]);
  return node;
}

/** p = e^z / Σ e^z, in symbols. */
function symbolicFormula(name) {
  const z = (sub) => mx.variable("z", sub);
  return mx.formula(
    mx.variable("p", mx.word(name)),
    mx.op("="),
    mx.fraction(mx.power("e", z(mx.word(name))), mx.formula(mx.sigma(mx.variable("j")), mx.power("e", z("j")))),
  );
}

/** The formula with the numbers: the terms, e^z and their sum, the probability. */
function numericFormula(v, logits, terms) {
  const { shown, context } = v;
  const { written, rest, restSum } = denominatorTerms(logits, terms.exps, shown);
  const denominator = [];
  written.forEach((k, i) => {
    if (i > 0) denominator.push(mx.op("+"));
    denominator.push(term(v, k, logits[k], "softmax-term"));
  });
  if (rest.length > 0) denominator.push(mx.op("+"), ...moreTerms(rest.length, mx.scientificText(scientific(restSum))));
  const probability = terms.probabilities[shown];
  const numeric = mx.formula(
    mx.op("="),
    mx.fraction(term(v, shown, logits[shown], "softmax-numerator"), mx.formula(...denominator)),
    mx.op("="),
    mx.fraction(
      mx.number(terms.exps[shown], mx.scientificText(scientific(terms.exps[shown]))),
      mx.number(terms.total, mx.scientificText(scientific(terms.total)), "softmax-total"),
    ),
    mx.op("="),
    mx.number(probability, context.format(probability), "softmax-result"),
  );
  numeric.classList.add("mx-one-line");
  return numeric;
}

function tableHead() {
  const head = el("thead");
  const row = el("tr", "", head);
  const headings = [
    [t("view.softmax.class")],
    [`${t("view.softmax.logit")} `, mx.formula(mx.variable("z"))],
    [mx.formula(mx.power("e", mx.variable("z")))],
    [t("view.softmax.probability")],
  ];
  for (const heading of headings) el("th", "", row).append(...heading);
  return head;
}

/** Row `k` of the table (`row` from tableRows): the class (a button opening its softmax), z, e^z, p. */
function tableRow({ context, params }, row, k, body) {
  const line = el("tr", row.current ? "is-current" : "", body);
  line.dataset.class = row.name;
  const cell = el("th", "", line);
  cell.scope = "row";
  const button = textEl("button", "vs-class", row.name, cell);
  button.type = "button";
  button.dir = "auto";
  button.title = row.title;
  button.addEventListener("click", () => {
    if (!row.current) context.open("softmax", { layer: params.layer, neuron: k });
  });
  textEl("td", "vs-num", context.format(row.logit), line);
  el("td", "vs-num", line).append(mx.scientificText(scientific(row.exp)));
  const p = el("td", "vs-prob", line);
  const bar = el("span", "vs-bar", p);
  el("span", "vs-fill", bar).style.transform = `scaleX(${row.probability})`;
  textEl("span", "vs-num", row.percent, p);
}

function drawTable(v, logits, terms) {
  const body = el("tbody");
  tableRows(v.classes, logits, terms, v.shown).forEach((row, k) => tableRow(v, row, k, body));
  v.table.replaceChildren(tableHead(), body);
}

/** Mark class `className` (or none) wherever it is shown: terms, table rows, the overview's class row. */
function link(element, className) {
  for (const node of document.querySelectorAll(`.${LINKED}`)) node.classList.remove(LINKED);
  if (className === null) return;
  const selector = `[data-class="${CSS.escape(className)}"]`;
  for (const node of element.querySelectorAll(selector)) node.classList.add(LINKED);
  for (const node of document.querySelectorAll(`.class-row${selector}`)) node.classList.add(LINKED);
}

/** The class under the pointer of `event`, in the view or the overview's class rows, or null. */
function classUnder(event, element) {
  const node = event.target instanceof Element ? event.target.closest("[data-class]") : null;
  const inView = node && element.contains(node);
  const inOverview = node && node.classList.contains("class-row");
  return inView || inOverview ? node.getAttribute("data-class") : null;
}

/** Explain the probability of class `params.neuron` (see host.js for the interface). */
export function create(context, params) {
  const { network } = context;
  const classifier = classifierOf(network);
  const shown = params.neuron;
  const classes = network.classes;
  const names = { name: classes[shown], dense: classifier.dense.name };

  const element = el("div", "vw-softmax");
  const titleId = uniqueId("vs-title");
  const summary = tNodes("view.softmax.summary", { ...names, count: classes.length });
  viewHeader(titleId, tNodes("view.softmax.title", names), summary, element);
  element.setAttribute("aria-labelledby", titleId);
  const formulas = el("div", "vs-formulas", element);
  const unwatch = watchScroll(formulas); // a long sum of exponentials scrolls sideways on a narrow screen
  const table = el("table", "vs-table", element);
  const back = textEl("button", "vo-next vs-back", tNodes("view.softmax.back", names), element);
  back.type = "button";
  back.addEventListener("click", () => context.open("output", { layer: classifier.dense.name, neuron: shown }));
  const v = { context, params, classes, shown, table };
  const onOver = (event) => link(element, classUnder(event, element));
  listen(document, "pointerover", onOver);

  return {
    element,
    maps: false, // numbers and formulas only: the switch of the maps' colour range would change nothing here
    /** Recompute every logit from the current image and redraw. */
    update() {
      const { kernel, bias } = context.weights(classifier.dense.name);
      const logits = denseScores(context.activations().get(classifier.input).data, kernel, bias);
      const terms = softmaxTerms(logits);
      formulas.replaceChildren(symbolicFormula(names.name), numericFormula(v, logits, terms));
      drawTable(v, logits, terms);
    },
    destroy() {
      unwatch();
      document.removeEventListener("pointerover", onOver);
      link(element, null);
    },
  };
}
