// The arithmetic of one conv neuron at one window position: an input channel's window values times that channel's
// kernel, the products and their sum (the intermediate value), then every intermediate plus the bias (the output).

import { valueRange, symmetricRange } from "../ui/colors.js";
import { createMapFigure } from "./mapFigure.js";
import { el, icon, textEl } from "../ui/dom.js";
import { createLegend } from "../ui/legend.js";
import { paintValue, setNumber } from "../ui/numberCell.js";
import { fill } from "../ui/text.js";
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
  const plusBias = layer.use_bias ? " plus the bias" : "";
  const intermediates = inC > 1 ? `the ${inC} intermediates` : "the intermediate";
  textEl(
    "p",
    "fx-summary",
    fill(
      `The ${kh}×${kw} values of {source} (channel ${channel}) under the window, times the weights {layer} applies to that channel, summed: intermediate ${channel} at this position. Then ${intermediates}${plusBias} give channel ${neuron} of {layer}.`,
      { source: source.name, layer: layer.name },
    ),
    head,
  );
  const back = el("button", "vbtn fx-back", head);
  back.type = "button";
  back.title = "Back to all channels (Escape)";
  back.append(icon("back"), "All channels");
  back.addEventListener("click", onClose);

  const main = el("div", "fx-main", element);
  const input = createMapFigure({
    height: inH,
    width: inW,
    pad: geometry.pad,
    size: `calc(var(--fx-map) * ${(inW + geometry.pad.left + geometry.pad.right) / inW})`,
    caption: fill(`{source} · ch ${channel}`, { source: source.name }),
    label: `Channel ${channel} of ${source.name}, with the window; point to move it`,
    shows: { map: source.name, channel },
  });
  main.appendChild(input.element);
  const patchCells = createMatrix(kh, kw, "formula-input", "window values", main);
  operator("×", "times, value by value", main);
  const weightCells = createMatrix(kh, kw, "formula-weight", "kernel weights", main);
  operator("=", "equals", main);
  const productCells = createMatrix(kh, kw, "formula-product", "products", main);
  operator("Σ", "summed", main);
  const sumBlock = el("figure", "fx-block", main);
  const sum = el("output", "fx-sum", sumBlock);
  sum.dataset.testid = "formula-sum";
  textEl("figcaption", "fx-caption", `intermediate ${channel}`, sumBlock);
  const intermediate = createMapFigure({
    height: outH,
    width: outW,
    size: `max(var(--map-min), calc(var(--fx-map) * ${outW / inW}))`,
    caption: `intermediate ${channel}`,
    label: `Intermediate map of channel ${channel}; point to move the window`,
    shows: { map: "intermediate", channel },
  });
  main.appendChild(intermediate.element);
  input.onPoint((cell) => onPoint({ input: cell }));
  intermediate.onPoint((cell) => onPoint({ output: cell }));

  const productLegend = createLegend("products (this window)", colors.diverging);
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
    if (c > 0) operator("+", "plus", terms);
    const cell = term(c === channel ? "is-current" : "", `ch ${c}`);
    cell.dataset.testid = "formula-intermediate";
    cell.dataset.channel = String(c);
    termCells.push(cell);
  }
  let bias = null;
  if (layer.use_bias) {
    operator("+", "plus", terms);
    bias = term("fx-bias", "bias");
    bias.dataset.testid = "formula-bias";
  }
  operator("=", "equals", terms);
  const result = term("fx-result", `channel ${neuron}`, "output");
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
      title.textContent = `Channel ${channel} at row ${pos[0]}, col ${pos[1]}`;
      element.setAttribute("aria-label", `Arithmetic of channel ${channel} at row ${pos[0]}, column ${pos[1]}`);
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
        fill(`{layer}, channel ${neuron}, at row ${pos[0]}, col ${pos[1]}: ${intermediates}${plusBias}`, {
          layer: layer.name,
        }),
      );
      numbers.terms.forEach((value, c) => setNumber(termCells[c], value, format));
      if (bias) setNumber(bias, numbers.bias, format);
      setNumber(result, numbers.result, format);
      total.setAttribute("aria-live", animated ? "off" : "polite");
    },
  };
}
