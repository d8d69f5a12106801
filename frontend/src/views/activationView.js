// The view of an element-wise layer (ReLU, tanh, sigmoid, leaky ReLU, ..., rescaling, and batch normalisation, a
// scale and shift per channel when the model predicts): the input map and the output map side by side, the function
// applied to the pixel under the pointer (or the animated one), and its curve.

import { batchnormFormula, elementwiseFormula } from "../network/elementwise.js";
import { batchnormFacts } from "./batchnormFacts.js";
import { formatShort } from "../ui/format.js";
import { createMapFigure } from "./mapFigure.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { createLegend } from "../ui/legend.js";
import { setNumber } from "../ui/numberCell.js";
import { viewHeader } from "./header.js";
import { createSweep } from "./sweep.js";
import { prefersReducedMotion } from "../ui/motion.js";
import { t, tNodes } from "../ui/i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const PLOT = { width: 176, height: 124, pad: 10 };
const CURVE_POINTS = 96;

function svg(tag, attributes, parent) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  parent.appendChild(node);
  return node;
}

/** The function's curve over the input's colour range, with the current (x, y) marked: {element, draw(range), mark(x, y)}. */
function createPlot(curve, label) {
  const element = document.createElementNS(SVG, "svg");
  element.setAttribute("class", "act-plot");
  element.setAttribute("viewBox", `0 0 ${PLOT.width} ${PLOT.height}`);
  element.setAttribute("width", PLOT.width);
  element.setAttribute("height", PLOT.height);
  element.setAttribute("role", "img");
  element.setAttribute("aria-label", label);
  const axes = svg("path", { class: "act-axes" }, element);
  const line = svg("path", { class: "act-curve" }, element);
  const guides = svg("path", { class: "act-guides" }, element);
  const dot = svg("circle", { class: "act-dot", r: 4 }, element);
  const xLabel = svg("text", { class: "act-axis-label", "text-anchor": "end" }, element);
  const yLabel = svg("text", { class: "act-axis-label" }, element);
  xLabel.textContent = "x";
  yLabel.textContent = "y";
  let sx = (x) => x;
  let sy = (y) => y;
  return {
    element,
    /** Draw the curve for inputs over `range` ({min, max}). */
    draw(range) {
      const x0 = Math.min(range.min, 0);
      const x1 = Math.max(range.max, 0) > x0 ? Math.max(range.max, 0) : x0 + 1;
      const xs = Array.from({ length: CURVE_POINTS }, (_, i) => x0 + ((x1 - x0) * i) / (CURVE_POINTS - 1));
      const ys = xs.map(curve);
      const y0 = Math.min(0, ...ys);
      const y1 = Math.max(0, ...ys) > y0 ? Math.max(0, ...ys) : y0 + 1;
      const { width, height, pad } = PLOT;
      sx = (x) => pad + ((x - x0) / (x1 - x0)) * (width - 2 * pad);
      sy = (y) => height - pad - ((y - y0) / (y1 - y0)) * (height - 2 * pad);
      axes.setAttribute("d", `M${pad} ${sy(0)}H${width - pad}M${sx(0)} ${pad}V${height - pad}`);
      xLabel.setAttribute("x", width - pad);
      xLabel.setAttribute("y", sy(0) - 4);
      yLabel.setAttribute("x", sx(0) + 5);
      yLabel.setAttribute("y", pad + 4);
      line.setAttribute("d", xs.map((x, i) => `${i ? "L" : "M"}${sx(x).toFixed(1)} ${sy(ys[i]).toFixed(1)}`).join(""));
    },
    /** Mark the point (x, y). */
    mark(x, y) {
      const px = sx(x);
      const py = sy(y);
      dot.setAttribute("cx", px);
      dot.setAttribute("cy", py);
      guides.setAttribute("d", `M${px} ${sy(0)}V${py}H${sx(0)}`);
    },
  };
}

// the message that explains each summary of elementwiseFormula
const SUMMARIES = {
  batchnorm: "view.batchnorm.summary",
  rescaling: "view.activation.summary.rescaling",
  relu: "view.activation.summary.relu",
  function: "view.activation.summary",
};

/** The view's summary of what `formula` (elementwiseFormula) does to channel `channel` of `source`. */
function describe(formula, source, channel) {
  return tNodes(SUMMARIES[formula.summary], { source: source.name, title: formula.title, channel });
}

/** The formula of channel `channel` of element-wise `layer` (a batch normalisation's from its weights in `context`). */
function formulaOf(layer, channel, context) {
  if (layer.kind !== "batchnorm") return elementwiseFormula(layer, formatShort);
  return batchnormFormula(layer, channel, context.weights(layer.name), formatShort);
}

/**
 * The function's column of the view in `parent`: its name and definition, the call with the value x (where the
 * formula takes it) and the result y, and its curve. {call, inputs (the x outputs), y, plot}.
 */
