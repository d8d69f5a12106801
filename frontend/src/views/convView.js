// The expanded view of one conv neuron: each input channel with its own kernel and the intermediate map they give,
// the intermediates summed with the bias into the neuron's map, and one window sliding over all of them in step.
// An intermediate (or the output) opens the arithmetic at the window (convFormula.js). The numbers are
// network/convNeuron.js's, the sizes convLayout.js's, the words convMessages.js's: this module builds and wires.

import { convFilter, intermediateMaps, positionSum, windowArithmetic } from "../network/convNeuron.js";
import { kernelIndex } from "../network/edits.js";
import { positionFromInput, windowGeometry, windowOrigin } from "../network/windowMath.js";
import { createConvFormula } from "./convFormula.js";
import { createMapFigure, heatmapUrl } from "./mapFigure.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { createLegend } from "../ui/legend.js";
import { setNumber } from "../ui/numberCell.js";
import { viewHeader } from "./header.js";
import { createSweep } from "./sweep.js";
import { prefersReducedMotion } from "../ui/motion.js";
import { t, tNodes } from "../ui/i18n.js";
import { bdi } from "../ui/text.js";
import { watchScroll } from "../ui/scroll.js";
import { densityClass, initialChannel, mapRatios, mapSizes, playsAtFirst } from "./convLayout.js";
import { convSummary, kernelAlt } from "./convMessages.js";

/** The view's summary: the kernels, stride and padding, then how the intermediates make channel `filter`. */
function describe(layer, source, filter) {
  const { how, summary } = convSummary(layer, source, filter);
  const [howKey, howValues] = how;
  const [key, values] = summary;
  return tNodes(key, { how: tNodes(howKey, { ...howValues, padding: tNodes(howValues.padding) }), ...values });
}

/** The kernel slice that filter applies to input channel `c`, as an image. */
function kernelFigure(v, c, card) {
  const { colors, format } = v.context;
  const [kh, kw] = v.geometry.kernel;
  const figure = el("figure", "conv-kernel", card);
  const image = el("img", "conv-kernel-image", figure);
  Object.assign(image.dataset, { map: "kernel", channel: String(c) });
  textEl("figcaption", "vmap-caption", t("view.conv.kernel"), figure);
  /** Draw the slice as the filter holds it now (edits written in), marked when one of its weights is edited. */
  return (edited) => {
    const slice = v.filter.slices[c];
    image.alt = kernelAlt(c, slice, format);
    image.src = heatmapUrl({ shape: [kh, kw, 1], data: slice }, 0, v.filter.weightRange, colors.weights);
    figure.classList.toggle("is-edited", edited);
  };
}

/** Input channel `c`'s card: its map ⋆ its kernel = its intermediate map, with the value at the window. */
function channelCard(v, c, list) {
  const { geometry, source } = v;
  const [inH, inW, inC] = geometry.inShape;
  const [outH, outW] = geometry.outShape;
  const sizes = mapSizes(geometry, "--map");
  const card = el("li", "conv-card", list);
  const inputMap = createMapFigure({
    height: inH,
    width: inW,
    pad: geometry.pad,
    size: sizes.input,
    caption: inC > 1 ? tNodes("view.conv.input.caption", { source: source.name, channel: c }) : bdi(source.name),
    label: t("view.conv.input.label", { source: source.name, channel: c }),
    shows: { map: source.name, channel: c },
  });
  card.appendChild(inputMap.element);
  textEl("span", "conv-op", "⋆", card).title = t("view.conv.correlate");
  const drawKernel = kernelFigure(v, c, card);
  textEl("span", "conv-op", "=", card);
  const intermediate = createMapFigure({
    height: outH,
    width: outW,
    size: sizes.intermediate,
    label: t("view.conv.intermediate.label", { channel: c }),
    as: "button",
    shows: { map: "intermediate", channel: c },
  });
  if (c === 0) intermediate.element.dataset.autofocus = "";
  const column = el("span", "conv-intermediate", card); // the map (a button) and its value at the window
  column.appendChild(intermediate.element);
  const value = el("output", "conv-value", column);
  value.dataset.testid = "intermediate-value";
  value.dataset.channel = String(c);
  return { inputMap, intermediate, value, column, drawKernel };
}

