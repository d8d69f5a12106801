// The arithmetic of one conv neuron at one window position: an input channel's window values times that channel's
// kernel, the products and their sum (the intermediate value), then every intermediate plus the bias (the output).

import { valueRange, symmetricRange } from "../ui/colors.js";
import { createMapFigure } from "./mapFigure.js";
import { el, icon, textEl } from "../ui/dom.js";
import { createLegend } from "../ui/legend.js";
import { paintValue, setNumber } from "../ui/numberCell.js";
import { t, tNodes } from "../ui/i18n.js";
import { watchScroll } from "../ui/scroll.js";

/** A rows x cols grid of numbers, each cell carrying data-testid `testid`, data-row and data-col. */
function createMatrix(rows, cols, testid, caption, parent) {
  const figure = el("figure", "fx-block", parent);
  const grid = el("div", "fx-matrix", figure);
  grid.style.gridTemplateColumns = `repeat(${cols}, auto)`;
  grid.setAttribute("role", "table");
  grid.setAttribute("aria-label", caption);
  const cells = [];
  for (let i = 0; i < rows; i++) {
    const row = el("div", "fx-row", grid);
    row.setAttribute("role", "row");
    for (let j = 0; j < cols; j++) {
      const cell = el("span", "fx-cell", row);
      cell.setAttribute("role", "cell");
      cell.dataset.testid = testid;
      cell.dataset.row = String(i);
      cell.dataset.col = String(j);
      cells.push(cell);
    }
  }
  textEl("figcaption", "fx-caption", caption, figure);
  return cells;
}

function operator(text, label, parent) {
  const node = textEl("span", "fx-op", text, parent);
  node.setAttribute("aria-label", label);
  return node;
}

/**
 * The formula card of intermediate `channel` of conv neuron `neuron` of `layer` (a spec entry reading `source`),
 * with window `geometry`, the channel's maps drawn with `inputLut`, kernel colours over `weightRange` (the conv
 * view shows the legends of those; the formula adds the products'). `onPoint` gets pointer cells ({input: [row,
 * col]} or {output: [row, col]}), `onClose` the back button. Returns {element, draw(input,
 * inputRange, intermediate, intermediateRange), show(numbers, animated)}; `numbers` is what convView's numbersAt
 * returns.
 */
