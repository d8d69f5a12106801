// The output view: how one unit of a dense layer (for the last one, a class's logit) is computed from what the layer
// reads. The maps it reads are flattened in Keras's order into one column; every value is multiplied by its weight
// (the coloured edges) and the products are summed with the bias. Every number comes from TF.js. The numbers are
// network/denseUnit.js's, the geometry outputLayout.js's, the words outputMessages.js's: this module builds and draws.

import { extremes, flattenIndex, flattenPosition } from "../network/classifier.js";
import { denseUnit, firstElement } from "../network/denseUnit.js";
import { lutColor, lutIndex, weightLut } from "../ui/colors.js";
import { createMapFigure } from "./mapFigure.js";
import * as mx from "../ui/math.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { createLegend } from "../ui/legend.js";
import { viewHeader } from "./header.js";
import { t, tNodes } from "../ui/i18n.js";
import { watchScroll } from "../ui/scroll.js";
import {
  NODE_RADIUS,
  STRIP,
  centredScroll,
  clampElement,
  curvePath,
  edgeEnds,
  elementAfterKey,
  elementAt,
  flowEdges,
  flowGeometry,
  mapGrid,
  mapLabels,
  pixelAnchor,
  pixelBreaks,
  pointedPaths,
  unitAfterKey,
} from "./outputLayout.js";
import {
  contributionText,
  elementPlace,
  headerMessages,
  leadsToSoftmax,
  outputSubject,
  stripLabel,
} from "./outputMessages.js";

const SVG = "http://www.w3.org/2000/svg";
const TOP_PRODUCTS = 3; // contributions listed each way

function svg(tag, className, parent) {
  const node = document.createElementNS(SVG, tag);
  if (className) node.setAttribute("class", className);
  parent.appendChild(node);
  return node;
}

function buildHeader(subject, element) {
  const titleId = uniqueId("vo-title");
  const { title, summary } = headerMessages(subject);
  viewHeader(titleId, tNodes(...title), tNodes(...summary), element);
  element.setAttribute("aria-labelledby", titleId);
}

function buildMaps(source, figure) {
  if (!source) return { mapsBox: null, maps: [] };
  const mapsBox = el("div", "vo-maps", figure);
  const maps = Array.from({ length: source.shape[2] }, (_, c) => {
    const map = createMapFigure({
      height: source.shape[0],
      width: source.shape[1],
      size: "var(--vo-map)",
      caption: t("view.ch", { channel: c }),
      label: t("view.output.map.label", { source: source.name, channel: c }),
      shows: { map: source.name, channel: c },
    });
    mapsBox.appendChild(map.element);
    return map;
  });
  return { mapsBox, maps };
}

function buildFlow(subject, figure) {
  const flow = el("div", "vo-flow", figure);
  const name = subject.flatten ?? subject.input;
  const flowLabel = textEl(
    "span",
    "vo-flow-label",
    tNodes("view.output.flow", { name, count: subject.inputCount }),
    flow,
  );
  flowLabel.setAttribute("aria-hidden", "true");
  const canvas = el("canvas", "vo-canvas", flow);
  canvas.dataset.testid = "flatten-strip";
  canvas.dataset.count = String(subject.inputCount);
  canvas.setAttribute("role", "img");
  canvas.tabIndex = 0;
  canvas.dataset.autofocus = "";
  canvas.setAttribute("aria-label", stripLabel(subject));
  return { flow, flowLabel, canvas };
}

/** The figure: maps | flattened column and edges | the sum | every unit's sum, and the overlay joining them. */
function buildFigure(subject, element) {
  const figure = el("div", "vo-figure", element);
  const unwatch = watchScroll(figure); // narrower than the figure, it scrolls sideways
  const parts = { figure, unwatch, ...buildMaps(subject.source, figure), ...buildFlow(subject, figure) };
  const overlay = svg("svg", "vo-overlay", figure);
  overlay.setAttribute("aria-hidden", "true");
  const marks = {
    connector: svg("path", "vo-connector", overlay),
    marker: svg("path", "vo-marker", overlay),
    edge: svg("path", "vo-edge", overlay),
  };
  const sumBox = el("div", "vo-sum", figure);
  const logitBox = subject.isClassifier ? el("div", "vo-logits", figure) : null;
  return { ...parts, overlay, marks, sumBox, logitBox };
}

