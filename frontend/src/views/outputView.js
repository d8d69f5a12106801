// The output view: how one unit of a dense layer (for the last one, a class's logit) is computed from what the layer
// reads. The maps it reads are flattened in Keras's order into one column; every value is multiplied by its weight
// (the coloured edges) and the products are summed with the bias. Every number comes from TF.js.

import {
  denseScores,
  extremes,
  flattenIndex,
  flattenPosition,
  products,
  sum,
  weightsInto,
} from "../network/classifier.js";
import { lutColor, lutIndex, symmetricRange, valueRange, weightLut } from "../ui/colors.js";
import { createMapFigure } from "./mapFigure.js";
import * as mx from "../ui/math.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { createLegend } from "../ui/legend.js";
import { viewHeader } from "./header.js";
import { t, tNodes } from "../ui/i18n.js";
import { watchScroll } from "../ui/scroll.js";

const SVG = "http://www.w3.org/2000/svg";
const STRIP = { x: 6, width: 22 }; // the flattened column, in the flow canvas
const NODE_RADIUS = 15;
const MAP_SIZE = { min: 24, max: 64 }; // CSS px
const MAP_GAP = 4; // between rows of maps (.vo-maps in classViews.css)
const MAP_LABELS = 42; // the height of what a map has under it (caption, scale), until measured
const TOP_PRODUCTS = 3; // contributions listed each way

function svg(tag, className, parent) {
  const node = document.createElementNS(SVG, tag);
  if (className) node.setAttribute("class", className);
  parent.appendChild(node);
  return node;
}

/**
 * The grid of `count` square maps that best fits `height` pixels, each with `labels` pixels of caption and scale
 * under it: {columns, size}.
 */
function mapGrid(count, height, labels) {
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const size = Math.floor((height - (rows - 1) * MAP_GAP) / rows) - labels;
    if (size >= MAP_SIZE.min) return { columns, size: Math.min(MAP_SIZE.max, size) };
  }
  return { columns: count, size: MAP_SIZE.min };
}

