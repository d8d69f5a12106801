// The overview: every layer of the network as a column of neuron heatmaps, edges, labels, legends, class bars.

import { colorRanges, divergingLut, formatValue, greyLut, legendGroups, lutGradient } from "../ui/colors.js";
import { computeLayout, groupSpans, overviewColumns, classRowCount, MAX_CLASS_ROWS, TOP_CLASSES } from "./layout.js";
import { createHeatmapCanvas, drawHeatmap } from "../ui/heatmap.js";
import { columnEdges, incomingEdges } from "./edges.js";
import { sectionOf } from "../network/sections.js";
import { bdi, fill, fillText } from "../ui/text.js";

const SVG = "http://www.w3.org/2000/svg";
const CHANNEL_NAMES = ["Red", "Green", "Blue"];

function element(tag, className, parent) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (parent) parent.appendChild(node);
  return node;
}

function place(node, x, y, w, h) {
  node.style.left = `${x}px`;
  node.style.top = `${y}px`;
  if (w !== undefined) node.style.width = `${w}px`;
  if (h !== undefined) node.style.height = `${h}px`;
}

/**
 * `tensor` (H x W x C) sampled down to at most `height` x `width` pixels, nearest pixel first, as the
 * browser shows a larger canvas scaled down with `image-rendering: pixelated`; `tensor` itself if it fits.
 */
export function sampleDown(tensor, height, width) {
  const [inHeight, inWidth, channels] = tensor.shape;
  if (height >= inHeight && width >= inWidth) return tensor;
  const data = new Float32Array(height * width * channels);
  for (let y = 0, o = 0; y < height; y++) {
    const row = Math.min(inHeight - 1, Math.floor(((y + 0.5) * inHeight) / height)) * inWidth;
    for (let x = 0; x < width; x++) {
      const from = (row + Math.min(inWidth - 1, Math.floor(((x + 0.5) * inWidth) / width))) * channels;
      for (let c = 0; c < channels; c++) data[o++] = tensor.data[from + c];
    }
  }
  return { shape: [height, width, channels], data };
}

function shapeText(shape) {
  return `(${shape.join(", ")})`;
}

function describe(column, index, byName) {
  const layer = column.layer;
  if (column.kind === "input")
    return column.count === 3 ? `${CHANNEL_NAMES[index]} channel of the image` : "The input image";
  const source = byName.get(column.source);
  const of = { of: source.name };
  switch (layer.kind) {
    case "conv":
      return fill(
        `${layer.kernel_size.join("×")} convolution over all ${source.count} channels of {of}${layer.use_bias ? ", plus a bias" : ""}`,
        of,
      );
    case "activation":
      return fill(`${layer.function} of {of}, channel ${index}`, of);
    case "pool":
      return fill(`${layer.pool_size.join("×")} ${layer.op} pooling of {of}, channel ${index}`, of);
    case "dropout":
      return fill("dropout: passes {of} through unchanged when predicting", of);
    case "rescaling":
      return fill(`{of} × ${layer.scale} + ${layer.offset}`, of);
    case "dense":
      return fill(
        `weighted sum of all ${source.count} ${source.kind === "spatial" ? "channels" : "units"} of {of}`,
        of,
      );
    default:
      return layer.kind;
  }
}

/** Channel-wise {min, max} of an H x W x C (or 1-D) tensor: two Float32Arrays of length C. */
export function channelRanges(tensor) {
  const channels = tensor.shape[tensor.shape.length - 1];
  const mins = new Float32Array(channels).fill(Infinity);
  const maxs = new Float32Array(channels).fill(-Infinity);
  const data = tensor.data;
  for (let i = 0, c = 0; i < data.length; i++, c = c + 1 === channels ? 0 : c + 1) {
    const v = data[i];
    if (v < mins[c]) mins[c] = v;
    if (v > maxs[c]) maxs[c] = v;
  }
  return { mins, maxs };
}

/**
 * Build the overview of `spec` inside `root`. Returns {resize(width, height), update(frame), layout()}:
 * a frame is {activations: Map name -> {shape, data} (with "input"), probabilities, label (the true class index
 * or null), showNumbers, colorMode}.
 */