/** The element under the pointer, then the legends and the largest products. */
function buildFoot(context, subject, weightColors, element) {
  const detail = el("div", "vo-detail", element);
  detail.dataset.testid = "flatten-hover";
  detail.setAttribute("aria-live", "polite");
  const foot = el("div", "vo-foot", element);
  const valuesName = subject.names.source; // the overview's colours for the values
  const legend = tNodes("view.legend.values", { name: valuesName });
  const valueLegend = createLegend(legend, context.colors.lut(valuesName), context.format);
  const weightLegend = createLegend(tNodes("view.output.weights.legend", subject.names), weightColors, context.format);
  foot.append(valueLegend.element, weightLegend.element);
  const extremesBox = el("div", "vo-extremes", foot);
  return { detail, valueLegend, weightLegend, extremesBox };
}

/** The numbers of the current image: denseUnit's, with the values' colour range and the maps read. */
function compute({ context, subject }) {
  const activations = context.activations();
  const values = activations.get(subject.input).data;
  const { kernel, bias } = context.weights(subject.layer.name);
  return {
    ...denseUnit(values, kernel, bias, subject.unit),
    valueRange: context.colors.range(subject.names.source),
    sourceTensor: subject.source ? activations.get(subject.source.name) : null,
  };
}

function drawSum({ context, subject, numbers, sumBox }) {
  const { format } = context;
  const { isClassifier, unit, inputCount } = subject;
  const name = () => (isClassifier ? mx.word(subject.names.unit) : String(unit));
  sumBox.replaceChildren(
    textEl("h3", "vo-heading", t(isClassifier ? "view.output.logit" : "view.output.sum")),
    mx.formula(
      mx.variable("z", name()),
      mx.op("="),
      mx.sigma(mx.formula(mx.variable("i"), "=0"), String(inputCount - 1)),
      mx.variable("v", "i"),
      mx.variable("w", mx.formula(mx.variable("i"), ",", name())),
      mx.op("+"),
      mx.variable("b", name()),
    ),
    mx.formula(
      mx.op("="),
      mx.number(numbers.dot, format(numbers.dot), "dot-product"),
      mx.op(numbers.bias < 0 ? "−" : "+"),
      mx.number(numbers.bias, format(Math.abs(numbers.bias)), "bias"),
    ),
    mx.formula(mx.op("="), mx.number(numbers.score, format(numbers.score), "logit-total")),
  );
  if (leadsToSoftmax(subject)) {
    const label = t("view.output.softmax", { count: subject.classes.length });
    const button = textEl("button", "vo-next", label, sumBox);
    button.type = "button";
    button.addEventListener("click", () => context.open("softmax", { layer: subject.finalLayer, neuron: unit }));
  }
}

function drawLogits({ context, subject, numbers, logitBox }) {
  if (!logitBox) return;
  const { unit, layer } = subject;
  const list = el("ol", "vo-logit-list");
  watchScroll(list); // many classes scroll; it stops with the list, replaced at every drawing
  subject.classes.forEach((name, k) => {
    const item = el("li", k === unit ? "is-current" : "", list);
    const button = el("button", "vo-logit", item);
    button.type = "button";
    button.dataset.class = name;
    button.title = t(k === unit ? "view.shown" : "view.output.logit.show", { name });
    textEl("span", "vo-logit-name", name, button).dir = "auto";
    const value = textEl("span", "vo-logit-value", context.format(numbers.scores[k]), button);
    value.dataset.testid = "logit";
    value.dataset.class = name;
    value.dataset.value = String(numbers.scores[k]);
    button.addEventListener("click", () => {
      if (k !== unit) context.open("output", { layer: layer.name, neuron: k });
    });
  });
  logitBox.replaceChildren(textEl("h3", "vo-heading", t("view.output.logits")), list);
  list.scrollTop = centredScroll(list.children[unit], list); // keep the current class in sight when the list scrolls
}

