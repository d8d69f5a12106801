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

/**
 * The source indices feeding neuron (or class row) `index` of layout column `column` through `input` (one of the
 * column's inputs, network.js: {connect, offset}; by default the column's own connect, for its first input).
 */
export function sourcesOf(column, source, index, input = column) {
  if (input.connect === "one") {
    const s = index - (input.offset ?? 0);
    return s >= 0 && s < source.boxes.length ? [s] : [];
  }
  return Array.from({ length: source.boxes.length }, (_, i) => i);
}

/** How far right of its source column (and left of its target) a skip connection turns into its lane. */
export const LANE_TURN = 8;

/**
 * A skip connection's route from box `from` of column `source` to box `to` of `column` along the lane at height
 * `laneY` under the neurons: down beside the source, along the lane, up into the target. As separate pieces (the
 * trunk is shared by every edge of the bundle): {out, trunk, into}.
 */
function skipPieces(column, source, laneY) {
  const sx = source.x + source.width + LANE_TURN;
  const tx = column.x - LANE_TURN;
  return {
    out: (box) => curve(...outPoint(box), sx, laneY),
    trunk: `M${sx.toFixed(1)} ${laneY.toFixed(1)}H${tx.toFixed(1)}`,
    into: (box) => curve(tx, laneY, ...inPoint(box)),
  };
}

/**
 * {d, sources}: the curves into box `index` of `column` from the boxes of `source` that feed it through `input`;
 * along the lane at height `lane` when `input` is a skip connection (its source is not the column before).
 */
export function incomingEdges(column, source, index, input = column, lane = null) {
  const sources = sourcesOf(column, source, index, input);
  if (lane !== null) {
    const { out, trunk, into } = skipPieces(column, source, lane);
    const d = sources.length
      ? sources.map((s) => out(source.boxes[s])).join("") + trunk + into(column.boxes[index])
      : "";
    return { d, sources };
  }
  const [x1, y1] = inPoint(column.boxes[index]);
  const d = sources.map((s) => curve(...outPoint(source.boxes[s]), x1, y1)).join("");
  return { d, sources };
}

/**
 * Path data of every edge into `column` from `source` through `input`; bundled through a hub point when there are
 * many; a skip connection's (`lane`: its height) as one bundle: out of the source's boxes, along the lane, into the
 * boxes it feeds.
 */
export function columnEdges(column, source, bundleAbove = BUNDLE_ABOVE, input = column, lane = null) {
  const targets = column.boxes.length;
  if (lane !== null) {
    const { out, trunk, into } = skipPieces(column, source, lane);
    const fed = column.boxes.map((_, t) => sourcesOf(column, source, t, input));
    const used = new Set(fed.flat());
    const parts = source.boxes.filter((_, s) => used.has(s)).map(out);
    parts.push(trunk, ...column.boxes.filter((_, t) => fed[t].length).map(into));
    return parts.join("");
  }
  if (input.connect === "all" && source.boxes.length * targets > bundleAbove) {
    const hx = (outPoint(source.boxes[0])[0] + inPoint(column.boxes[0])[0]) / 2;
    const ys = [...source.boxes, ...column.boxes].map((b) => b.y + b.h / 2);
    const hy = (Math.min(...ys) + Math.max(...ys)) / 2;
    const parts = source.boxes.map((b) => curve(...outPoint(b), hx, hy));
    for (const b of column.boxes) parts.push(curve(hx, hy, ...inPoint(b)));
    return parts.join("");
  }
  return column.boxes.map((_, t) => incomingEdges(column, source, t, input).d).join("");
}
