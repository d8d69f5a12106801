// Where the output view's parts go, and where the pointer and the keys move: the grid of maps beside the flattened
// column, the flow canvas (the column, one edge per element into the sum's node), the paths of the pointed element's
// marker, edge and connector, and the element or unit a key moves to. No DOM.

export const STRIP = { x: 6, width: 22 }; // the flattened column, in the flow canvas
export const NODE_RADIUS = 15;
export const MAP_SIZE = { min: 24, max: 64 }; // CSS px
export const MAP_GAP = 4; // between rows of maps (.vo-maps in classViews.css)
export const MAP_LABELS = 42; // the height of what a map has under it (caption, scale), until measured

/**
 * The grid of `count` square maps that best fits `height` pixels, each with `labels` pixels of caption and scale
 * under it: {columns, size}.
 */
export function mapGrid(count, height, labels) {
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const size = Math.floor((height - (rows - 1) * MAP_GAP) / rows) - labels;
    if (size >= MAP_SIZE.min) return { columns, size: Math.min(MAP_SIZE.max, size) };
  }
  return { columns: count, size: MAP_SIZE.min };
}

/** The height under a map's frame (its figure `figureHeight` tall, the frame `frameHeight`); MAP_LABELS unmeasured. */
export function mapLabels(figureHeight, frameHeight) {
  return figureHeight ? figureHeight - frameHeight : MAP_LABELS;
}

/**
 * The flow canvas in a box `box` ({width, height}) under a label `labelHeight` tall, at `ratio` device pixels per
 * CSS pixel: {width, height, top, span (of the column), nodeX, nodeY (the sum's node), ratio}, in CSS pixels.
 */
export function flowGeometry(box, labelHeight, ratio) {
  const width = Math.max(80, Math.round(box.width));
  const height = Math.max(80, Math.round(box.height - labelHeight - 4));
  return { width, height, top: 2, span: height - 4, nodeX: width - NODE_RADIUS - 2, nodeY: height / 2, ratio };
}

/** The y of the middle of element `index` of the `count` on the column, in the canvas. */
export function elementY(geometry, count, index) {
  return geometry.top + ((index + 0.5) * geometry.span) / count;
}

/** The element of the `count` on the column at `y` below the canvas's top (below 0 or from `count` off the column). */
export function elementAt(geometry, count, y) {
  return Math.floor(((y - geometry.top) / geometry.span) * count);
}

/** `index` kept on a column of `count` elements. */
export function clampElement(index, count) {
  return Math.max(0, Math.min(count - 1, index));
}

/** SVG path data of the curve from `from` to `to` ({x, y}), leaving and arriving level, bent halfway. */
export function curvePath(from, to) {
  const mid = (from.x + to.x) / 2;
  return `M${from.x} ${from.y}C${mid} ${from.y} ${mid} ${to.y} ${to.x} ${to.y}`;
}

/**
 * The ends of the edge from the column at height `y` to the sum's node, the canvas placed at `offset` ({x, y}):
 * {from, to, mid (the x where it bends)}.
 */
export function edgeEnds(geometry, y, offset = { x: 0, y: 0 }) {
  const from = { x: offset.x + STRIP.x + STRIP.width, y };
  const to = { x: offset.x + geometry.nodeX - NODE_RADIUS, y: offset.y + geometry.nodeY };
  return { from, to, mid: (from.x + to.x) / 2 };
}

/**
 * The edges of the flow canvas, one per `weights` of the `count` elements, in drawing order, the weakest first so that
 * the strongest lie on top: [{index, y, alpha}], `alpha` growing with the weight's size against `weightRange`'s.
 */
export function flowEdges(geometry, count, weights, weightRange) {
  const extent = Math.max(weightRange.max, 1e-12);
  const order = Array.from(weights, (_, i) => i).sort((a, b) => Math.abs(weights[a]) - Math.abs(weights[b]));
  return order.map((index) => ({
    index,
    y: elementY(geometry, count, index),
    alpha: 0.22 + 0.78 * (Math.abs(weights[index]) / extent),
  }));
}

/**
 * The elements of the column of `count` where a pixel's `channels` values end and the next pixel's begin (a thin gap
 * is drawn there), with `cell` pixels an element: none without channels or when a pixel is under 4 pixels tall.
 */
export function pixelBreaks(count, channels, cell) {
  if (!channels || cell * channels < 4) return [];
  const breaks = [];
  for (let i = channels; i < count; i += channels) breaks.push(i);
  return breaks;
}

/**
 * The marks of element `index` of `count`, the canvas placed at `offset` ({x, y}) in the figure: {y (its middle),
 * stripX (the column's left side), marker (path data of the box around its cell), edge (of its edge)}.
 */
export function pointedPaths(geometry, count, index, offset) {
  const y = offset.y + elementY(geometry, count, index);
  const cell = Math.max(geometry.span / count, 1);
  const marker = `M${offset.x + STRIP.x - 4} ${y - cell / 2 - 1}h${STRIP.width + 8}v${cell + 2}h${-STRIP.width - 8}z`;
  const { from, to } = edgeEnds(geometry, y, offset);
  return { y, stripX: offset.x + STRIP.x, marker, edge: curvePath(from, to) };
}

/**
 * Where the connector leaves pixel (row, col) of a map of `shape` drawn in `frame` ({left, top, width, height}, in
 * the figure): the middle of the pixel's right side, {x, y}.
 */
export function pixelAnchor(frame, shape, row, col) {
  return {
    x: frame.left + ((col + 1) * frame.width) / shape[1],
    y: frame.top + ((row + 0.5) * frame.height) / shape[0],
  };
}

/**
 * The element key `key` moves to from element `pointed` of `count`: arrows by one, page keys by a pixel's `channels`
 * values (when the column holds maps), Home and End to the ends (not yet clamped); null for any other key.
 */
export function elementAfterKey(key, pointed, count, channels) {
  const steps = { ArrowUp: -1, ArrowDown: 1 };
  if (channels) Object.assign(steps, { PageUp: -channels, PageDown: channels });
  if (key in steps) return pointed + steps[key];
  if (key === "Home" || key === "End") return key === "Home" ? 0 : count - 1;
  return null;
}

/** The unit of `units` that left and right arrows move to from `unit`, wrapping around; null for any other key. */
export function unitAfterKey(key, unit, units) {
  if (key !== "ArrowLeft" && key !== "ArrowRight") return null;
  return (unit + (key === "ArrowLeft" ? units - 1 : 1)) % units;
}

/** The scrollTop that centres an item ({offsetTop, offsetHeight}) in its list ({offsetTop, clientHeight}). */
export function centredScroll(item, list) {
  return item.offsetTop - list.offsetTop - (list.clientHeight - item.offsetHeight) / 2;
}