/** The detail's lines saying which value element `index` is: [label, formula] pairs. */
function elementLines(names, index, place) {
  const label = tNodes("view.output.element", { index: String(index) });
  const value = (words) => mx.formula(mx.variable("v", String(index)), mx.op("="), mx.word(words));
  if (!place) return [[label, value(tNodes("view.output.element.unit", { ...names, index: String(index) }))]];
  const pixel = { ...names, row: place.y, col: place.x, channel: place.c };
  return [
    [label, value(tNodes("view.output.element.pixel", pixel))],
    [
      t("view.output.place"),
      mx.formula(
        mx.parens(mx.formula(place.rowTimes, mx.op("+"), place.col)),
        place.timesChannels,
        mx.op("+"),
        place.channel,
        mx.op("="),
        place.index,
      ),
    ],
  ];
}

function describeElement({ context, subject, numbers, detail }, index) {
  const { format } = context;
  const value = numbers.values[index];
  const weight = numbers.weights[index];
  const product = numbers.products[index];
  const { data, place } = elementPlace(subject.source?.shape, index);
  Object.assign(detail.dataset, data);
  const lines = elementLines(subject.names, index, place);
  lines.push([
    t("view.output.product"),
    mx.formula(
      mx.number(value, format(value), "hover-value"),
      mx.op("×"),
      mx.number(weight, format(weight), "hover-weight"),
      mx.op("="),
      mx.number(product, format(product), "hover-product"),
    ),
  ]);
  detail.replaceChildren(
    ...lines.map(([label, math]) => {
      const part = el("span", "vo-detail-part");
      part.append(textEl("span", "vo-detail-label", label), math);
      return part;
    }),
  );
}

function drawExtremes(v) {
  const { positive, negative } = extremes(v.numbers.products, TOP_PRODUCTS);
  const row = (title, indices) => {
    const line = el("p", "vo-extreme-line");
    textEl("span", "vo-extreme-title", title, line);
    if (indices.length === 0) textEl("span", "vo-extreme-none", t("view.output.none"), line);
    for (const i of indices) {
      const button = textEl("button", "vo-extreme", contributionText(i, v.numbers.products[i], v.context.format), line);
      button.type = "button";
      button.title = t("view.output.element.show", { index: String(i) });
      button.addEventListener("click", () => point(v, i));
    }
    return line;
  };
  v.extremesBox.replaceChildren(
    row(tNodes("view.output.pushes", v.subject.names), positive),
    row(t("view.output.pulls"), negative),
  );
}

/** Size the flow canvas to its box, and the maps to the strip's row. */
function layoutFlow(v) {
  const { canvas, flow, maps, mapsBox } = v;
  const box = flow.getBoundingClientRect();
  const geometry = flowGeometry(box, v.flowLabel.offsetHeight, window.devicePixelRatio || 1);
  canvas.style.width = `${geometry.width}px`;
  canvas.style.height = `${geometry.height}px`;
  canvas.width = Math.round(geometry.width * geometry.ratio);
  canvas.height = Math.round(geometry.height * geometry.ratio);
  v.geometry = geometry;
  if (mapsBox) fitMaps(maps, mapsBox, flow.clientHeight);
}

/**
 * The maps share the strip's row (`height`: the figure's whole height on a screen, its first row on a phone): the
 * grid that fits it, measured again once laid out, as what a map has under it (its caption and scale) takes the
 * height its text needs.
 */
function fitMaps(maps, mapsBox, height) {
  const first = maps[0];
  let room = height;
  for (let pass = 0; pass < 3; pass++) {
    const grid = mapGrid(maps.length, room, mapLabels(first?.element.offsetHeight, first?.frame.offsetHeight));
    mapsBox.style.setProperty("--vo-map", `${grid.size}px`);
    mapsBox.style.gridTemplateColumns = `repeat(${grid.columns}, auto)`;
    const over = mapsBox.scrollHeight - height;
    if (over <= 0) return;
    room -= over; // the text under the maps took more than was measured: as much less for the maps
  }
}

