// The arithmetic of one conv neuron at one window position: an input channel's window values times that channel's
// kernel, the products and their sum (the intermediate value), then every intermediate plus the bias (the output).
// The numbers are network/convNeuron.js's windowArithmetic; this module builds the card and prints them.

import { createMapFigure } from "./mapFigure.js";
import { el, icon, textEl } from "../ui/dom.js";
import { createLegend } from "../ui/legend.js";
import { paintValue, setNumber } from "../ui/numberCell.js";
import { t, tNodes } from "../ui/i18n.js";
import { watchScroll } from "../ui/scroll.js";
import { classicKernels } from "../network/classicKernels.js";
import { kernelIndex } from "../network/edits.js";
import { weightInput } from "./weightInput.js";
import { formulaTerms, mapSizes } from "./convLayout.js";
import { formulaHeading, termsKey } from "./convMessages.js";

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

const TERM_TESTIDS = { intermediate: "formula-intermediate", bias: "formula-bias", result: "formula-result" };

/** The card's header: its title (filled by show), what it computes, the back button. */
function buildHead(f, element) {
  const [kh, kw] = f.geometry.kernel;
  const head = el("header", "fx-head", element);
  const title = textEl("h3", "fx-title", "", head);
  const values = { height: kh, width: kw, source: f.source.name, channel: f.channel, layer: f.layer.name };
  textEl("p", "fx-summary", tNodes("view.formula.summary", { ...values, terms: f.summed(), neuron: f.neuron }), head);
  const back = el("button", "vbtn fx-back", head);
  back.type = "button";
  back.title = t("view.formula.back.hint");
  back.append(icon("back"), t("view.formula.back"));
  back.addEventListener("click", f.onClose);
  return title;
}

/** The channel's input map, window values × kernel = products, Σ the sum, and the intermediate map. */
function buildMain(f, element) {
  const { geometry, source, channel } = f;
  const [kh, kw] = geometry.kernel;
  const [inH, inW] = geometry.inShape;
  const [outH, outW] = geometry.outShape;
  const sizes = mapSizes(geometry, "--fx-map");
  const main = el("div", "fx-main", element);
  const input = createMapFigure({
    height: inH,
    width: inW,
    pad: geometry.pad,
    size: sizes.input,
    caption: tNodes("view.conv.input.caption", { source: source.name, channel }),
    label: t("view.conv.input.label", { source: source.name, channel }),
    shows: { map: source.name, channel },
  });
  main.appendChild(input.element);
  const patchCells = createMatrix(kh, kw, "formula-input", t("view.formula.windowValues"), main);
  operator("×", t("view.op.times"), main);
  const weightCells = createMatrix(kh, kw, "formula-weight", t("view.kernelWeights"), main);
  const weights = weightCells.map((cell, k) => editableWeight(f, cell, Math.floor(k / kw), k % kw));
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
    size: sizes.intermediate,
    caption: t("view.formula.intermediate", { channel }),
    label: t("view.formula.intermediate.label", { channel }),
    shows: { map: "intermediate", channel },
  });
  main.appendChild(intermediate.element);
  input.onPoint((cell) => f.onPoint({ input: cell }));
  intermediate.onPoint((cell) => f.onPoint({ output: cell }));
  return { input, patchCells, weightCells, weights, productCells, sum, intermediate };
}

/**
 * Kernel weight [row, col] of the formula's channel as an input (what if): typed or dragged, it is edited in the
 * network (network/edits.js); returns its show(value, format, edited).
 */
function editableWeight(f, cell, row, col) {
  const { layer, channel, neuron, geometry } = f;
  const shape = [...geometry.kernel, geometry.inShape[2], layer.filters];
  const index = kernelIndex(shape, row, col, channel, neuron);
  cell.dataset.channel = String(channel);
  return weightInput(cell, {
    testid: "weight-input",
    label: t("view.formula.weight.label", { row, col, channel }),
    step: () => weightStep(f.weightRange()),
    onChange: (value, first) => f.context.edit([{ layer: layer.name, weight: "kernel", index, value }], first),
  });
}