/** Explain unit `params.neuron` of dense layer `params.layer` (see host.js for the interface). */
export function create(context, params) {
  const { network, format } = context;
  const layer = context.layer(params.layer);
  if (!layer || layer.kind !== "dense") throw new Error(`${params.layer} is not a dense layer`);
  const unit = params.neuron;
  const reads = network.reads(layer.name);
  const source = reads.source;
  const isClassifier = network.classifier.dense === layer;
  const finalFunction = network.outputFunction;
  const finalLayer = network.last;
  const inputCount = layer.input_shape[layer.input_shape.length - 1];
  const valuesName = source ? source.name : reads.input; // the overview's colours for the values
  const unitName = (k) => (isClassifier ? network.classes[k] : t("view.unit", { unit: k }));
  const weightColors = weightLut();

  const element = el("div", "vw-output vw-wide");
  const titleId = uniqueId("vo-title");
  const names = { source: source?.name ?? reads.input, layer: layer.name, unit: unitName(unit) };
  // messages view.output.summary.{maps,values}{Logit,Sum,SumBefore}: the values read (maps flattened, or a vector),
  // and what they give (a class's logit, a unit's sum, a unit's sum before its activation)
  const read = source ? "maps" : "values";
  const gives = isClassifier ? "Logit" : layer.activation !== "linear" ? "SumBefore" : "Sum";
  const [height, width, channels] = source ? source.shape : [];
  viewHeader(
    titleId,
    isClassifier ? tNodes("view.output.title.class", names) : tNodes("view.output.title", { ...names, index: unit }),
    tNodes(`view.output.summary.${read}${gives}`, {
      ...names,
      height,
      width,
      channels,
      count: inputCount,
      index: unit,
      activation: layer.activation,
    }),
    element,
  );
  element.setAttribute("aria-labelledby", titleId);

  // ---- figure: maps | flattened column and edges | the sum | every unit's sum ----
  const figure = el("div", "vo-figure", element);
  const unwatch = watchScroll(figure); // narrower than the figure, it scrolls sideways
  const mapsBox = source ? el("div", "vo-maps", figure) : null;
  const maps = source
    ? Array.from({ length: source.shape[2] }, (_, c) => {
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
      })
    : [];
  const flow = el("div", "vo-flow", figure);
  const flowLabel = textEl(
    "span",
    "vo-flow-label",
    tNodes("view.output.flow", { name: reads.flatten ? reads.flatten.name : reads.input, count: inputCount }),
    flow,
  );
  flowLabel.setAttribute("aria-hidden", "true");
  const canvas = el("canvas", "vo-canvas", flow);
  canvas.dataset.testid = "flatten-strip";
  canvas.dataset.count = String(inputCount);
  canvas.setAttribute("role", "img");
  canvas.tabIndex = 0;
  canvas.dataset.autofocus = "";
  canvas.setAttribute(
    "aria-label",
    t(isClassifier ? "view.output.strip.class" : "view.output.strip.unit", {
      count: inputCount,
      layer: layer.name,
      unit: unitName(unit),
    }),
  );
  const overlay = svg("svg", "vo-overlay", figure);
  overlay.setAttribute("aria-hidden", "true");
  const connector = svg("path", "vo-connector", overlay);
  const marker = svg("path", "vo-marker", overlay);
  const edge = svg("path", "vo-edge", overlay);

  const sumBox = el("div", "vo-sum", figure);
  const logitBox = isClassifier ? el("div", "vo-logits", figure) : null;

  // ---- the element under the pointer ----
  const detail = el("div", "vo-detail", element);
  detail.dataset.testid = "flatten-hover";
  detail.setAttribute("aria-live", "polite");

  // ---- legends and the largest products ----
  const foot = el("div", "vo-foot", element);
  const valueLegend = createLegend(
    tNodes("view.legend.values", { name: valuesName }),
    context.colors.lut(valuesName),
    format,
  );
  const weightLegend = createLegend(tNodes("view.output.weights.legend", names), weightColors, format);
  foot.append(valueLegend.element, weightLegend.element);
  const extremesBox = el("div", "vo-extremes", foot);

  let numbers = null; // {values, weights, products, scores, bias, weightRange, valueRange}
  let geometry = null; // the flow canvas: {width, height, top, span (of the column), nodeX, nodeY, ratio}
  let pointed = null; // the element index shown in the detail
  let mapPointed = null; // the map figure showing a pointed pixel

  function compute() {
    const activations = context.activations();
    const values = activations.get(reads.input).data;
    const { kernel, bias } = context.weights(layer.name);
    const weights = weightsInto(kernel, unit);
    return {
      values,
      weights,
      products: products(values, weights),
      scores: denseScores(values, kernel, bias),
      bias: bias ? bias.data[unit] : 0,
      weightRange: symmetricRange([valueRange(weights)]),
      valueRange: context.colors.range(valuesName),
      sourceTensor: source ? activations.get(source.name) : null,
    };
  }

  function drawSum() {
    const dot = sum(numbers.products);
    const score = numbers.scores[unit];
    const name = () => (isClassifier ? mx.word(unitName(unit)) : String(unit));
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
        mx.number(dot, format(dot), "dot-product"),
        mx.op(numbers.bias < 0 ? "−" : "+"),
        mx.number(numbers.bias, format(Math.abs(numbers.bias)), "bias"),
      ),
      mx.formula(mx.op("="), mx.number(score, format(score), "logit-total")),
    );
    if (isClassifier && (finalFunction === "softmax" || finalFunction === "linear")) {
      const button = textEl("button", "vo-next", t("view.output.softmax", { count: network.classes.length }), sumBox);
      button.type = "button";
      button.addEventListener("click", () => context.open("softmax", { layer: finalLayer.name, neuron: unit }));
    }
  }

  function drawLogits() {
    if (!logitBox) return;
    const list = el("ol", "vo-logit-list");
    watchScroll(list); // many classes scroll; it stops with the list, replaced at every drawing
    network.classes.forEach((name, k) => {
      const item = el("li", k === unit ? "is-current" : "", list);
      const button = el("button", "vo-logit", item);
      button.type = "button";
      button.dataset.class = name;
      button.title = t(k === unit ? "view.shown" : "view.output.logit.show", { name });
      textEl("span", "vo-logit-name", name, button).dir = "auto";
      const value = textEl("span", "vo-logit-value", format(numbers.scores[k]), button);
      value.dataset.testid = "logit";
      value.dataset.class = name;
      value.dataset.value = String(numbers.scores[k]);
      button.addEventListener("click", () => {
        if (k !== unit) context.open("output", { layer: layer.name, neuron: k });
      });
    });
    logitBox.replaceChildren(textEl("h3", "vo-heading", t("view.output.logits")), list);
    const shown = list.children[unit]; // keep the current class in sight when the list scrolls
    list.scrollTop = shown.offsetTop - list.offsetTop - (list.clientHeight - shown.offsetHeight) / 2;
  }

  function describeElement(index) {
    const value = numbers.values[index];
    const weight = numbers.weights[index];
    const product = numbers.products[index];
    const lines = [];
    // the element index (like v243 beside it) is a position, passed as text: never written with separators (1,234)
    Object.assign(detail.dataset, { index: String(index) });
    if (source) {
      const { y, x, c } = flattenPosition(source.shape, index);
      const [, width, channels] = source.shape;
      Object.assign(detail.dataset, { y: String(y), x: String(x), c: String(c) });
      lines.push(
        [
          tNodes("view.output.element", { index: String(index) }),
          mx.formula(
            mx.variable("v", String(index)),
            mx.op("="),
            mx.word(tNodes("view.output.element.pixel", { ...names, row: y, col: x, channel: c })),
          ),
        ],
        [
          t("view.output.place"),
          mx.formula(
            mx.parens(mx.formula(`${y}·${width}`, mx.op("+"), String(x))),
            `·${channels}`,
            mx.op("+"),
            String(c),
            mx.op("="),
            String(index),
          ),
        ],
      );
    } else {
      lines.push([
        tNodes("view.output.element", { index: String(index) }),
        mx.formula(
          mx.variable("v", String(index)),
          mx.op("="),
          mx.word(tNodes("view.output.element.unit", { ...names, index: String(index) })),
        ),
      ]);
    }
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

  function drawExtremes() {
    const { positive, negative } = extremes(numbers.products, TOP_PRODUCTS);
    const row = (title, indices) => {
      const line = el("p", "vo-extreme-line");
      textEl("span", "vo-extreme-title", title, line);
      if (indices.length === 0) textEl("span", "vo-extreme-none", t("view.output.none"), line);
      for (const i of indices) {
        const button = textEl(
          "button",
          "vo-extreme",
          `v${i} ${numbers.products[i] > 0 ? "+" : "−"}${format(Math.abs(numbers.products[i]))}`,
          line,
        );
        button.type = "button";
        button.title = t("view.output.element.show", { index: String(i) });
        button.addEventListener("click", () => point(i));
      }
      return line;
    };
    extremesBox.replaceChildren(
      row(tNodes("view.output.pushes", names), positive),
      row(t("view.output.pulls"), negative),
    );
  }

  function layoutFlow() {
    const box = flow.getBoundingClientRect();
    const width = Math.max(80, Math.round(box.width));
    const height = Math.max(80, Math.round(box.height - flowLabel.offsetHeight - 4));
    const ratio = window.devicePixelRatio || 1;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    geometry = { width, height, top: 2, span: height - 4, nodeX: width - NODE_RADIUS - 2, nodeY: height / 2, ratio };
    if (mapsBox) {
      const first = maps[0];
      const labels = first?.element.offsetHeight ? first.element.offsetHeight - first.frame.offsetHeight : MAP_LABELS;
      // the maps share the strip's row: the figure's whole height on a screen, its first row on a phone
      const grid = mapGrid(maps.length, flow.clientHeight, labels);
      mapsBox.style.setProperty("--vo-map", `${grid.size}px`);
      mapsBox.style.gridTemplateColumns = `repeat(${grid.columns}, auto)`;
    }
  }

  const elementY = (index) => geometry.top + ((index + 0.5) * geometry.span) / inputCount;

  function drawFlow() {
    const ctx = canvas.getContext("2d");
    const { width, height, top, span, nodeX, nodeY, ratio } = geometry;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const { weights, weightRange, values } = numbers;
    const extent = Math.max(weightRange.max, 1e-12);
    const order = Array.from(weights, (_, i) => i).sort((a, b) => Math.abs(weights[a]) - Math.abs(weights[b]));
    const x0 = STRIP.x + STRIP.width;
    const x1 = nodeX - NODE_RADIUS;
    const mid = (x0 + x1) / 2;
    ctx.lineWidth = 1.2;
    for (const i of order) {
      const strength = Math.abs(weights[i]) / extent;
      ctx.strokeStyle = lutColor(weightColors, lutIndex(weights[i], weightRange.min, weightRange.max));
      ctx.globalAlpha = 0.22 + 0.78 * strength;
      const y = elementY(i);
      ctx.beginPath();
      ctx.moveTo(x0, y);
      ctx.bezierCurveTo(mid, y, mid, nodeY, x1, nodeY);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    const lut = context.colors.lut(valuesName);
    const cell = span / inputCount;
    for (let i = 0; i < inputCount; i++) {
      ctx.fillStyle = lutColor(
        lut,
        lutIndex(values[i], numbers.valueRange.min, numbers.valueRange.max, lut.length / 4),
      );
      ctx.fillRect(STRIP.x, top + i * cell, STRIP.width, cell + 0.5);
    }
    if (source && cell * source.shape[2] >= 4) {
      ctx.fillStyle = "rgba(255, 255, 255, 0.9)"; // a thin gap between pixels: each holds its C channel values
      for (let i = source.shape[2]; i < inputCount; i += source.shape[2])
        ctx.fillRect(STRIP.x, top + i * cell - 0.5, STRIP.width, 1);
    }
    ctx.strokeStyle = "rgba(31, 35, 40, 0.25)";
    ctx.strokeRect(STRIP.x - 0.5, top - 0.5, STRIP.width + 1, span + 1);
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

  /** Show element `index`: its place in the map and in the column, its edge, its numbers. */
  function point(index) {
    pointed = Math.max(0, Math.min(inputCount - 1, index));
    describeElement(pointed);
    const figureBox = figure.getBoundingClientRect();
    const canvasBox = canvas.getBoundingClientRect();
    const cx = canvasBox.left - figureBox.left;
    const cy = canvasBox.top - figureBox.top;
    const y = cy + elementY(pointed);
    const cell = Math.max(geometry.span / inputCount, 1);
    marker.setAttribute(
      "d",
      `M${cx + STRIP.x - 4} ${y - cell / 2 - 1}h${STRIP.width + 8}v${cell + 2}h${-STRIP.width - 8}z`,
    );
    const x0 = cx + STRIP.x + STRIP.width;
    const x1 = cx + geometry.nodeX - NODE_RADIUS;
    const ny = cy + geometry.nodeY;
    const mid = (x0 + x1) / 2;
    edge.setAttribute("d", `M${x0} ${y}C${mid} ${y} ${mid} ${ny} ${x1} ${ny}`);
    edge.style.stroke = lutColor(
      weightColors,
      lutIndex(numbers.weights[pointed], numbers.weightRange.min, numbers.weightRange.max),
    );
    if (mapPointed) mapPointed.element.classList.remove("is-pointed");
    mapPointed = null;
    connector.setAttribute("d", "");
    if (source) {
      const { y: row, x: col, c } = flattenPosition(source.shape, pointed);
      const map = maps[c];
      map.showWindow(row, col, 1, 1);
      map.element.classList.add("is-pointed");
      mapPointed = map;
      const frame = map.frame.getBoundingClientRect();
      const px = frame.left - figureBox.left + ((col + 1) * frame.width) / source.shape[1];
      const py = frame.top - figureBox.top + ((row + 0.5) * frame.height) / source.shape[0];
      const sx = cx + STRIP.x;
      connector.setAttribute("d", `M${px} ${py}C${(px + sx) / 2} ${py} ${(px + sx) / 2} ${y} ${sx} ${y}`);
    }
  }

  function drawAll() {
    layoutFlow();
    overlay.setAttribute("width", figure.clientWidth);
    overlay.setAttribute("height", figure.clientHeight);
    if (source) {
      maps.forEach((map, c) => {
        const range = context.colors.mapRange(valuesName, numbers.sourceTensor, c, numbers.valueRange);
        map.draw(numbers.sourceTensor, c, range, context.colors.lut(valuesName));
      });
    }
    drawFlow();
    point(pointed);
  }

  canvas.addEventListener("pointermove", (event) => {
    const box = canvas.getBoundingClientRect();
    const y = event.clientY - box.top - geometry.top;
    point(Math.floor((y / geometry.span) * inputCount));
  });
  maps.forEach((map, c) => {
    map.onPoint(([row, col]) => {
      if (row >= 0 && col >= 0 && row < source.shape[0] && col < source.shape[1])
        point(flattenIndex(source.shape, row, col, c));
    });
  });

  const resizing = typeof ResizeObserver === "function" ? new ResizeObserver(() => numbers && drawAll()) : null;
  resizing?.observe(flow); // its size follows the panel's and the sum's

  return {
    element,
    /** Recompute from the current image's activations and the layer's weights, and redraw. */
    update() {
      numbers = compute();
      if (pointed === null) pointed = extremes(numbers.products, 1).positive[0] ?? 0;
      drawSum();
      drawLogits();
      drawExtremes();
      valueLegend.update(numbers.valueRange);
      weightLegend.update(numbers.weightRange);
      drawAll();
    },
    /** Arrow keys: up/down move along the flattened values (page up/down by one pixel), left/right change class. */
    onKey(event) {
      const steps = { ArrowUp: -1, ArrowDown: 1 };
      if (source) Object.assign(steps, { PageUp: -source.shape[2], PageDown: source.shape[2] }); // a pixel's values
      if (event.key in steps) {
        point(pointed + steps[event.key]);
        return true;
      }
      if (event.key === "Home" || event.key === "End") {
        point(event.key === "Home" ? 0 : inputCount - 1);
        return true;
      }
      const units = layer.units;
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        const next = (unit + (event.key === "ArrowLeft" ? units - 1 : 1)) % units;
        context.open("output", { layer: layer.name, neuron: next });
        return true;
      }
      return false;
    },
    destroy() {
      unwatch();
      resizing?.disconnect();
    },
  };
}