function buildChannels(v, body) {
  const inC = v.geometry.inShape[2];
  const ratios = mapRatios(v.geometry);
  const channelList = el("ol", "conv-channels", body);
  channelList.setAttribute("aria-label", t("view.conv.channels", { count: inC }));
  const unwatch = watchScroll(channelList); // with many channels the cards scroll, and their edge fades
  channelList.style.setProperty("--in-ratio", String(ratios.input)); // the card's width, in maps (views.css)
  channelList.style.setProperty("--out-ratio", String(ratios.intermediate));
  const cards = Array.from({ length: inC }, (_, c) => channelCard(v, c, channelList));
  return { channelList, unwatch, cards };
}

/** Σ the intermediates, + the bias, ↓ the neuron's map and its value at the window. */
function buildSum(v, body) {
  const { layer, geometry } = v;
  const [outH, outW] = geometry.outShape;
  const sumColumn = el("div", "conv-sum", body);
  if (geometry.inShape[2] > 1) {
    const sigma = el("p", "conv-node", sumColumn);
    textEl("span", "conv-node-symbol", "Σ", sigma);
    textEl("span", "", t("view.conv.add", { count: geometry.inShape[2] }), sigma);
  }
  if (layer.use_bias) {
    const biasLine = el("p", "conv-node", sumColumn);
    textEl("span", "conv-node-symbol", "+", biasLine);
    textEl("span", "", `${t("view.bias")} `, biasLine);
    v.biasNode = el("output", "conv-number", biasLine);
    v.biasNode.dataset.testid = "conv-bias";
  }
  textEl("span", "conv-arrow", "↓", sumColumn).setAttribute("aria-hidden", "true");
  const output = createMapFigure({
    height: outH,
    width: outW,
    size: `calc(var(--out-map) * ${mapRatios(geometry).output})`,
    caption: tNodes("view.layerChannel", { layer: layer.name, channel: v.neuron }),
    label: t("view.conv.output.label"),
    as: "button",
    shows: { map: layer.name, channel: v.neuron },
  });
  sumColumn.appendChild(output.element);
  const outputLine = el("p", "conv-result", sumColumn);
  textEl("span", "", "= ", outputLine);
  const outputValue = el("output", "conv-number", outputLine);
  outputValue.dataset.testid = "conv-output";
  outputValue.setAttribute("aria-live", "off");
  return { sumColumn, output, outputValue };
}

function buildLegends(v, element) {
  const { colors } = v.context;
  const legends = el("div", "vw-legends", element);
  const legend = {
    input: createLegend(tNodes("view.legend.values", { name: v.source.name }), v.inputLut, { shared: true }),
    weights: createLegend(t("view.kernelWeights"), colors.weights),
    intermediates: createLegend(t("view.legend.intermediates"), colors.diverging, { shared: true }),
    output: createLegend(tNodes("view.legend.values", { name: v.layer.name }), colors.diverging, { shared: true }),
  };
  for (const item of Object.values(legend)) legends.appendChild(item.element);
  return legend;
}

/**
 * Read the filter again (an edit changes it): every kernel slice, the bias and the weights' legend, with the edited
 * ones marked.
 */
function readFilter(v) {
  const { context, layer, neuron, geometry } = v;
  const { kernel, bias } = context.weights(layer.name);
  const inC = geometry.inShape[2];
  v.filter = convFilter(kernel, bias, neuron, inC);
  const edited = context.edited(layer.name);
  const shape = [...geometry.kernel, inC, layer.filters];
  const cells = geometry.kernel[0] * geometry.kernel[1];
  v.cards.forEach((card, c) => {
    const indices = Array.from({ length: cells }, (_, k) =>
      kernelIndex(shape, Math.floor(k / shape[1]), k % shape[1], c, neuron),
    );
    card.drawKernel(indices.some((index) => edited.kernel.has(index)));
  });
  if (v.biasNode) {
    setNumber(v.biasNode, v.filter.bias, context.format);
    v.biasNode.classList.toggle("is-edited", edited.bias.has(neuron));
  }
  v.legend.weights.update(v.filter.weightRange);
}

