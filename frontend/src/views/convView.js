// The expanded view of one conv neuron: each input channel with its own kernel and the intermediate map they give,
// the intermediates summed with the bias into the neuron's map, and one window sliding over all of them in step.
// An intermediate (or the output) opens the arithmetic at the window (convFormula.js).

import { symmetricRange, valueRange } from "../ui/colors.js";
import {
  correlate,
  dotProducts,
  kernelSlice,
  positionFromInput,
  windowGeometry,
  windowOrigin,
  windowValues,
} from "../network/windowMath.js";
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

const FEW_CHANNELS = 3; // up to this many input channels: large maps
const MANY_CHANNELS = 16; // more than this: small maps, more cards a row

/** The view's summary: the kernels, stride and padding, then how the intermediates make channel `filter`. */
function describe(layer, source, filter) {
  const [kh, kw] = layer.kernel_size;
  const [sh, sw] = layer.strides;
  const channels = layer.input_shape[2];
  const how = tNodes("view.conv.how", {
    count: channels,
    height: kh,
    width: kw,
    stride: sh === sw ? sh : `${sh}×${sw}`,
    padding: tNodes(layer.padding === "same" ? "view.conv.padding.same" : "view.conv.padding.valid"),
  });
  const bias = layer.use_bias ? "Bias" : "";
  // messages view.conv.summary.{one,many}[Bias]: one input channel or several, with or without a bias
  const values = { how, source: source.name, layer: layer.name, channel: filter, count: channels };
  return tNodes(`view.conv.summary.${channels === 1 ? "one" : "many"}${bias}`, values);
}