/**
 * Buttons that put a classic kernel (edge, blur, ...: network/classicKernels.js) in place of the formula channel's
 * kernel, in one step to undo; for square kernels only, as the classics are.
 */
function classicChoices(f, element) {
  const { layer, channel, neuron, geometry } = f;
  const [kh, kw] = geometry.kernel;
  if (kh !== kw) return;
  const shape = [kh, kw, geometry.inShape[2], layer.filters];
  const row = el("p", "fx-classic", element);
  textEl("span", "fx-classic-title", t("view.formula.classic"), row);
  for (const kernel of classicKernels(kh)) {
    const button = textEl("button", "vbtn fx-classic-choice", kernel.name, row);
    button.type = "button";
    button.title = kernel.about;
    Object.assign(button.dataset, { testid: "classic-kernel", kernel: kernel.id });
    button.addEventListener("click", () => {
      const changes = Array.from(kernel.values, (value, k) => ({
        layer: layer.name,
        weight: "kernel",
        index: kernelIndex(shape, Math.floor(k / kw), k % kw, channel, neuron),
        value: Number(value.toPrecision(6)),
      }));
      f.context.edit(changes);
    });
  }
}

/** A drag's change per pixel: a hundredth of the layer's weights' range (a hundred pixels cross it). */
const weightStep = (range) => Math.max(Math.abs(range.min), Math.abs(range.max), 1e-3) / 50;

/** The output's sum: every intermediate, the bias, "=", the result (formulaTerms). */
function buildTotal(f, element) {
  const total = el("div", "fx-total", element);
  total.setAttribute("aria-live", "polite");
  const totalLabel = textEl("p", "fx-total-label", "", total);
  const terms = el("p", "fx-terms", total);
  const parts = { total, totalLabel, termCells: [], bias: null, result: null };
  const items = formulaTerms({
    channels: f.geometry.inShape[2],
    current: f.channel,
    useBias: f.layer.use_bias,
    neuron: f.neuron,
  });
  for (const item of items) {
    if (item.op) {
      operator(item.op, item.label, terms);
      continue;
    }
    const wrap = el("span", "fx-term-wrap", terms);
    const value = el(item.tag, `fx-term ${item.className}`, wrap);
    textEl("span", "fx-term-caption", item.caption, wrap);
    value.dataset.testid = TERM_TESTIDS[item.kind];
    if (item.kind === "intermediate") {
      value.dataset.channel = String(item.channel);
      parts.termCells.push(value);
    } else parts[item.kind] = value;
  }
  if (parts.bias) {
    const { layer, neuron } = f;
    parts.biasInput = weightInput(parts.bias, {
      testid: "bias-input",
      label: t("view.formula.bias.label", { neuron }),
      step: () => weightStep(f.weightRange()),
      onChange: (value, first) => f.context.edit([{ layer: layer.name, weight: "bias", index: neuron, value }], first),
    });
  }
  return parts;
}

/** Print the window's values, the kernel and the products, each cell coloured. */
function paintCells(f, main, numbers, inputRange) {
  const { colors, format } = f.context;
  const [kh, kw] = f.geometry.kernel;
  const edited = f.context.edited(f.layer.name).kernel;
  const shape = [kh, kw, f.geometry.inShape[2], f.layer.filters];
  for (let k = 0; k < kh * kw; k++) {
    const patch = main.patchCells[k];
    setNumber(patch, numbers.values[k], format);
    patch.classList.toggle("is-pad", !numbers.inside[k]);
    if (numbers.inside[k]) paintValue(patch, numbers.values[k], f.inputLut, inputRange);
    else patch.removeAttribute("style");
    const index = kernelIndex(shape, Math.floor(k / kw), k % kw, f.channel, f.neuron);
    main.weights[k](numbers.weights[k], format, edited.has(index));
    paintValue(main.weightCells[k], numbers.weights[k], colors.weights, f.weightRange());
    setNumber(main.productCells[k], numbers.products[k], format);
    paintValue(main.productCells[k], numbers.products[k], colors.diverging, numbers.productRange);
  }
}

