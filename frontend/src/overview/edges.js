// Geometry of the overview's edges: SVG path data between neuron boxes of a layout (see layout.js). No DOM.

/** More edges than this between two columns are drawn through one hub point instead of one curve each. */
export const BUNDLE_ABOVE = 2500;

/** SVG path data of a horizontal S-curve from (x0, y0) to (x1, y1). */
export function curve(x0, y0, x1, y1) {
  const mid = ((x0 + x1) / 2).toFixed(1);
  return `M${x0.toFixed(1)} ${y0.toFixed(1)}C${mid} ${y0.toFixed(1)} ${mid} ${y1.toFixed(1)} ${x1.toFixed(1)} ${y1.toFixed(1)}`;
}

function outPoint(box) {
  return [box.x + box.w, box.y + box.h / 2];
}

function inPoint(box) {
  return [box.x, box.y + box.h / 2];
}

/** The source indices feeding neuron (or class row) `index` of layout column `column`. */
export function sourcesOf(column, source, index) {
  if (column.connect === "one") return [index];
  return Array.from({ length: source.boxes.length }, (_, i) => i);
}

/** {d, sources}: the curves into box `index` of `column` from the boxes of `source` that feed it. */
export function incomingEdges(column, source, index) {
  const [x1, y1] = inPoint(column.boxes[index]);
  const sources = sourcesOf(column, source, index);
  const d = sources.map((s) => curve(...outPoint(source.boxes[s]), x1, y1)).join("");
  return { d, sources };
}

/** Path data of every edge into `column` from `source`; bundled through a hub point when there are many. */
export function columnEdges(column, source, bundleAbove = BUNDLE_ABOVE) {
  const targets = column.boxes.length;
  if (column.connect === "all" && source.boxes.length * targets > bundleAbove) {
    const hx = (outPoint(source.boxes[0])[0] + inPoint(column.boxes[0])[0]) / 2;
    const ys = [...source.boxes, ...column.boxes].map((b) => b.y + b.h / 2);
    const hy = (Math.min(...ys) + Math.max(...ys)) / 2;
    const parts = source.boxes.map((b) => curve(...outPoint(b), hx, hy));
    for (const b of column.boxes) parts.push(curve(hx, hy, ...inPoint(b)));
    return parts.join("");
  }
  return column.boxes.map((_, t) => incomingEdges(column, source, t).d).join("");
}