/** The conv view of `params.neuron` of conv layer `params.layer` (see host.js for the interface). */
export function create(context, params) {
  const layer = context.layer(params.layer);
  const { format, colors } = context;
  const source = context.layer(layer.input);
  const geometry = windowGeometry(layer);
  const [kh, kw] = geometry.kernel;
  const [inH, inW, inC] = geometry.inShape;
  const [outH, outW] = geometry.outShape;
  const filter = params.neuron;
  const { kernel, bias } = context.weights(layer.name);
  const slices = Array.from({ length: inC }, (_, c) => kernelSlice(kernel, c, filter));
  const biasValue = bias ? bias.data[filter] : 0;
  const weightRange = symmetricRange(slices.map(valueRange));
  const inputLut = colors.lut(source.name);
  const padCols = inW + geometry.pad.left + geometry.pad.right;

  const density = inC <= FEW_CHANNELS ? " is-few" : inC > MANY_CHANNELS ? " is-many" : "";
  const element = el("section", `vw vw-conv vw-wide${density}`);
  viewHeader(
    uniqueId("vw-title"),
    tNodes("view.layerChannel", { layer: layer.name, channel: filter }),
    describe(layer, source, filter),
    element,
  );
  const toolbar = el("div", "vw-toolbar", element);
  const body = el("div", "conv-body", element);
  const channelList = el("ol", "conv-channels", body);
  channelList.setAttribute("aria-label", t("view.conv.channels", { count: inC }));
  const unwatch = watchScroll(channelList); // with many channels the cards scroll, and their edge fades
  channelList.style.setProperty("--in-ratio", String(padCols / inW)); // the card's width, in maps (views.css)
  channelList.style.setProperty("--out-ratio", String(outW / inW));

  const cards = [];
  for (let c = 0; c < inC; c++) {
    const card = el("li", "conv-card", channelList);
    const inputMap = createMapFigure({
      height: inH,
      width: inW,
      pad: geometry.pad,
      size: `calc(var(--map) * ${padCols / inW})`,
      caption: inC > 1 ? tNodes("view.conv.input.caption", { source: source.name, channel: c }) : bdi(source.name),
      label: t("view.conv.input.label", { source: source.name, channel: c }),
      shows: { map: source.name, channel: c },
    });
    card.appendChild(inputMap.element);
    textEl("span", "conv-op", "⋆", card).title = t("view.conv.correlate");
    const kernelFigure = el("figure", "conv-kernel", card);
    const kernelImage = el("img", "conv-kernel-image", kernelFigure);
    kernelImage.alt = t("view.conv.kernel.alt", {
      channel: c,
      min: format(Math.min(...slices[c])),
      max: format(Math.max(...slices[c])),
    });
    Object.assign(kernelImage.dataset, { map: "kernel", channel: String(c) });
    kernelImage.src = heatmapUrl({ shape: [kh, kw, 1], data: slices[c] }, 0, weightRange, colors.weights);
    textEl("figcaption", "vmap-caption", t("view.conv.kernel"), kernelFigure);
    textEl("span", "conv-op", "=", card);
    const intermediate = createMapFigure({
      height: outH,
      width: outW,
      size: `max(var(--map-min), calc(var(--map) * ${outW / inW}))`,
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
    cards.push({ inputMap, intermediate, value, column });
  }

  const sumColumn = el("div", "conv-sum", body);
  if (inC > 1) {
    const sigma = el("p", "conv-node", sumColumn);
    textEl("span", "conv-node-symbol", "Σ", sigma);
    textEl("span", "", t("view.conv.add", { count: inC }), sigma);
  }
  if (layer.use_bias) {
    const biasLine = el("p", "conv-node", sumColumn);
    textEl("span", "conv-node-symbol", "+", biasLine);
    textEl("span", "", `${t("view.bias")} `, biasLine);
    const biasNode = el("output", "conv-number", biasLine);
    biasNode.dataset.testid = "conv-bias";
    setNumber(biasNode, biasValue, format);
  }
  textEl("span", "conv-arrow", "↓", sumColumn).setAttribute("aria-hidden", "true");
  const output = createMapFigure({
    height: outH,
    width: outW,
    size: `calc(var(--out-map) * ${outW / Math.max(outH, outW)})`,
    caption: tNodes("view.layerChannel", { layer: layer.name, channel: filter }),
    label: t("view.conv.output.label"),
    as: "button",
    shows: { map: layer.name, channel: filter },
  });
  sumColumn.appendChild(output.element);
  const outputLine = el("p", "conv-result", sumColumn);
  textEl("span", "", "= ", outputLine);
  const outputValue = el("output", "conv-number", outputLine);
  outputValue.dataset.testid = "conv-output";
  outputValue.setAttribute("aria-live", "off");

  const legends = el("div", "vw-legends", element);
  const legend = {
    input: createLegend(tNodes("view.legend.values", { name: source.name }), inputLut, { shared: true }),
    weights: createLegend(t("view.kernelWeights"), colors.weights),
    intermediates: createLegend(t("view.legend.intermediates"), colors.diverging, { shared: true }),
    output: createLegend(tNodes("view.legend.values", { name: layer.name }), colors.diverging, { shared: true }),
  };
  for (const item of Object.values(legend)) legends.appendChild(item.element);
  legend.weights.update(weightRange);

  let inputs = null;
  let intermediates = [];
  let intermediateRange = null;
  let channel = params.channel !== undefined && params.channel < inC ? params.channel : null;
  let formula = null;

  /** Every number of the arithmetic at output position `pos` for input channel `c`. */
  function numbersAt(pos, c) {
    const { values, inside } = windowValues(inputs, c, geometry, pos);
    const { products, sum } = dotProducts(values, slices[c]);
    const p = pos[0] * outW + pos[1];
    const terms = intermediates.map((map) => map[p]);
    const result = terms.reduce((total, term) => total + term, biasValue);
    return {
      pos,
      origin: windowOrigin(geometry, pos),
      values,
      inside,
      weights: slices[c],
      products,
      sum,
      terms,
      bias: biasValue,
      result,
    };
  }

  function showPosition(pos, animated) {
    const origin = windowOrigin(geometry, pos);
    const p = pos[0] * outW + pos[1];
    let total = biasValue;
    cards.forEach((card, c) => {
      card.inputMap.showWindow(origin.row, origin.col, kh, kw);
      card.intermediate.showWindow(pos[0], pos[1], 1, 1);
      setNumber(card.value, intermediates[c][p], format);
      total += intermediates[c][p];
    });
    output.showWindow(pos[0], pos[1], 1, 1);
    setNumber(outputValue, total, format);
    if (formula) formula.show(numbersAt(pos, channel), animated);
    context.report({ pos: [...pos] });
  }

  const sweep = createSweep({
    dims: [outH, outW],
    pos: params.pos,
    play: !params.pos && channel === null && !prefersReducedMotion(),
    onMove: (pos, animated) => inputs && showPosition(pos, animated),
  });
  toolbar.appendChild(sweep.element);

  const fromInput = (cell) => sweep.moveTo(positionFromInput(geometry, cell));
  const fromOutput = (cell) => sweep.moveTo(cell);
  cards.forEach((card, c) => {
    card.inputMap.onPoint(fromInput);
    card.intermediate.onPoint(fromOutput);
    // the map (a button: Enter and Space click it too) or its value under it
    card.column.addEventListener("click", (event) => openFormula(c, event.timeStamp));
  });
  output.onPoint(fromOutput);
  output.element.addEventListener("click", (event) => openFormula(channel ?? 0, event.timeStamp));

  function drawFormula() {
    const intermediate = { shape: [outH, outW, 1], data: intermediates[channel] };
    formula.draw(
      inputs,
      colors.mapRange(source.name, inputs, channel),
      intermediates[channel],
      colors.mapRange(null, intermediate, 0, intermediateRange),
    );
    formula.show(numbersAt(sweep.position(), channel), false);
  }

  function openFormula(c, since) {
    closeFormula(false);
    sweep.moveTo(sweep.position()); // pause: the numbers stay put while they are read
    channel = c;
    formula = createConvFormula({
      context,
      layer,
      source,
      neuron: filter,
      channel: c,
      geometry,
      inputLut,
      weightRange,
      onPoint: ({ input, output: cell }) => sweep.moveTo(input ? positionFromInput(geometry, input) : cell),
      onClose: () => closeFormula(true),
    });
    body.appendChild(formula.element);
    element.classList.add("has-formula");
    channelList.inert = true; // hidden under the formula: out of the tab order
    sumColumn.inert = true;
    if (inputs) drawFormula();
    formula.element.focus({ preventScroll: true });
    context.report({ channel: c });
    context.drawn("formula", since);
  }

  function closeFormula(restoreFocus) {
    if (!formula) return;
    formula.element.remove();
    formula = null;
    element.classList.remove("has-formula");
    channelList.inert = false;
    sumColumn.inert = false;
    const was = channel;
    channel = null;
    context.report({ channel: undefined });
    if (restoreFocus) cards[was].intermediate.element.focus({ preventScroll: true });
  }

  return {
    element,
    update() {
      const activations = context.activations();
      inputs = activations.get(layer.input);
      intermediates = slices.map((weights, c) => correlate(inputs, c, weights, geometry));
      intermediateRange = symmetricRange(intermediates.map(valueRange));
      const inputRange = colors.range(source.name);
      const outputRange = colors.range(layer.name);
      cards.forEach((card, c) => {
        card.inputMap.draw(inputs, c, colors.mapRange(source.name, inputs, c), inputLut);
        const map = { shape: [outH, outW, 1], data: intermediates[c] };
        card.intermediate.draw(map, 0, colors.mapRange(null, map, 0, intermediateRange), colors.diverging);
      });
      const outputs = activations.get(layer.name);
      output.draw(outputs, filter, colors.mapRange(layer.name, outputs, filter), colors.diverging);
      legend.input.update(inputRange);
      legend.intermediates.update(intermediateRange);
      legend.output.update(outputRange);
      if (channel !== null && !formula) openFormula(channel, performance.now());
      else if (formula) drawFormula();
      showPosition(sweep.position(), sweep.playing());
    },
    setPosition(pos) {
      sweep.moveTo(pos);
    },
    onKey(event) {
      if (event.key === "Escape" && formula) {
        closeFormula(true);
        return true;
      }
      return sweep.onKey(event);
    },
    destroy() {
      sweep.destroy();
      unwatch();
    },
  };
}