/** Move the window to output position `pos` in every map, print the values there, and the formula's. */
function showPosition(v, pos, animated) {
  const { context, geometry } = v;
  const [kh, kw] = geometry.kernel;
  const origin = windowOrigin(geometry, pos);
  const { terms, result } = positionSum(v.intermediates, v.filter.bias, pos, geometry);
  v.cards.forEach((card, c) => {
    card.inputMap.showWindow(origin.row, origin.col, kh, kw);
    card.intermediate.showWindow(pos[0], pos[1], 1, 1);
    setNumber(card.value, terms[c], context.format);
  });
  v.output.showWindow(pos[0], pos[1], 1, 1);
  setNumber(v.outputValue, result, context.format);
  if (v.formula) v.formula.show(numbersAt(v, pos), animated);
  context.report({ pos: [...pos] });
}

/** Every number of the open formula's arithmetic at output position `pos`. */
function numbersAt(v, pos) {
  return windowArithmetic(v.filter, v.inputs, v.intermediates, v.geometry, pos, v.channel);
}

function drawFormula(v) {
  const { colors } = v.context;
  const [outH, outW] = v.geometry.outShape;
  const intermediate = { shape: [outH, outW, 1], data: v.intermediates[v.channel] };
  v.formula.draw(
    v.inputs,
    colors.mapRange(v.source.name, v.inputs, v.channel),
    v.intermediates[v.channel],
    colors.mapRange(null, intermediate, 0, v.intermediateRange),
  );
  v.formula.show(numbersAt(v, v.sweep.position()), false);
}

/** Open the arithmetic of input channel `c` over the channel cards (for an action at `since`). */
function openFormula(v, c, since) {
  const { context, geometry, sweep } = v;
  closeFormula(v, false);
  sweep.moveTo(sweep.position()); // pause: the numbers stay put while they are read
  v.channel = c;
  v.formula = createConvFormula({
    context,
    layer: v.layer,
    source: v.source,
    neuron: v.neuron,
    channel: c,
    geometry,
    inputLut: v.inputLut,
    weightRange: () => v.filter.weightRange,
    onPoint: ({ input, output: cell }) => sweep.moveTo(input ? positionFromInput(geometry, input) : cell),
    onClose: () => closeFormula(v, true),
  });
  v.body.appendChild(v.formula.element);
  v.element.classList.add("has-formula");
  v.channelList.inert = true; // hidden under the formula: out of the tab order
  v.sumColumn.inert = true;
  if (v.inputs) drawFormula(v);
  v.formula.element.focus({ preventScroll: true });
  context.report({ channel: c });
  context.drawn("formula", since);
}

function closeFormula(v, restoreFocus) {
  if (!v.formula) return;
  v.formula.element.remove();
  v.formula = null;
  v.element.classList.remove("has-formula");
  v.channelList.inert = false;
  v.sumColumn.inert = false;
  const was = v.channel;
  v.channel = null;
  v.context.report({ channel: undefined });
  if (restoreFocus) v.cards[was].intermediate.element.focus({ preventScroll: true });
}

/** Pointing at a map moves the window; clicking an intermediate (or the output) opens its formula. */
function wireMaps(v) {
  const { sweep, geometry } = v;
  const fromInput = (cell) => sweep.moveTo(positionFromInput(geometry, cell));
  const fromOutput = (cell) => sweep.moveTo(cell);
  v.cards.forEach((card, c) => {
    card.inputMap.onPoint(fromInput);
    card.intermediate.onPoint(fromOutput);
    // the map (a button: Enter and Space click it too) or its value under it
    card.column.addEventListener("click", (event) => openFormula(v, c, event.timeStamp));
  });
  v.output.onPoint(fromOutput);
  v.output.element.addEventListener("click", (event) => openFormula(v, v.channel ?? 0, event.timeStamp));
}