/** Print the sum of the intermediates and the bias at `numbers.pos`. */
function printTotal(f, sum, numbers) {
  const { format } = f.context;
  const { pos } = numbers;
  const values = { layer: f.layer.name, neuron: f.neuron, row: pos[0], col: pos[1], terms: f.summed() };
  sum.totalLabel.replaceChildren(tNodes("view.formula.total", values));
  numbers.terms.forEach((value, c) => setNumber(sum.termCells[c], value, format));
  if (sum.bias) sum.biasInput(numbers.bias, format, f.context.edited(f.layer.name).bias.has(f.neuron));
  setNumber(sum.result, numbers.result, format);
}

/**
 * The formula card of intermediate `channel` of conv neuron `neuron` of `layer` (a spec entry reading `source`),
 * with window `geometry`, the channel's maps drawn with `inputLut`, kernel colours over `weightRange()` (the conv
 * view shows the legends of those; the formula adds the products'). Its weights and bias are inputs: changed, they
 * are edits of the network (context.edit). `onPoint` gets pointer cells ({input: [row,
 * col]} or {output: [row, col]}), `onClose` the back button. Returns {element, draw(input,
 * inputRange, intermediate, intermediateRange), show(numbers, animated)}; `numbers` is what
 * network/convNeuron.js's windowArithmetic returns.
 */
export function createConvFormula(options) {
  const { context, layer, channel, geometry } = options;
  const { colors } = context;
  const [kh, kw] = geometry.kernel;
  const [outH, outW] = geometry.outShape;
  // what is added up into the output, a new fragment each time it is written
  const f = {
    ...options,
    summed: () => tNodes(termsKey(geometry.inShape[2], layer.use_bias), { count: geometry.inShape[2] }),
  };
  const element = el("section", "fx");
  element.setAttribute("role", "group");
  element.setAttribute("tabindex", "-1");
  watchScroll(element); // it stops with the element: the formula lives as long as its detail is open
  const title = buildHead(f, element);
  const main = buildMain(f, element);
  classicChoices(f, element);
  const productLegend = createLegend(t("view.formula.products.legend"), colors.diverging);
  el("div", "fx-legends", element).appendChild(productLegend.element);
  const sum = buildTotal(f, element);
  let inputRange = { min: 0, max: 1 };
  let intermediateRange = { min: 0, max: 1 };

  return {
    element,
    /** Draw the channel's input map and intermediate map, and remember their colour ranges. */
    draw(inputTensor, inRange, intermediateMap, interRange) {
      inputRange = inRange;
      intermediateRange = interRange;
      main.input.draw(inputTensor, channel, inRange, options.inputLut);
      main.intermediate.draw({ shape: [outH, outW, 1], data: intermediateMap }, 0, interRange, colors.diverging);
    },
    /** Print the arithmetic of `numbers` (one window position); `animated`: not announced to screen readers. */
    show(numbers, animated) {
      const { pos, origin } = numbers;
      const heading = formulaHeading(channel, pos);
      title.textContent = heading.title;
      element.setAttribute("aria-label", heading.label);
      main.input.showWindow(origin.row, origin.col, kh, kw);
      main.intermediate.showWindow(pos[0], pos[1], 1, 1);
      productLegend.update(numbers.productRange);
      paintCells(f, main, numbers, inputRange);
      setNumber(main.sum, numbers.sum, context.format);
      paintValue(main.sum, numbers.sum, colors.diverging, intermediateRange);
      printTotal(f, sum, numbers);
      sum.total.setAttribute("aria-live", animated ? "off" : "polite");
    },
  };
}
