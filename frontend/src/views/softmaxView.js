// The softmax view: one class's probability from every class's logit, p = e^z / (sum of e^z), with the real logits
// filled in. Hovering a term highlights its class in the table and in the overview's class rows, and back.

import { denseScores, softmaxTerms } from "../network/classifier.js";
import { MAX_CLASS_ROWS, TOP_CLASSES } from "../overview/layout.js";
import { scientific } from "../ui/format.js";
import * as mx from "../ui/math.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { viewHeader } from "./header.js";
import { watchScroll } from "../ui/scroll.js";
import { isolate } from "../ui/text.js";
import { t, tNodes } from "../ui/i18n.js";
import { listen } from "../ui/scope.js";

const LINKED = "is-linked"; // the class under the pointer, wherever it is shown

/** The classes whose terms are written out: all of them, or for many classes the top ones and `shown`. */
function writtenTerms(logits, shown) {
  const all = Array.from(logits, (_, i) => i);
  if (logits.length <= MAX_CLASS_ROWS) return { written: all, rest: [] };
  const top = [...all].sort((a, b) => logits[b] - logits[a]).slice(0, TOP_CLASSES);
  if (!top.includes(shown)) top.push(shown);
  top.sort((a, b) => a - b);
  return { written: top, rest: all.filter((i) => !top.includes(i)) };
}

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

/** Explain the probability of class `params.neuron` (see host.js for the interface). */
export function create(context, params) {
  const { network, format } = context;
  const activation = network.outputFunction;
  if (activation !== "softmax" && activation !== "linear") {
    throw new Error(`the last layer applies ${activation}, not softmax`);
  }
  const classifier = network.classifier;
  if (!classifier) throw new Error(`${network.name} has no dense layer to explain the class scores with`);
  const shown = params.neuron;
  const classes = network.classes;
  const name = classes[shown];

  const element = el("div", "vw-softmax");
  const titleId = uniqueId("vs-title");
  const names = { name, dense: classifier.dense.name };
  viewHeader(
    titleId,
    tNodes("view.softmax.title", names),
    tNodes("view.softmax.summary", { ...names, count: classes.length }),
    element,
  );
  element.setAttribute("aria-labelledby", titleId);
  const formulas = el("div", "vs-formulas", element);
  const unwatch = watchScroll(formulas); // a long sum of exponentials scrolls sideways on a narrow screen
  const table = el("table", "vs-table", element);
  const back = textEl("button", "vo-next vs-back", tNodes("view.softmax.back", names), element);
  back.type = "button";
  back.addEventListener("click", () => context.open("output", { layer: classifier.dense.name, neuron: shown }));

  const term = (k, logit, testid) => {
    const node = mx.power("e", mx.number(logit, format(logit)));
    node.classList.add("vs-term");
    node.dataset.testid = testid;
    node.dataset.class = classes[k];
    node.dataset.value = String(logit);
    node.title = isolate(classes[k]);
    return node;
  };

  function drawFormulas(logits, terms) {
    const z = (sub) => mx.variable("z", sub);
    const symbolic = mx.formula(
      mx.variable("p", mx.word(name)),
      mx.op("="),
      mx.fraction(mx.power("e", z(mx.word(name))), mx.formula(mx.sigma(mx.variable("j")), mx.power("e", z("j")))),
    );
    const { written, rest } = writtenTerms(logits, shown);
    const denominator = [];
    written.forEach((k, i) => {
      if (i > 0) denominator.push(mx.op("+"));
      denominator.push(term(k, logits[k], "softmax-term"));
    });
    if (rest.length > 0) {
      const restSum = rest.reduce((total, k) => total + terms.exps[k], 0);
      denominator.push(mx.op("+"), ...moreTerms(rest.length, mx.scientificText(scientific(restSum))));
    }
    const probability = terms.probabilities[shown];
    const numeric = mx.formula(
      mx.op("="),
      mx.fraction(term(shown, logits[shown], "softmax-numerator"), mx.formula(...denominator)),
      mx.op("="),
      mx.fraction(
        mx.number(terms.exps[shown], mx.scientificText(scientific(terms.exps[shown]))),
        mx.number(terms.total, mx.scientificText(scientific(terms.total)), "softmax-total"),
      ),
      mx.op("="),
      mx.number(probability, format(probability), "softmax-result"),
    );
    numeric.classList.add("mx-one-line");
    formulas.replaceChildren(symbolic, numeric);
  }

  function drawTable(logits, terms) {
    const head = el("thead");
    const row = el("tr", "", head);
    const headings = [
      [t("view.softmax.class")],
      [`${t("view.softmax.logit")} `, mx.formula(mx.variable("z"))],
      [mx.formula(mx.power("e", mx.variable("z")))],
      [t("view.softmax.probability")],
    ];
    for (const heading of headings) el("th", "", row).append(...heading);
    const body = el("tbody");
    classes.forEach((className, k) => {
      const line = el("tr", k === shown ? "is-current" : "", body);
      line.dataset.class = className;
      const cell = el("th", "", line);
      cell.scope = "row";
      const button = textEl("button", "vs-class", className, cell);
      button.type = "button";
      button.dir = "auto";
      button.title = t(k === shown ? "view.shown" : "view.softmax.show", { name: className });
      button.addEventListener("click", () => {
        if (k !== shown) context.open("softmax", { layer: params.layer, neuron: k });
      });
      textEl("td", "vs-num", format(logits[k]), line);
      el("td", "vs-num", line).append(mx.scientificText(scientific(terms.exps[k])));
      const p = el("td", "vs-prob", line);
      const bar = el("span", "vs-bar", p);
      el("span", "vs-fill", bar).style.transform = `scaleX(${terms.probabilities[k]})`;
      textEl("span", "vs-num", `${(terms.probabilities[k] * 100).toFixed(1)}%`, p);
    });
    table.replaceChildren(head, body);
  }

  /** Mark class `className` (or none) wherever it is shown: terms, table rows, the overview's class row. */
  function link(className) {
    for (const node of document.querySelectorAll(`.${LINKED}`)) node.classList.remove(LINKED);
    if (className === null) return;
    const selector = `[data-class="${CSS.escape(className)}"]`;
    for (const node of element.querySelectorAll(selector)) node.classList.add(LINKED);
    for (const node of document.querySelectorAll(`.class-row${selector}`)) node.classList.add(LINKED);
  }

  function onOver(event) {
    const node = event.target instanceof Element ? event.target.closest("[data-class]") : null;
    const inView = node && element.contains(node);
    const inOverview = node && node.classList.contains("class-row");
    link(inView || inOverview ? node.getAttribute("data-class") : null);
  }
  listen(document, "pointerover", onOver);

  return {
    element,
    maps: false, // numbers and formulas only: the switch of the maps' colour range would change nothing here
    /** Recompute every logit from the current image and redraw. */
    update() {
      const { kernel, bias } = context.weights(classifier.dense.name);
      const logits = denseScores(context.activations().get(classifier.input).data, kernel, bias);
      const terms = softmaxTerms(logits);
      drawFormulas(logits, terms);
      drawTable(logits, terms);
    },
    destroy() {
      unwatch();
      document.removeEventListener("pointerover", onOver);
      link(null);
    },
  };
}