/** Draw every map from the current image's activations, with the legends' ranges. */
function drawMaps(v, activations) {
  const { colors } = v.context;
  const [outH, outW] = v.geometry.outShape;
  const inputRange = colors.range(v.source.name);
  const outputRange = colors.range(v.layer.name);
  v.cards.forEach((card, c) => {
    card.inputMap.draw(v.inputs, c, colors.mapRange(v.source.name, v.inputs, c), v.inputLut);
    const map = { shape: [outH, outW, 1], data: v.intermediates[c] };
    card.intermediate.draw(map, 0, colors.mapRange(null, map, 0, v.intermediateRange), colors.diverging);
  });
  const outputs = activations.get(v.layer.name);
  v.output.draw(outputs, v.neuron, colors.mapRange(v.layer.name, outputs, v.neuron), colors.diverging);
  v.legend.input.update(inputRange);
  v.legend.intermediates.update(v.intermediateRange);
  v.legend.output.update(outputRange);
}

/** The conv view of `params.neuron` of conv layer `params.layer` (see host.js for the interface). */
export function create(context, params) {
  const layer = context.layer(params.layer);
  const source = context.layer(layer.input);
  const geometry = windowGeometry(layer);
  const inC = geometry.inShape[2];
  const neuron = params.neuron;
  const inputLut = context.colors.lut(source.name);
  // filter: the neuron's kernel slices and bias (readFilter); inputs: the layer's input activations; intermediates:
  // each channel's correlated map, and their shared range; channel: the input channel whose formula is open (or
  // opens at the first update); formula: createConvFormula's
  const v = { context, layer, source, geometry, neuron, filter: null, inputLut, inputs: null, intermediates: [] };
  Object.assign(v, { intermediateRange: null, channel: initialChannel(params.channel, inC), formula: null });
  const element = el("section", `vw vw-conv vw-wide${densityClass(inC)}`);
  v.element = element;
  const title = tNodes("view.layerChannel", { layer: layer.name, channel: neuron });
  viewHeader(uniqueId("vw-title"), title, describe(layer, source, neuron), element);
  const toolbar = el("div", "vw-toolbar", element);
  v.body = el("div", "conv-body", element);
  Object.assign(v, buildChannels(v, v.body), buildSum(v, v.body));
  v.legend = buildLegends(v, element);
  readFilter(v);
  v.sweep = createSweep({
    dims: geometry.outShape.slice(0, 2),
    pos: params.pos,
    play: playsAtFirst(params.pos, v.channel, prefersReducedMotion()),
    onMove: (pos, animated) => v.inputs && showPosition(v, pos, animated),
  });
  toolbar.appendChild(v.sweep.element);
  wireMaps(v);

  return {
    element,
    update() {
      const activations = context.activations();
      readFilter(v);
      v.inputs = activations.get(layer.input);
      const intermediates = intermediateMaps(v.inputs, v.filter.slices, geometry);
      v.intermediates = intermediates.maps;
      v.intermediateRange = intermediates.range;
      drawMaps(v, activations);
      if (v.channel !== null && !v.formula) openFormula(v, v.channel, performance.now());
      else if (v.formula) drawFormula(v);
      showPosition(v, v.sweep.position(), v.sweep.playing());
    },
    setPosition(pos) {
      v.sweep.moveTo(pos);
    },
    onKey(event) {
      if (event.key === "Escape" && v.formula) {
        closeFormula(v, true);
        return true;
      }
      return v.sweep.onKey(event);
    },
    destroy() {
      v.sweep.destroy();
      v.unwatch();
    },
  };
}