export function createConvFormula({
  context,
  layer,
  source,
  neuron,
  channel,
  geometry,
  inputLut,
  weightRange,
  onPoint,
  onClose,
}) {
  const { format, colors } = context;
  const [kh, kw] = geometry.kernel;
  const [inH, inW, inC] = geometry.inShape;
  const [outH, outW] = geometry.outShape;
  const element = el("section", "fx");
  element.setAttribute("role", "group");
  element.setAttribute("tabindex", "-1");
  watchScroll(element); // it stops with the element: the formula lives as long as its detail is open
  const head = el("header", "fx-head", element);
  const title = textEl("h3", "fx-title", "", head);
  // what is added up into the output: messages view.formula.terms.{one,many}[Bias]
  const termsKey = `view.formula.terms.${inC > 1 ? "many" : "one"}${layer.use_bias ? "Bias" : ""}`;
  const summed = () => tNodes(termsKey, { count: inC });
  textEl(
    "p",
    "fx-summary",
    tNodes("view.formula.summary", {
      height: kh,
      width: kw,
      source: source.name,
      channel,
      layer: layer.name,
      terms: summed(),
      neuron,
    }),
    head,
  );
  const back = el("button", "vbtn fx-back", head);
  back.type = "button";
  back.title = t("view.formula.back.hint");
  back.append(icon("back"), t("view.formula.back"));
  back.addEventListener("click", onClose);

  const main = el("div", "fx-main", element);
  const input = createMapFigure({
    height: inH,
    width: inW,
    pad: geometry.pad,
    size: `calc(var(--fx-map) * ${(inW + geometry.pad.left + geometry.pad.right) / inW})`,
    caption: tNodes("view.conv.input.caption", { source: source.name, channel }),
    label: t("view.conv.input.label", { source: source.name, channel }),
    shows: { map: source.name, channel },
  });
  main.appendChild(input.element);
  const patchCells = createMatrix(kh, kw, "formula-input", t("view.formula.windowValues"), main);
  operator("×", t("view.op.times"), main);
  const weightCells = createMatrix(kh, kw, "formula-weight", t("view.kernelWeights"), main);
  operator("=", t("view.op.equals"), main);
  const productCells = createMatrix(kh, kw, "formula-product", t("view.formula.products"), main);
  operator("Σ", t("view.op.summed"), main);
  const sumBlock = el("figure", "fx-block", main);
  const sum = el("output", "fx-sum", sumBlock);
  sum.dataset.testid = "formula-sum";
  textEl("figcaption", "fx-caption", t("view.formula.intermediate", { channel }), sumBlock);
  const intermediate = createMapFigure({
    height: outH,
    width: outW,
    size: `max(var(--map-min), calc(var(--fx-map) * ${outW / inW}))`,
    caption: t("view.formula.intermediate", { channel }),
    label: t("view.formula.intermediate.label", { channel }),
    shows: { map: "intermediate", channel },
  });
  main.appendChild(intermediate.element);
  input.onPoint((cell) => onPoint({ input: cell }));
  intermediate.onPoint((cell) => onPoint({ output: cell }));

  const productLegend = createLegend(t("view.formula.products.legend"), colors.diverging);
  el("div", "fx-legends", element).appendChild(productLegend.element);

  const total = el("div", "fx-total", element);
  total.setAttribute("aria-live", "polite");
  const totalLabel = textEl("p", "fx-total-label", "", total);
  const terms = el("p", "fx-terms", total);
  const termCells = [];
  const term = (className, caption, tag = "span") => {
    const wrap = el("span", "fx-term-wrap", terms);
    const value = el(tag, `fx-term ${className}`, wrap);
    textEl("span", "fx-term-caption", caption, wrap);
    return value;
  };
  for (let c = 0; c < inC; c++) {
    if (c > 0) operator("+", t("view.op.plus"), terms);
    const cell = term(c === channel ? "is-current" : "", t("view.ch", { channel: c }));
    cell.dataset.testid = "formula-intermediate";
    cell.dataset.channel = String(c);
    termCells.push(cell);
  }
  let bias = null;
  if (layer.use_bias) {
    operator("+", t("view.op.plus"), terms);
    bias = term("fx-bias", t("view.bias"));
    bias.dataset.testid = "formula-bias";
  }
  operator("=", t("view.op.equals"), terms);
  const result = term("fx-result", t("view.channel", { channel: neuron }), "output");
  result.dataset.testid = "formula-result";

  let inputRange = { min: 0, max: 1 };
  let intermediateRange = { min: 0, max: 1 };

  return {
    element,
    /** Draw the channel's input map and intermediate map, and remember their colour ranges. */
    draw(inputTensor, inRange, intermediateMap, interRange) {
      inputRange = inRange;
      intermediateRange = interRange;
      input.draw(inputTensor, channel, inRange, inputLut);
      intermediate.draw({ shape: [outH, outW, 1], data: intermediateMap }, 0, interRange, colors.diverging);
    },
    /** Print the arithmetic of `numbers` (one window position); `animated`: not announced to screen readers. */
    show(numbers, animated) {
      const { pos, origin } = numbers;
      const at = { channel, row: pos[0], col: pos[1] };
      title.textContent = t("view.formula.title", at);
      element.setAttribute("aria-label", t("view.formula.label", at));
      input.showWindow(origin.row, origin.col, kh, kw);
      intermediate.showWindow(pos[0], pos[1], 1, 1);
      const productRange = symmetricRange([valueRange(numbers.products)]);
      productLegend.update(productRange);
      for (let k = 0; k < kh * kw; k++) {
        const patch = patchCells[k];
        setNumber(patch, numbers.values[k], format);
        patch.classList.toggle("is-pad", !numbers.inside[k]);
        if (numbers.inside[k]) paintValue(patch, numbers.values[k], inputLut, inputRange);
        else patch.removeAttribute("style");
        setNumber(weightCells[k], numbers.weights[k], format);
        paintValue(weightCells[k], numbers.weights[k], colors.weights, weightRange);
        setNumber(productCells[k], numbers.products[k], format);
        paintValue(productCells[k], numbers.products[k], colors.diverging, productRange);
      }
      setNumber(sum, numbers.sum, format);
      paintValue(sum, numbers.sum, colors.diverging, intermediateRange);
      totalLabel.replaceChildren(
        tNodes("view.formula.total", { layer: layer.name, neuron, row: pos[0], col: pos[1], terms: summed() }),
      );
      numbers.terms.forEach((value, c) => setNumber(termCells[c], value, format));
      if (bias) setNumber(bias, numbers.bias, format);
      setNumber(result, numbers.result, format);
      total.setAttribute("aria-live", animated ? "off" : "polite");
    },
  };
}