function formulaColumn(formula, parent) {
  const middle = el("div", "pair-formula", parent);
  textEl("p", "pair-kind", formula.title, middle);
  if (formula.definition) textEl("p", "pair-definition", formula.definition, middle);
  const call = el("p", "pair-call", middle);
  call.setAttribute("aria-live", "polite");
  const inputs = [];
  for (const part of formula.parts) {
    if (typeof part === "string") textEl("span", "", part, call);
    else {
      const x = el("output", "pair-number pair-x", call);
      x.dataset.testid = "activation-input";
      inputs.push(x);
    }
  }
  textEl("span", "", " = ", call);
  const y = el("output", "pair-number pair-y", call);
  y.dataset.testid = "activation-output";
  const plot = createPlot(formula.curve, t("view.activation.curve", { title: formula.title }));
  middle.appendChild(plot.element);
  return { call, inputs, y, plot };
}

/** The element-wise view of `params.neuron` of layer `params.layer` (see host.js for the interface). */
export function create(context, params) {
  const layer = context.layer(params.layer); // an element-wise layer: the host opens a view on its own layers only
  const { format, colors } = context;
  const source = context.layer(layer.input);
  const neuron = params.neuron;
  const formula = formulaOf(layer, neuron, context);
  const spatial = layer.shape.length === 3;
  const [h, w, channels] = spatial ? layer.shape : [1, 1, layer.shape[0]];

  const element = el("section", "vw vw-pair");
  viewHeader(
    uniqueId("vw-title"),
    spatial
      ? tNodes("view.layerChannel", { layer: layer.name, channel: neuron })
      : tNodes("view.layerUnit", { layer: layer.name, unit: neuron }),
    describe(formula, source, neuron),
    element,
  );
  const toolbar = el("div", "vw-toolbar", element);
  const body = el("div", "pair-body", element);
  // the maps of a channel (a spatial layer's only): input x, output y
  const mapOf = (name, role) =>
    createMapFigure({
      height: h,
      width: w,
      size: `calc(var(--pair-map) * ${w / Math.max(h, w)})`,
      caption: tNodes("view.activation.map.caption", { layer: name, channel: neuron, role }),
      label: t(role === "x" ? "view.activation.input.label" : "view.activation.output.label", {
        layer: name,
        channel: neuron,
      }),
      shows: { map: name, channel: neuron },
    });
  const inputMap = spatial ? mapOf(source.name, "x") : null;
  if (inputMap) body.appendChild(inputMap.element);

  const { call, inputs, y, plot } = formulaColumn(formula, body);
  if (formula.numbers) {
    const convBias = source.kind === "conv" ? (context.weights(source.name).bias?.data[neuron] ?? 0) : 0;
    const { numbers } = formula;
    const facts = el("div", "bn-extra", null);
    body.after(facts);
    batchnormFacts(facts, { layer, source, channel: neuron, numbers, convBias, format });
  }

  const outputMap = spatial ? mapOf(layer.name, "y") : null;
  if (outputMap) {
    body.appendChild(outputMap.element);
    outputMap.element.tabIndex = 0;
    outputMap.element.dataset.autofocus = "";
  } else call.tabIndex = 0;
  if (!spatial) call.dataset.autofocus = "";

  const legends = el("div", "vw-legends", element);
  const inputLegend = createLegend(tNodes("view.legend.values.x", { name: source.name }), colors.lut(source.name), {
    shared: true,
  });
  const outputLegend = createLegend(tNodes("view.legend.values.y", { name: layer.name }), colors.diverging, {
    shared: true,
  });
  legends.append(inputLegend.element, outputLegend.element);

  let xs = null;
  let ys = null;

  function showPosition(pos, animated) {
    const index = (pos[0] * w + pos[1]) * channels + neuron;
    for (const x of inputs) setNumber(x, xs.data[index], format);
    setNumber(y, ys.data[index], format);
    plot.mark(xs.data[index], ys.data[index]);
    call.setAttribute("aria-live", animated ? "off" : "polite");
    if (spatial) {
      inputMap.showWindow(pos[0], pos[1], 1, 1);
      outputMap.showWindow(pos[0], pos[1], 1, 1);
      context.report({ pos: [...pos] });
    }
  }

  const sweep = createSweep({
    dims: [h, w],
    pos: params.pos,
    play: spatial && !params.pos && !prefersReducedMotion(),
    onMove: (pos, animated) => xs && showPosition(pos, animated),
  });
  if (spatial) {
    toolbar.appendChild(sweep.element);
    inputMap.onPoint(sweep.moveTo);
    outputMap.onPoint(sweep.moveTo);
  } else toolbar.remove();

  return {
    element,
    update() {
      const activations = context.activations();
      xs = activations.get(layer.input);
      ys = activations.get(layer.name);
      const inputRange = spatial ? colors.mapRange(source.name, xs, neuron) : colors.range(source.name);
      const outputRange = spatial ? colors.mapRange(layer.name, ys, neuron) : colors.range(layer.name);
      if (spatial) {
        inputMap.draw(xs, neuron, inputRange, colors.lut(source.name));
        outputMap.draw(ys, neuron, outputRange, colors.diverging);
      }
      inputLegend.update(inputRange);
      outputLegend.update(outputRange);
      plot.draw(inputRange);
      showPosition(sweep.position(), sweep.playing());
    },
    setPosition(pos) {
      sweep.moveTo(pos);
    },
    onKey(event) {
      return spatial && sweep.onKey(event);
    },
    destroy() {
      sweep.destroy();
    },
  };
}