export function createOverview(root, spec) {
  const columns = overviewColumns(spec);
  const byName = new Map(columns.map((c) => [c.name, c]));
  const diverging = divergingLut();
  const grey = greyLut();
  const classes = spec.classes;
  const rowCount = classRowCount(classes.length);
  const inputMax = 255 / spec.input.pixel_divisor; // the input's values: pixels / divisor (255 with a Rescaling layer)
  const summarised = classes.length > MAX_CLASS_ROWS;

  const stage = element("div", "ov-stage", root);
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "ov-edges");
  svg.setAttribute("aria-hidden", "true");
  stage.appendChild(svg);
  const basePaths = new Map();
  for (const column of columns) {
    if (!column.source) continue;
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("class", `edge edge-${column.connect}`);
    svg.appendChild(path);
    basePaths.set(column.name, path);
  }
  const highlightPath = document.createElementNS(SVG, "path");
  highlightPath.setAttribute("class", "edge edge-highlight");
  svg.appendChild(highlightPath);

  for (const column of columns) {
    const label = element("div", "ov-label", stage);
    const section = sectionOf(column.layer ?? { kind: "input" });
    const name = element(section ? "a" : "span", "ov-label-name", label);
    name.textContent = column.name;
    name.dir = "auto"; // a layer name may be written right to left
    if (section) {
      name.href = `#${section}`;
      name.title = fillText("What {name} does: read the article", { name: column.name });
    }
    element("span", "ov-label-shape", label).textContent = shapeText(column.shape);
    label.title = fillText(`{name} ${shapeText(column.shape)}`, { name: column.name });
    label.dataset.column = column.name;
    column.label = label;
    column.elements = [];
    column.captions = [];
    if (column.kind === "output") {
      for (let r = 0; r < rowCount; r++) {
        const row = element("div", "class-row", stage);
        const name = element("span", "class-name", row);
        name.dir = "auto"; // a class name may be written right to left
        const bar = element("span", "class-bar", row);
        const fill = element("span", "class-fill", bar);
        const pct = element("span", "class-pct", row);
        const truth = element("span", "class-truth", row);
        truth.textContent = "true";
        truth.title = "the true class of this image";
        row.tabIndex = r === 0 ? 0 : -1;
        if (!summarised) row.setAttribute("data-class", classes[r]);
        if (summarised && r === rowCount - 1) row.classList.add("class-rest");
        name.textContent = summarised ? "" : classes[r];
        column.elements.push({ row, name, fill, pct });
      }
      continue;
    }
    if (column.kind !== "vector") {
      // One canvas per column holds all its feature maps: Chromium composites every 2-D canvas as a
      // layer of its own, and a thousand layers (64 channels x 18 columns) cost ~0.5 s per frame.
      // The neurons are transparent elements on top of it (see .neuron-map in style.css).
      column.maps = createHeatmapCanvas(1, 1);
      column.maps.className = "ov-maps";
      column.maps.setAttribute("aria-hidden", "true");
      column.maps.dataset.maps = column.name;
      stage.appendChild(column.maps);
    }
    for (let i = 0; i < column.count; i++) {
      const kind =
        column.kind === "vector"
          ? "neuron unit"
          : column.kind === "input"
            ? "neuron neuron-map neuron-input"
            : "neuron neuron-map";
      const node = element("div", kind, stage);
      node.setAttribute("data-layer", column.name);
      node.setAttribute("data-neuron", String(i));
      node.setAttribute("role", "img");
      node.tabIndex = i === 0 ? 0 : -1; // one tab stop per column; arrow keys move inside (see onKey)
      column.elements.push(node);
      if (column.kind === "input" && column.count === 3) {
        const caption = element("span", `ov-caption ov-caption-${i}`, stage);
        caption.textContent = CHANNEL_NAMES[i];
        column.captions.push(caption);
      }
    }
  }

  const legends = [];
  const tip = element("div", "ov-tip", stage);
  tip.setAttribute("aria-hidden", "true");

  let layout = null;
  let frame = null;
  let ranges = new Map();
  let channelStats = new Map();
  let rowClasses = []; // class index shown in each output row (-1 for the summary row)
  let active = null;
  let legendMode = "block"; // the colour mode the legends are built for

  function buildLegends() {
    for (const legend of legends) legend.node.remove();
    legends.length = 0;
    for (const group of groupSpans(layout.columns, legendGroups(spec, legendMode))) {
      const node = element("div", "legend", stage);
      node.dataset.testid = "legend";
      node.dataset.layers = group.layers.join(" ");
      const bar = element("div", "legend-bar", node);
      bar.style.background = lutGradient(group.kind === "input" ? grey : diverging);
      const ticks = element("div", "legend-ticks", node);
      const labels = [0, 1, 2].map(() => element("span", "", ticks));
      node.setAttribute(
        "aria-label",
        group.kind === "input" ? "Colour scale of the input" : `Colour scale of ${group.layers.join(", ")}`,
      );
      const width = Math.max(group.width, group.layers.length === 1 ? 0 : 64);
      const x = Math.min(Math.max(2, group.x + group.width / 2 - width / 2), layout.width - width - 2);
      place(node, x, layout.legendTop, width);
      node.classList.toggle("legend-compact", width < 64); // one "±max" label under a narrow bar
      legends.push({ node, group, labels });
    }
  }

  function geometryOf(column) {
    return layout.columns[columns.indexOf(column)];
  }

  function incoming(column, index) {
    return incomingEdges(geometryOf(column), geometryOf(byName.get(column.source)), index);
  }

  function drawEdges() {
    for (const column of columns) {
      if (!column.source) continue;
      const d = columnEdges(geometryOf(column), geometryOf(byName.get(column.source)));
      basePaths.get(column.name).setAttribute("d", d);
    }
  }

  function applyLayout() {
    stage.style.width = `${layout.width}px`;
    stage.style.height = `${layout.height}px`;
    svg.setAttribute("width", layout.width);
    svg.setAttribute("height", layout.height);
    svg.setAttribute("viewBox", `0 0 ${layout.width} ${layout.height}`);
    stage.classList.toggle("ov-compact", layout.cell < 24);
    layout.columns.forEach((geometry, index) => {
      const column = columns[index];
      place(column.label, geometry.labelX, geometry.labelY, geometry.labelWidth);
      column.elements.forEach((item, i) => {
        const b = geometry.boxes[i];
        place(item.row || item, b.x, b.y, b.w, b.h);
        if (item.row) item.row.classList.toggle("class-row-tight", b.h < 26);
      });
      if (column.maps) placeMaps(column, geometry.boxes);
      column.captions.forEach((caption, i) => {
        const b = geometry.boxes[i];
        place(caption, b.x - 10, b.y + b.h + 2, b.w + 20);
      });
    });
    buildLegends();
    drawEdges();
    if (frame) drawFrame();
  }

  /** Size the column's canvas to cover its neurons' boxes at the screen's resolution. */
  function placeMaps(column, boxes) {
    const dpr = window.devicePixelRatio || 1;
    const left = Math.min(...boxes.map((b) => b.x));
    const top = Math.min(...boxes.map((b) => b.y));
    const right = Math.max(...boxes.map((b) => b.x + b.w));
    const bottom = Math.max(...boxes.map((b) => b.y + b.h));
    place(column.maps, left, top, right - left, bottom - top);
    column.maps.width = Math.max(1, Math.round((right - left) * dpr));
    column.maps.height = Math.max(1, Math.round((bottom - top) * dpr));
    // Each map in canvas pixels; drawn from at most as many values as it has pixels on screen.
    column.rects = boxes.map((b) => ({
      x: Math.round((b.x - left) * dpr),
      y: Math.round((b.y - top) * dpr),
      w: Math.max(1, Math.round(b.w * dpr)),
      h: Math.max(1, Math.round(b.h * dpr)),
    }));
  }

  const scratch = new Map(); // one off-screen canvas per map size, to scale maps into the column canvases

  function drawMap(column, tensor, channel, range, lut) {
    const rect = column.rects[channel];
    const [height, width] = tensor.shape;
    const key = `${width}x${height}`;
    if (!scratch.has(key)) scratch.set(key, createHeatmapCanvas(width, height));
    const source = scratch.get(key);
    drawHeatmap(source, tensor, channel, range, lut);
    const context = column.maps.getContext("2d");
    context.imageSmoothingEnabled = false; // pixels stay square when a map is scaled up
    context.drawImage(source, rect.x, rect.y, rect.w, rect.h);
  }

  function rangeText(name, i) {
    const stats = channelStats.get(name);
    if (!stats) return "";
    return `${formatValue(stats.mins[i])} to ${formatValue(stats.maxs[i])}`;
  }

  function drawFrame() {
    const numbers = frame.showNumbers;
    for (const column of columns) {
      const tensor = frame.activations.get(column.name);
      if (column.kind === "output") continue;
      const range = ranges.get(column.name);
      const rect = column.rects && column.rects[0];
      const shown = rect ? sampleDown(tensor, rect.h, rect.w) : tensor;
      column.elements.forEach((node, i) => {
        if (column.kind === "vector") {
          const v = tensor.data[i];
          const t = range.max > range.min ? (v - range.min) / (range.max - range.min) : 0.5;
          const k = Math.max(0, Math.min(255, Math.round(t * 255)));
          node.style.background = `rgb(${diverging[k * 4]}, ${diverging[k * 4 + 1]}, ${diverging[k * 4 + 2]})`;
          node.setAttribute("aria-label", `${column.name}, unit ${i}${numbers ? `, value ${formatValue(v)}` : ""}`);
        } else {
          drawMap(column, shown, i, range, column.kind === "input" ? grey : diverging);
          const what =
            column.kind === "input" ? (column.count === 3 ? `${CHANNEL_NAMES[i]} channel` : "image") : `channel ${i}`;
          node.setAttribute(
            "aria-label",
            `${column.name}, ${what}${numbers ? `, values ${rangeText(column.name, i)}` : ""}`,
          );
        }
      });
    }
    drawClasses();
    for (const legend of legends) {
      const [lo, mid, hi] = legend.labels;
      const range = ranges.get(legend.group.layers[0]);
      if (legend.group.kind === "input") {
        const top = String(Number(inputMax.toPrecision(3)));
        const compact = legend.node.classList.contains("legend-compact"); // three labels would overlap
        lo.textContent = compact ? "" : "0";
        mid.textContent = compact ? `0–${top}` : String(Number((inputMax / 2).toPrecision(3)));
        hi.textContent = compact ? "" : top;
      } else if (legend.node.classList.contains("legend-compact")) {
        lo.textContent = "";
        mid.textContent = numbers ? `±${formatValue(range.max)}` : "";
        hi.textContent = "";
      } else {
        lo.textContent = numbers ? formatValue(range.min) : "";
        mid.textContent = "0";
        hi.textContent = numbers ? formatValue(range.max) : "";
      }
      legend.node.dataset.min = String(range.min);
      legend.node.dataset.max = String(range.max);
    }
    if (active) showActive(active);
  }

  function drawClasses() {
    const column = columns[columns.length - 1];
    const p = frame.probabilities;
    const order = Array.from(p, (_, i) => i).sort((a, b) => p[b] - p[a]);
    const top = order[0];
    rowClasses = summarised ? [...order.slice(0, TOP_CLASSES), -1] : order.map((_, i) => i);
    column.elements.forEach((item, r) => {
      const c = rowClasses[r];
      let value;
      if (c === -1) {
        value = order.slice(TOP_CLASSES).reduce((sum, i) => sum + p[i], 0);
        item.name.textContent = `${classes.length - TOP_CLASSES} other classes`;
      } else {
        value = p[c];
        if (summarised) {
          item.row.setAttribute("data-class", classes[c]);
          item.name.textContent = classes[c];
        }
      }
      item.fill.style.transform = `scaleX(${Math.max(0, Math.min(1, value))})`;
      item.pct.textContent = frame.showNumbers ? `${(value * 100).toFixed(1)}%` : "";
      item.row.classList.toggle("is-top", c === top);
      item.row.classList.toggle("is-truth", c !== -1 && c === frame.label);
      let label = c === -1 ? item.name.textContent : classes[c];
      if (c !== -1 && c === frame.label) label += " (true class)";
      item.row.setAttribute("aria-label", frame.showNumbers ? `${label}: ${(value * 100).toFixed(1)}%` : label);
    });
  }

  function clearActive() {
    stage.classList.remove("is-focusing");
    for (const node of stage.querySelectorAll(".is-active, .is-source"))
      node.classList.remove("is-active", "is-source");
    highlightPath.setAttribute("d", "");
    tip.classList.remove("is-visible");
  }

  function showActive(target) {
    clearActive();
    active = target;
    const { column, index } = target;
    const node = column.kind === "output" ? column.elements[index].row : column.elements[index];
    stage.classList.add("is-focusing");
    node.classList.add("is-active");
    const lines = [];
    if (column.source) {
      const { d, sources } = incoming(column, index);
      highlightPath.setAttribute("d", d);
      const source = byName.get(column.source);
      for (const s of sources) {
        const item = source.elements[s];
        (item.row || item).classList.add("is-source");
      }
    }
    if (column.kind === "output") {
      const c = rowClasses[index];
      lines.push(c === -1 ? column.elements[index].name.textContent : bdi(classes[c]), bdi(column.name));
      if (frame && frame.showNumbers) lines.push(`probability ${column.elements[index].pct.textContent}`);
    } else {
      const what =
        column.kind === "input"
          ? column.count === 3
            ? `${CHANNEL_NAMES[index]} channel`
            : "image"
          : column.kind === "vector"
            ? `unit ${index}`
            : `channel ${index}`;
      lines.push(fill(`{name} · ${what}`, { name: column.name }), describe(column, index, byName));
      if (frame && frame.showNumbers && channelStats.get(column.name))
        lines.push(`values ${rangeText(column.name, index)}`);
    }
    tip.replaceChildren(
      ...lines.map((text, i) => {
        const line = document.createElement(i === 0 ? "strong" : "span");
        line.append(text);
        return line;
      }),
    );
    const box = layout.columns[columns.indexOf(column)].boxes[index];
    tip.classList.add("is-visible");
    const tipWidth = tip.offsetWidth;
    let x = box.x + box.w + 10;
    if (x + tipWidth > layout.width - 4) x = Math.max(4, box.x - tipWidth - 10);
    place(tip, x, Math.max(2, box.y + box.h / 2 - tip.offsetHeight / 2));
  }

  function targetOf(node) {
    const hit = node && node.closest && node.closest("[data-layer], .class-row");
    if (!hit || !stage.contains(hit)) return null;
    if (hit.classList.contains("class-row")) {
      const column = columns[columns.length - 1];
      return { column, index: column.elements.findIndex((item) => item.row === hit) };
    }
    const column = byName.get(hit.getAttribute("data-layer"));
    return { column, index: Number(hit.getAttribute("data-neuron")) };
  }

  function onEnter(event) {
    const target = targetOf(event.target);
    if (target && layout) showActive(target);
  }

  function onLeave(event) {
    const next = targetOf(event.relatedTarget);
    if (!next) {
      active = null;
      clearActive();
    }
  }

  function nodeAt(column, index) {
    const item = column.elements[index];
    return item.row || item;
  }

  function onKey(event) {
    const target = targetOf(event.target);
    if (!target || !layout) return;
    const { column, index } = target;
    const c = columns.indexOf(column);
    let next = null;
    if (event.key === "ArrowDown") next = [c, Math.min(index + 1, column.elements.length - 1)];
    else if (event.key === "ArrowUp") next = [c, Math.max(index - 1, 0)];
    else if (event.key === "Home") next = [c, 0];
    else if (event.key === "End") next = [c, column.elements.length - 1];
    else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      const to = c + (event.key === "ArrowLeft" ? -1 : 1);
      if (to < 0 || to >= columns.length) return;
      const y = layout.columns[c].boxes[index].y + layout.columns[c].boxes[index].h / 2;
      const boxes = layout.columns[to].boxes;
      let best = 0;
      boxes.forEach((b, i) => {
        if (Math.abs(b.y + b.h / 2 - y) < Math.abs(boxes[best].y + boxes[best].h / 2 - y)) best = i;
      });
      next = [to, best];
    }
    if (!next) return;
    event.preventDefault();
    const from = nodeAt(column, index);
    const to = nodeAt(columns[next[0]], next[1]);
    for (const item of columns[next[0]].elements) (item.row || item).tabIndex = -1;
    from.tabIndex = columns[next[0]] === column ? -1 : 0;
    to.tabIndex = 0;
    to.focus();
  }

  stage.addEventListener("keydown", onKey);
  stage.addEventListener("pointerover", onEnter);
  stage.addEventListener("pointerout", onLeave);
  stage.addEventListener("focusin", onEnter);
  stage.addEventListener("focusout", onLeave);

  return {
    /** Lay the overview out for a box of `width` x `height` CSS pixels. */
    resize(width, height) {
      layout = computeLayout(spec, width, height);
      applyLayout();
    },
    /** Draw `frame` ({activations, probabilities, showNumbers, colorMode}). */
    update(next) {
      frame = next;
      const layerRanges = new Map();
      channelStats = new Map();
      for (const column of columns) {
        if (column.kind === "output") continue;
        const stats = channelRanges(frame.activations.get(column.name));
        channelStats.set(column.name, stats);
        let min = Infinity;
        let max = -Infinity;
        for (let c = 0; c < stats.mins.length; c++) {
          min = Math.min(min, stats.mins[c]);
          max = Math.max(max, stats.maxs[c]);
        }
        layerRanges.set(column.name, { min, max });
      }
      const output = columns[columns.length - 1];
      layerRanges.set(output.name, { min: 0, max: 1 });
      ranges = colorRanges(spec, frame.activations, frame.colorMode || "block", layerRanges);
      ranges.set("input", { min: 0, max: inputMax });
      if (frame.colorMode && frame.colorMode !== legendMode) {
        legendMode = frame.colorMode;
        if (layout) buildLegends();
      }
      if (layout) drawFrame();
    },
    /** The current geometry (see layout.js). */
    layout: () => layout,
    /** Map from layer name (and "input") to the colour range {min, max} it is drawn with now. */
    ranges: () => ranges,
  };
}
