// The view of a pooling neuron: the pooling window and its stride drawn on the input map, the window's values and
// their max (or mean) printed, the output map beside, the window animated or moved by pointer and keys.

import { poolWindow, positionFromInput, windowGeometry, windowOrigin } from "../network/windowMath.js";
import { createMapFigure } from "./mapFigure.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { createLegend } from "../ui/legend.js";
import { paintValue, setNumber } from "../ui/numberCell.js";
import { viewHeader } from "./header.js";
import { createSweep } from "./sweep.js";
import { prefersReducedMotion } from "../ui/motion.js";
import { t, tNodes } from "../ui/i18n.js";

function describe(layer, source, neuron) {
  const [ph, pw] = layer.pool_size;
  const [sh, sw] = layer.strides;
  const [inH, inW] = layer.input_shape;
  const [outH, outW] = layer.shape;
  // messages view.pool.summary.max and view.pool.summary.average (spec op "max" or "average")
  const summary = tNodes(`view.pool.summary.${layer.op === "max" ? "max" : "average"}`, {
    height: ph,
    width: pw,
    stride: sh === sw ? sh : `${sh}×${sw}`,
    channel: neuron,
    source: source.name,
    inHeight: inH,
    inWidth: inW,
    outHeight: outH,
    outWidth: outW,
  });
  return layer.padding === "same" ? tNodes("view.pool.summary.padded", { summary }) : summary;
}

/**
 * The window's grid of `rows` x `cols` value cells, a table in `parent` named `label` with data-testid `testid`
 * (its cells `testid` without "-window", plus "-value"): the cells, row by row.
 */
export function windowTable(parent, rows, cols, label = t("view.pool.window"), testid = "pool-window") {
  const grid = el("div", "fx-matrix pool-window", parent);
  grid.dataset.testid = testid;
  grid.style.gridTemplateColumns = `repeat(${cols}, auto)`;
  grid.setAttribute("role", "table");
  grid.setAttribute("aria-label", label);
  const cells = [];
  for (let i = 0; i < rows; i++) {
    const row = el("div", "fx-row", grid);
    row.setAttribute("role", "row");
    for (let j = 0; j < cols; j++) {
      const cell = el("span", "fx-cell", row);
      cell.setAttribute("role", "cell");
      cell.dataset.testid = `${testid.replace(/-window$/, "")}-value`;
      cell.dataset.row = String(i);
      cell.dataset.col = String(j);
      cells.push(cell);
    }
  }
  return cells;
}

/** Write `window` (windowMath.js poolWindow) into `cells`: each value coloured by `lut` over `range`, the padding blank. */
export function paintWindow(cells, window, { format, lut, range }) {
  cells.forEach((cell, k) => {
    const inside = window.inside[k] === 1;
    cell.classList.toggle("is-pad", !inside);
    cell.classList.toggle("is-max", k === window.index);
    if (inside) {
      cell.removeAttribute("title");
      setNumber(cell, window.values[k], format);
      paintValue(cell, window.values[k], lut, range);
    } else {
      cell.textContent = "";
      delete cell.dataset.value;
      cell.removeAttribute("style");
      cell.title = t("view.pool.outside");
    }
  });
}

/**
 * A view of a window that slides over one channel of `params.layer`'s input (pooling, depthwise convolution; see
 * host.js for the interface): the window and its stride drawn on the input map, the output map beside, the window
 * animated or moved by pointer and keys. `summary` is the header's text; `makeFormula(middle, geometry)` builds
 * what is computed in the window in `middle` and returns {call (the element read aloud), show(pos, inputs,
 * outputs, inputRange)}.
 */
