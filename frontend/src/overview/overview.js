// The overview: every layer of the network as a column of neurons (maps, units, class rows), the edges between
// them, labels and colour legends; pointing at a neuron highlights what feeds it (hover.js). Other modules use it
// only through the interface createOverview returns.

import { frameRanges, legendGroups } from "../network/ranges.js";
import { divergingLut, greyLut } from "../ui/colors.js";
import { el } from "../ui/dom.js";
import { createClassRows, drawClassRows, placeClassRows } from "./classRows.js";
import { createLabel, createNeurons, drawNeurons, placeNeurons } from "./columns.js";
import { columnEdges } from "./edges.js";
import { createHover } from "./hover.js";
import { computeLayout, LABEL_ROW } from "./layout.js";
import { createLegends } from "./legends.js";

const SVG = "http://www.w3.org/2000/svg";

function svgElement(tag, className, parent) {
  const node = document.createElementNS(SVG, tag);
  node.setAttribute("class", className);
  parent.appendChild(node);
  return node;
}

const FINGER = 24; // the smallest neuron on a touch screen, in CSS pixels (WCAG 2.5.8's target size)
let ruler = null;

/** The width in CSS pixels that `label` (createLabel's) needs: its longer line, in the fonts it is drawn with. */
function measureLabel(label) {
  ruler ??= document.createElement("canvas").getContext("2d");
  let widest = 0;
  for (const line of label.children) {
    ruler.font = getComputedStyle(line).font;
    widest = Math.max(widest, ruler.measureText(line.textContent).width);
  }
  return Math.ceil(widest) + 6;
}

/**
 * What the layout needs to know of the text in `root`: each of the columns' labels' width (`parts`, createLabel's),
 * the height of a row of them, and the text's size against the usual (page.css --text: 1.4 for a projector).
 */
function measureText(root, parts) {
  return {
    labelWidths: parts.map((part) => measureLabel(part.label)),
    // two lines of text at the labels' line height (page.css: 1.25), read from the style, not laid out
    labelRow: Math.max(LABEL_ROW, Math.ceil(2.5 * parseFloat(getComputedStyle(parts[0].label).fontSize))),
    text: Number(getComputedStyle(root).getPropertyValue("--text")) || 1,
  };
}

/** Mark the parts of `focus` ({layers, neuron: {layer, index}}) as in view on `stage` (the rest fades), or none. */
function highlightParts(stage, partOf, focus, neuronAt) {
  stage.classList.toggle("has-view", Boolean(focus));
  for (const item of stage.querySelectorAll(".in-view, .is-view-target")) {
    item.classList.remove("in-view", "is-view-target");
  }
  if (!focus) {
    stage.style.removeProperty("--pan");
    return;
  }
  for (const name of focus.layers) {
    const part = partOf.get(name);
    if (!part) continue;
    part.label.classList.add("in-view");
    part.maps?.classList.add("in-view");
    for (const item of part.elements) (item.row || item).classList.add("in-view");
  }
  neuronAt(focus.neuron.layer, focus.neuron.index)?.classList.add("is-view-target");
}

/** The stage of the overview in `root`: its edges' SVG and a path per column that reads another, and the highlight's. */
function createStage(root, network) {
  const stage = el("div", "ov-stage", root);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "ov-edges");
  svg.setAttribute("aria-hidden", "true");
  stage.appendChild(svg);
  const edges = new Map(); // "<column>#<input index>" -> its path
  for (const column of network.columns) {
    column.inputs.forEach((input, k) => {
      const skip = column.skips.includes(input) ? " edge-skip" : "";
      edges.set(`${column.name}#${k}`, svgElement("path", `edge edge-${input.connect}${skip}`, svg));
    });
  }
  return { stage, svg, edges, highlightPath: svgElement("path", "edge edge-highlight", svg) };
}

/** Every column of `network` on `stage`: its label, and its neurons or class rows. */
function createParts(stage, network) {
  return network.columns.map((column) => {
    const info = column.layer ? network.info(column.name) : null;
    const label = createLabel(stage, column, info ? info.section : "article-input");
    return column.kind === "output"
      ? createClassRows(stage, column, network.classes, label)
      : createNeurons(stage, column, label, Boolean(info && info.view));
  });
}

/** Draw `frame` into `parts`: each map on its range, the input grey (but in the difference mode), the classes. */
function drawParts(parts, frame, { ranges, channelStats, grey, diverging }) {
  for (const part of parts) {
    const { column } = part;
    if (column.kind === "output") continue;
    const lut = column.kind === "input" && frame.colorMode !== "difference" ? grey : diverging;
    const tensor = frame.activations.get(column.name);
    drawNeurons(part, tensor, ranges.get(column.name), lut, channelStats.get(column.name));
  }
  const base = frame.base?.probabilities ?? null;
  drawClassRows(parts[parts.length - 1], frame.probabilities, frame.label, frame.showNumbers, base);
}