function paintEdges(ctx, geometry, count, { weights, weightRange }, weightColors) {
  ctx.lineWidth = 1.2;
  for (const { index, y, alpha } of flowEdges(geometry, count, weights, weightRange)) {
    ctx.strokeStyle = lutColor(weightColors, lutIndex(weights[index], weightRange.min, weightRange.max));
    ctx.globalAlpha = alpha;
    const { from, to, mid } = edgeEnds(geometry, y);
    ctx.beginPath();
    ctx.moveTo(from.x, y);
    ctx.bezierCurveTo(mid, y, mid, to.y, to.x, to.y);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

function paintColumn(ctx, geometry, count, { values, valueRange }, lut, channels) {
  const { top, span } = geometry;
  const cell = span / count;
  for (let i = 0; i < count; i++) {
    ctx.fillStyle = lutColor(lut, lutIndex(values[i], valueRange.min, valueRange.max, lut.length / 4));
    ctx.fillRect(STRIP.x, top + i * cell, STRIP.width, cell + 0.5);
  }
  ctx.fillStyle = "rgba(255, 255, 255, 0.9)"; // a thin gap between pixels: each holds its C channel values
  for (const i of pixelBreaks(count, channels, cell)) ctx.fillRect(STRIP.x, top + i * cell - 0.5, STRIP.width, 1);
  ctx.strokeStyle = "rgba(31, 35, 40, 0.25)";
  ctx.strokeRect(STRIP.x - 0.5, top - 0.5, STRIP.width + 1, span + 1);
}

function paintNode(ctx, { nodeX, nodeY }) {
  ctx.fillStyle = "#fff";
  ctx.strokeStyle = "#59636e";
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ctx.arc(nodeX, nodeY, NODE_RADIUS, 0, 2 * Math.PI);
  ctx.fill();
  ctx.stroke();
  ctx.fillStyle = "#1f2328";
  ctx.font = "16px KaTeX_Main, serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText("Σ", nodeX, nodeY + 1);
}

/** Draw the flow canvas: the edges, the flattened column, the sum's node. */
function paintFlow({ canvas, geometry, numbers, weightColors, context, subject }) {
  const ctx = canvas.getContext("2d");
  ctx.setTransform(geometry.ratio, 0, 0, geometry.ratio, 0, 0);
  ctx.clearRect(0, 0, geometry.width, geometry.height);
  const count = subject.inputCount;
  paintEdges(ctx, geometry, count, numbers, weightColors);
  const channels = subject.source ? subject.source.shape[2] : 0;
  paintColumn(ctx, geometry, count, numbers, context.colors.lut(subject.names.source), channels);
  paintNode(ctx, geometry);
}

/** Outline pixel `index` of the maps read and join it to the column at `paths` (pointedPaths'). */
function connectPixel(v, paths, figureBox) {
  const shape = v.subject.source.shape;
  const { y: row, x: col, c } = flattenPosition(shape, v.pointed);
  const map = v.maps[c];
  map.showWindow(row, col, 1, 1);
  map.element.classList.add("is-pointed");
  v.mapPointed = map;
  const box = map.frame.getBoundingClientRect();
  const frame = { left: box.left - figureBox.left, top: box.top - figureBox.top, width: box.width, height: box.height };
  v.marks.connector.setAttribute("d", curvePath(pixelAnchor(frame, shape, row, col), { x: paths.stripX, y: paths.y }));
}

/** Show element `index`: its place in the map and in the column, its edge, its numbers. */
function point(v, index) {
  const { numbers, marks, subject } = v;
  v.pointed = clampElement(index, subject.inputCount);
  describeElement(v, v.pointed);
  const figureBox = v.figure.getBoundingClientRect();
  const canvasBox = v.canvas.getBoundingClientRect();
  const offset = { x: canvasBox.left - figureBox.left, y: canvasBox.top - figureBox.top };
  const paths = pointedPaths(v.geometry, subject.inputCount, v.pointed, offset);
  marks.marker.setAttribute("d", paths.marker);
  marks.edge.setAttribute("d", paths.edge);
  const { min, max } = numbers.weightRange;
  marks.edge.style.stroke = lutColor(v.weightColors, lutIndex(numbers.weights[v.pointed], min, max));
  if (v.mapPointed) v.mapPointed.element.classList.remove("is-pointed");
  v.mapPointed = null;
  marks.connector.setAttribute("d", "");
  if (subject.source) connectPixel(v, paths, figureBox);
}

function drawAll(v) {
  const { context, numbers, subject } = v;
  layoutFlow(v);
  v.overlay.setAttribute("width", v.figure.clientWidth);
  v.overlay.setAttribute("height", v.figure.clientHeight);
  const valuesName = subject.names.source;
  v.maps.forEach((map, c) => {
    const range = context.colors.mapRange(valuesName, numbers.sourceTensor, c, numbers.valueRange);
    map.draw(numbers.sourceTensor, c, range, context.colors.lut(valuesName));
  });
  paintFlow(v);
  point(v, v.pointed);
}

/** The pointer over the column, or over a map's pixel, points at that element. */
function followPointer(v) {
  const { canvas, subject } = v;
  canvas.addEventListener("pointermove", (event) => {
    const box = canvas.getBoundingClientRect();
    point(v, elementAt(v.geometry, subject.inputCount, event.clientY - box.top));
  });
  v.maps.forEach((map, c) => {
    map.onPoint(([row, col]) => {
      const shape = subject.source.shape;
      if (row >= 0 && col >= 0 && row < shape[0] && col < shape[1]) point(v, flattenIndex(shape, row, col, c));
    });
  });
}

/** Explain unit `params.neuron` of dense layer `params.layer` (see host.js for the interface). */
export function create(context, params) {
  const layer = context.layer(params.layer);
  if (!layer || layer.kind !== "dense") throw new Error(`${params.layer} is not a dense layer`);
  const subject = outputSubject(context.network, layer, params.neuron);
  const weightColors = weightLut();
  const element = el("div", "vw-output vw-wide");
  buildHeader(subject, element);
  // numbers: compute()'s; geometry: the flow canvas's (flowGeometry); pointed: the element shown in the detail;
  // mapPointed: the map figure showing its pixel
  const v = { context, subject, element, weightColors, numbers: null, geometry: null, pointed: null, mapPointed: null };
  Object.assign(v, buildFigure(subject, element));
  Object.assign(v, buildFoot(context, subject, weightColors, element));
  followPointer(v);
  const resizing = typeof ResizeObserver === "function" ? new ResizeObserver(() => v.numbers && drawAll(v)) : null;
  resizing?.observe(v.flow); // its size follows the panel's and the sum's

  return {
    element,
    /** Recompute from the current image's activations and the layer's weights, and redraw. */
    update() {
      v.numbers = compute(v);
      if (v.pointed === null) v.pointed = firstElement(v.numbers.products);
      drawSum(v);
      drawLogits(v);
      drawExtremes(v);
      v.valueLegend.update(v.numbers.valueRange);
      v.weightLegend.update(v.numbers.weightRange);
      drawAll(v);
    },
    /** Arrow keys: up/down move along the flattened values (page up/down by one pixel), left/right change class. */
    onKey(event) {
      const channels = subject.source ? subject.source.shape[2] : 0;
      const next = elementAfterKey(event.key, v.pointed, subject.inputCount, channels);
      if (next !== null) {
        point(v, next);
        return true;
      }
      const neuron = unitAfterKey(event.key, subject.unit, subject.units);
      if (neuron === null) return false;
      context.open("output", { layer: layer.name, neuron });
      return true;
    },
    destroy() {
      v.unwatch();
      resizing?.disconnect();
    },
  };
}
