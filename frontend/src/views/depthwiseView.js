// The view of a depthwise convolution's channel: one kernel slides over one channel of its input, with no sum across
// channels. The window on the input map, its values times the kernel's weights, their sum and the bias, the output
// map beside; the window animated or moved by pointer and keys.

import {
  dotProducts,
  kernelSlice,
  positionFromInput,
  windowGeometry,
  windowOrigin,
  windowValues,
} from "../network/windowMath.js";
import { createMapFigure } from "./mapFigure.js";
import { paintWindow, windowTable } from "./poolView.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { createLegend } from "../ui/legend.js";
import { paintValue, setNumber } from "../ui/numberCell.js";
import { viewHeader } from "./header.js";
import { createSweep } from "./sweep.js";
import { prefersReducedMotion } from "../ui/motion.js";
import { t, tNodes } from "../ui/i18n.js";

/**
 * The formula of a depthwise neuron in `middle`: Σ of the window (its cells, filled as the window moves) times the
 * kernel's `weights` (kh x kw, fixed), plus the `bias` (null without one) = the result. {call, cells, sum, result}.
 */
function formulaCall(middle, [kh, kw], weights, { bias, colors, format }) {
  textEl("p", "pair-kind", t("view.depthwise.kind"), middle);
  const call = el("div", "pair-call pool-call", middle);
  call.setAttribute("aria-live", "polite");
  textEl("span", "", "Σ", call);
  const cells = windowTable(call, kh, kw);
  textEl("span", "", "×", call);
  const kernelCells = windowTable(call, kh, kw, t("view.depthwise.kernel"), "depthwise-kernel");
  const largest = Math.max(...Array.from(weights, Math.abs)) || 1; // the weights' colours: symmetric about 0
  kernelCells.forEach((cell, k) => {
    setNumber(cell, weights[k], format);
    paintValue(cell, weights[k], colors.weights, { min: -largest, max: largest });
  });
  textEl("span", "", "=", call);
  const sum = el("output", "pair-number", call);
  sum.dataset.testid = "depthwise-sum";
  let result = sum; // without a bias, the sum is the output
  if (bias !== null) {
    textEl("span", "", "+", call);
    const b = el("output", "pair-number", call);
    b.dataset.testid = "depthwise-bias";
    setNumber(b, bias, format);
    textEl("span", "", "=", call);
    result = el("output", "pair-number pair-y", call);
  }
  sum.classList.toggle("pair-y", result === sum);
  result.dataset.testid = "depthwise-result";
  return { call, cells, sum, result };
}

/** The depthwise view of `params.neuron` of depthwise layer `params.layer` (see host.js for the interface). */
export function create(context, params) {
  const layer = context.layer(params.layer);
  const { format, colors } = context;
  const source = context.layer(layer.input);
  const neuron = params.neuron;
  const geometry = windowGeometry(layer);
  const [kh, kw] = geometry.kernel;
  const [inH, inW] = geometry.inShape;
  const [outH, outW, channels] = geometry.outShape;
  const inputLut = colors.lut(source.name);
  const { kernel, bias } = context.weights(layer.name);
  const weights = kernelSlice(kernel, neuron, 0);
  const biasValue = bias ? bias.data[neuron] : 0;

  const element = el("section", "vw vw-pair");
  const values = { height: kh, width: kw, channel: neuron, source: source.name };
  viewHeader(
    uniqueId("vw-title"),
    tNodes("view.layerChannel", { layer: layer.name, channel: neuron }),
    tNodes(bias ? "view.depthwise.summary.bias" : "view.depthwise.summary", values),
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

  const { call, cells, sum, result } = formulaCall(el("div", "pair-formula", body), geometry.kernel, weights, {
    bias: bias ? biasValue : null,
    colors,
    format,
  });

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
    const window = windowValues(inputs, neuron, geometry, pos);
    paintWindow(cells, { ...window, index: -1 }, { format, lut: inputLut, range: inputRange });
    if (sum !== result) setNumber(sum, dotProducts(window.values, weights).sum, format);
    setNumber(result, outputs.data[(pos[0] * outW + pos[1]) * channels + neuron], format);
    call.setAttribute("aria-live", animated ? "off" : "polite");
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