/**
 * The overview of `network` (network.js) inside `root`. Returns
 *   resize(width, height)  lay it out for a box of that many CSS pixels
 *   update(frame)          draw a frame: {activations: Map name -> {shape, data} (with "input"), probabilities,
 *                          label (the true class index or null), showNumbers, colorMode}
 *   layout()               the current geometry (layout.js); ranges(): name -> {min, max} as drawn now
 *   neuronAt(layer, index) the element of neuron `index` of layer `layer` (for the last layer, class `index`'s row)
 *   highlight(focus)       keep `focus` ({layers: [names], neuron: {layer, index}}) in sight and fade the rest;
 *                          null shows everything again; either way nothing stays pointed at
 *   pan(pixels)            shift the network sideways (a wide view makes room beside the columns it explains)
 *   origin()               {left, top} of the network within `root`
 */
export function createOverview(root, network) {
  const diverging = divergingLut();
  const grey = greyLut();
  const inputMax = 255 / network.input.pixelDivisor; // the input's values: pixels / divisor (255 with a Rescaling layer)

  const { stage, svg, edges, highlightPath } = createStage(root, network);

  const parts = createParts(stage, network);
  const partOf = new Map(parts.map((part) => [part.column.name, part]));
  const legends = createLegends(stage);

  let layout = null;
  let measured = null; // the labels' sizes and the text's, at the first layout (measureText)
  let frame = null;
  let ranges = new Map();
  let channelStats = new Map();
  let legendMode = "block"; // the colour mode the legends are built for
  let tipExtra = null; // (name, index) -> a node the tooltip adds (setTipExtra)

  const hover = createHover({
    stage,
    parts,
    highlightPath,
    layout: () => layout,
    numbers: () => Boolean(frame && frame.showNumbers),
    stats: (name) => channelStats.get(name),
    extra: () => tipExtra,
  });

  function applyLayout() {
    stage.style.width = `${layout.width}px`;
    stage.style.height = `${layout.height}px`;
    svg.setAttribute("width", layout.width);
    svg.setAttribute("height", layout.height);
    svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
    stage.classList.toggle("ov-compact", layout.cell < 24);
    layout.columns.forEach((geometry, index) => {
      const part = parts[index];
      if (part.column.kind === "output") placeClassRows(part, geometry);
      else placeNeurons(part, geometry);
    });
    legends.build(layout, legendGroups(network, legendMode));
    network.columns.forEach((column, index) => {
      const geometry = layout.columns[index];
      column.inputs.forEach((input, k) => {
        const source = layout.columns[parts.indexOf(partOf.get(input.source))];
        const d = columnEdges(geometry, source, undefined, input, geometry.lanes[k]);
        edges.get(`${column.name}#${k}`).setAttribute("d", d);
      });
    });
    if (frame) draw();
  }

  /** The element of neuron `index` of layer `layer`: for the last layer, the row of class `index`. */
  function neuronAt(layer, index) {
    if (layer === network.last.name) {
      return stage.querySelector(`.class-row[data-class="${CSS.escape(network.classes[index] ?? "")}"]`);
    }
    const item = partOf.get(layer)?.elements[index];
    return item ? item.row || item : null;
  }

  function draw() {
    drawParts(parts, frame, { ranges, channelStats, grey, diverging });
    legends.draw(ranges, frame.showNumbers, inputMax);
    hover.refresh();
  }

  return {
    /** Add `extra(name, index)` (a node, or null) to the tooltip of a neuron of a spatial layer. */
    setTipExtra(extra) {
      tipExtra = extra;
    },
    /** Lay the overview out for a box of `width` x `height` CSS pixels. */
    resize(width, height) {
      measured ??= measureText(root, parts);
      const minCell = matchMedia("(pointer: coarse)").matches ? FINGER : undefined;
      layout = computeLayout(network, width, height, { ...measured, minCell });
      applyLayout();
    },
    /**
     * Draw `next` ({activations, probabilities, label, showNumbers, colorMode, base}): `base.probabilities`, when
     * there is what the image is compared with, marked on the class rows.
     */
    update(next) {
      frame = next;
      ({ ranges, stats: channelStats } = frameRanges(network, frame.activations, frame.colorMode, inputMax));
      if (frame.colorMode && frame.colorMode !== legendMode) {
        legendMode = frame.colorMode;
        if (layout) legends.build(layout, legendGroups(network, legendMode));
      }
      if (layout) draw();
    },
    /** The element its neurons are in. */
    stage,
    /** The current geometry (see layout.js). */
    layout: () => layout,
    /** Map from layer name (and "input") to the colour range {min, max} it is drawn with now. */
    ranges: () => ranges,
    neuronAt,
    /** Keep `focus` ({layers, neuron: {layer, index}}) in sight and fade the rest; null shows everything. */
    highlight(focus) {
      hover.clear();
      highlightParts(stage, partOf, focus, neuronAt);
    },
    /** Shift the network `pixels` sideways (0: back in place). */
    pan(pixels) {
      stage.style.setProperty("--pan", `${pixels}px`);
    },
    /** Where the network starts within its root: {left, top} in CSS pixels. */
    origin: () => ({ left: stage.offsetLeft, top: stage.offsetTop }),
  };
}