export function createWindowView(context, params, { summary, makeFormula }) {
  const layer = context.layer(params.layer);
  const { colors } = context;
  const source = context.layer(layer.input);
  const neuron = params.neuron;
  const geometry = windowGeometry(layer);
  const [kh, kw] = geometry.kernel;
  const [inH, inW] = geometry.inShape;
  const [outH, outW] = geometry.outShape;
  const inputLut = colors.lut(source.name);

  const element = el("section", "vw vw-pair");
  viewHeader(
    uniqueId("vw-title"),
    tNodes("view.layerChannel", { layer: layer.name, channel: neuron }),
    summary,
    element,
  );
  const toolbar = el("div", "vw-toolbar", element);
  const body = el("div", "pair-body", element);
  const padCols = inW + geometry.pad.left + geometry.pad.right;
  const inputMap = createMapFigure({
    height: inH,
    width: inW,
    pad: geometry.pad,
    size: `calc(var(--pair-map) * ${padCols / Math.max(inH, inW)})`,
    caption: tNodes("view.layerChannel", { layer: source.name, channel: neuron }),
    label: t("view.pool.input.label", { source: source.name, channel: neuron }),
    shows: { map: source.name, channel: neuron },
  });
  body.appendChild(inputMap.element);
  const formula = makeFormula(el("div", "pair-formula", body), geometry);
  const outputMap = createMapFigure({
    height: outH,
    width: outW,
    size: `calc(var(--pair-map) * ${outW / Math.max(inH, inW)})`,
    caption: tNodes("view.layerChannel", { layer: layer.name, channel: neuron }),
    label: t("view.pool.output.label", { layer: layer.name, channel: neuron }),
    shows: { map: layer.name, channel: neuron },
  });
  outputMap.element.tabIndex = 0;
  outputMap.element.dataset.autofocus = "";
  body.appendChild(outputMap.element);

  const legends = el("div", "vw-legends", element);
  const inputLegend = createLegend(tNodes("view.legend.values", { name: source.name }), inputLut, { shared: true });
  const outputLegend = createLegend(tNodes("view.legend.values", { name: layer.name }), colors.diverging, {
    shared: true,
  });
  legends.append(inputLegend.element, outputLegend.element);

  let inputs = null;
  let outputs = null;
  let inputRange = null;

  function showPosition(pos, animated) {
    const origin = windowOrigin(geometry, pos);
    inputMap.showWindow(origin.row, origin.col, kh, kw);
    outputMap.showWindow(pos[0], pos[1], 1, 1);
    formula.show(pos, inputs, outputs, inputRange);
    formula.call.setAttribute("aria-live", animated ? "off" : "polite");
    context.report({ pos: [...pos] });
  }

  const sweep = createSweep({
    dims: [outH, outW],
    pos: params.pos,
    play: !params.pos && !prefersReducedMotion(),
    onMove: (pos, animated) => inputs && showPosition(pos, animated),
  });
  toolbar.appendChild(sweep.element);
  inputMap.onPoint((cell) => sweep.moveTo(positionFromInput(geometry, cell)));
  outputMap.onPoint(sweep.moveTo);

  return {
    element,
    update() {
      const activations = context.activations();
      inputs = activations.get(layer.input);
      outputs = activations.get(layer.name);
      inputRange = colors.mapRange(source.name, inputs, neuron);
      const outputRange = colors.mapRange(layer.name, outputs, neuron);
      inputMap.draw(inputs, neuron, inputRange, inputLut);
      outputMap.draw(outputs, neuron, outputRange, colors.diverging);
      inputLegend.update(inputRange);
      outputLegend.update(outputRange);
      showPosition(sweep.position(), sweep.playing());
    },
    setPosition(pos) {
      sweep.moveTo(pos);
    },
    onKey: (event) => sweep.onKey(event),
    destroy() {
      sweep.destroy();
    },
  };
}

/** The pooling view of `params.neuron` of pool layer `params.layer` (see host.js for the interface). */
export function create(context, params) {
  const layer = context.layer(params.layer);
  const { format, colors } = context;
  const source = context.layer(layer.input);
  const neuron = params.neuron;
  const inputLut = colors.lut(source.name);
  const makeFormula = (middle, geometry) => {
    const [ph, pw] = geometry.kernel;
    const [, outW, channels] = geometry.outShape;
    textEl("p", "pair-kind", t(layer.op === "max" ? "view.pool.max" : "view.pool.average"), middle);
    const call = el("div", "pair-call pool-call", middle);
    call.setAttribute("aria-live", "polite");
    textEl("span", "", layer.op === "max" ? "max" : "mean", call);
    const cells = windowTable(call, ph, pw);
    textEl("span", "", " = ", call);
    const result = el("output", "pair-number pair-y", call);
    result.dataset.testid = "pool-result";
    return {
      call,
      show(pos, inputs, outputs, range) {
        paintWindow(cells, poolWindow(inputs, neuron, geometry, pos, layer.op), { format, lut: inputLut, range });
        setNumber(result, outputs.data[(pos[0] * outW + pos[1]) * channels + neuron], format);
      },
    };
  };
  return createWindowView(context, params, { summary: describe(layer, source, neuron), makeFormula });
}
