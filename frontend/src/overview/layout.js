// Geometry of the overview: where every column, neuron, class row and legend goes (the columns themselves are
// network.js's). No DOM.

/** Classes shown one row each up to this count; beyond it the top TOP_CLASSES are shown and the rest summarised. */
export const MAX_CLASS_ROWS = 20;
/** Rows given to the most probable classes when there are more than MAX_CLASS_ROWS. */
export const TOP_CLASSES = 10;

const PAD = 20; // left and right padding
export const LABEL_ROW = 30; // height of one row of column labels, unless the page measures its own (larger text)
const LEGEND = 46; // height of the legend strip under the neurons
const MIN_CELL = 12;
const MAX_CELL = 56;
const OUTPUT_WIDTH = 188; // the class rows' column, at the page's usual size of text
const CHAR_WIDTH = 6.6; // estimated width of one label character (12px system font), when none are measured
const LABEL_GAP = 8; // between two labels in a row
const LANE = 9; // the height of one skip connection's lane under the neurons

/** The number of class rows drawn for `classCount` classes (the summary row included). */
export function classRowCount(classCount) {
  return classCount > MAX_CLASS_ROWS ? TOP_CLASSES + 1 : classCount;
}

function gridFor(count, size, gap, available) {
  const rowsFit = Math.max(1, Math.floor((available + gap) / (size + gap)));
  const perColumn = Math.min(count, rowsFit);
  const subColumns = Math.ceil(count / perColumn);
  return { rows: Math.ceil(count / subColumns), subColumns };
}

function vectorUnit(count, cell, available) {
  return Math.max(4, Math.min(Math.round(cell * 0.5), Math.floor((0.75 * available) / count)));
}

function inputSize(count, cell, available) {
  return count > 3 ? cell : Math.max(cell, Math.min(Math.round(cell * 1.75), Math.floor(available / (count * 1.3))));
}

function columnWidth(column, cell, available, text) {
  if (column.kind === "output") return Math.round(OUTPUT_WIDTH * text);
  const size =
    column.kind === "vector"
      ? vectorUnit(column.count, cell, available)
      : column.kind === "input"
        ? inputSize(column.count, cell, available)
        : cell;
  const gap = column.kind === "vector" ? Math.max(1, Math.round(size / 3)) : Math.max(3, Math.round(cell * 0.25));
  const grid = gridFor(column.count, size, gap, available);
  return { width: grid.subColumns * size + (grid.subColumns - 1) * gap, size, gap, grid };
}

function gapBefore(column, cell, folded) {
  if (column.connect === null) return 0;
  if (column.kind === "output") return Math.max(40, Math.round(cell * 1.8));
  if (column.connect === "all") return Math.max(32, Math.round(cell * 2.2));
  return Math.max(12, Math.round(cell * (folded ? 1.4 : 0.7))); // folded: sub-columns would run together
}

/**
 * Columns left to right for neurons of `cell` pixels, each far enough from its neighbours that the labels
 * (`labels`: their widths) do not touch: in one row, neighbours; in two rows (alternating), every second one.
 */
function measure(columns, cell, available, labels, labelRows, text) {
  const placed = [];
  let x = PAD;
  let previousFolded = false;
  columns.forEach((column, i) => {
    const m = columnWidth(column, cell, available, text);
    const folded = typeof m !== "number" && m.grid.subColumns > 1;
    const width = typeof m === "number" ? m : m.width;
    x += gapBefore(column, cell, folded || previousFolded);
    previousFolded = folded;
    // the label's centre is the column's: far enough from the label it could touch, and not past the left edge
    let centre = Math.max(x + width / 2, labels[i] / 2);
    const near = placed[i - labelRows];
    if (near) centre = Math.max(centre, near.x + near.width / 2 + (labels[i - labelRows] + labels[i]) / 2 + LABEL_GAP);
    x = centre - width / 2;
    placed.push({ x, width, metrics: typeof m === "number" ? null : m });
    x += width;
  });
  const last = placed.length - 1;
  const end = Math.max(x + PAD, placed[last].x + placed[last].width / 2 + labels[last] / 2);
  return { placed, width: Math.ceil(end) };
}

/**
 * The lanes of the skip connections of `columns` (network.js): each input whose source is not the column before runs
 * in a lane under the neurons, and two run in one lane when they do not overlap. {count, of: Map "<column>#<input
 * index>" -> lane number}.
 */
export function skipLanes(columns) {
  const index = new Map(columns.map((c, i) => [c.name, i]));
  const skips = columns.flatMap((column, to) =>
    column.inputs
      .map((input, k) => ({ key: `${column.name}#${k}`, from: index.get(input.source), to }))
      .filter(({ from }) => from !== to - 1),
  );
  skips.sort((a, b) => a.from - b.from || a.to - b.to);
  const ends = []; // the column each lane is taken up to
  const of = new Map();
  for (const skip of skips) {
    let lane = ends.findIndex((end) => end <= skip.from);
    if (lane < 0) lane = ends.push(0) - 1;
    ends[lane] = skip.to;
    of.set(skip.key, lane);
  }
  return { count: ends.length, of };
}

/** The estimated width in CSS pixels of a column's label (its name, or its shape if longer). */
export function labelWidth(column) {
  const shape = `(${column.shape.join(", ")})`;
  return Math.ceil(Math.max(column.name.length, shape.length) * CHAR_WIDTH) + 4;
}

/** Groups of layers ({kind, layers}) with the span of their laid-out `columns`: {kind, layers, x, width}. */
export function groupSpans(columns, groups) {
  const byName = new Map(columns.map((c) => [c.name, c]));
  return groups.map((group) => {
    const members = group.layers.map((name) => byName.get(name)).filter(Boolean);
    const x0 = Math.min(...members.map((c) => c.x));
    const x1 = Math.max(...members.map((c) => c.x + c.width));
    return { kind: group.kind, layers: group.layers, x: x0, width: x1 - x0 };
  });
}

/**
 * The overview's geometry for `network` (network.js) in a box of `width` x `height` CSS pixels, with neurons of at
 * least `minCell` pixels (larger for fingers), column labels of `labelWidths` pixels in rows `labelRow` high (both
 * measured by the page; estimated if not given) and text `text` times its usual size. Returns {width, height, cell,
 * neuronTop, neuronBottom, labelRows, legendTop, columns, groups}: every column has x, width, labelX/labelY/labelWidth,
 * boxes ({x, y, w, h}) for its neurons (or class rows) and lanes (per input, the height of its skip connection's lane
 * under the neurons, or null); groups are the colour-legend spans. No label overlaps another or is cut. The result is wider than asked
 * when the network cannot fit (the page then scrolls it sideways), and then keeps one row of labels.
 */
export function computeLayout(
  network,
  width,
  height,
  { labelWidths = null, labelRow = LABEL_ROW, minCell = MIN_CELL, text = 1 } = {},
) {
  const columns = network.columns;
  const labels = labelWidths ?? columns.map(labelWidth);
  const maxCount = Math.max(...columns.filter((c) => c.kind === "input" || c.kind === "spatial").map((c) => c.count));
  const lanes = skipLanes(columns);
  const lanesHeight = lanes.count ? lanes.count * LANE + 4 : 0;
  let chosen = null;
  let widest = null; // the smallest neurons in one row of labels: what scrolls when nothing fits
  for (const labelRows of [1, 2]) {
    const neuronTop = labelRow * labelRows + 8;
    const available = Math.max(
      120,
      classRowCount(network.classes.length) * 16,
      height - neuronTop - LEGEND - 8 - lanesHeight,
    );
    const tallest = Math.floor(available / (maxCount * 1.3)); // a cell that fits every column in one sub-column
    const start = Math.max(minCell, Math.min(MAX_CELL, Math.max(tallest, minCell * 2)));
    for (let cell = start; cell >= minCell && chosen === null; cell--) {
      const m = measure(columns, cell, available, labels, labelRows, text);
      const option = { cell, m, available, neuronTop, labelRows };
      if (labelRows === 1) widest = option;
      if (m.width <= width) chosen = option;
    }
    if (chosen) break;
  }
  chosen ??= widest;
  const { cell, m, available, neuronTop, labelRows } = chosen;
  const totalWidth = Math.max(width, m.width);
  const extra = Math.floor((totalWidth - m.width) / 2); // centre a network narrower than the box
  const neuronBottom = neuronTop + available;
  const pitchCap = cell * 4;
  const out = columns.map((column, index) => {
    const { x: left, width: w, metrics } = m.placed[index];
    const x = left + extra;
    const boxes = [];
    if (column.kind === "output") {
      const rows = classRowCount(column.count);
      const pitch = Math.min(available / rows, 64);
      const h = Math.max(12, Math.min(40, Math.floor(pitch * 0.82)));
      const top = neuronTop + (available - pitch * rows) / 2;
      for (let r = 0; r < rows; r++) boxes.push({ x, y: Math.round(top + r * pitch + (pitch - h) / 2), w, h });
    } else {
      const { size, gap, grid } = metrics;
      const pitch = Math.min(available / grid.rows, pitchCap);
      const top = neuronTop + (available - pitch * grid.rows) / 2 + (pitch - size) / 2;
      for (let i = 0; i < column.count; i++) {
        const row = Math.floor(i / grid.subColumns);
        const sub = i % grid.subColumns;
        boxes.push({ x: x + sub * (size + gap), y: Math.round(top + row * pitch), w: size, h: size });
      }
    }
    const laneOf = (_, k) => {
      const lane = lanes.of.get(`${column.name}#${k}`);
      return lane === undefined ? null : neuronTop + available + 4 + lane * LANE + LANE / 2;
    };
    return { ...column, x, width: w, boxes, lanes: column.inputs.map(laneOf) };
  });
  out.forEach((column, i) => {
    // as wide as the label needs: measure() kept that much room around the column's centre
    const centre = column.x + column.width / 2;
    column.labelWidth = Math.ceil(labels[i]);
    column.labelX = Math.round(Math.max(0, Math.min(totalWidth - column.labelWidth, centre - column.labelWidth / 2)));
    column.labelY = labelRows === 2 ? (i % 2) * labelRow : 0;
  });
  const groups = groupSpans(out, network.blocks);
  const totalHeight = Math.max(height, neuronBottom + lanesHeight + LEGEND);
  return {
    width: totalWidth,
    height: totalHeight,
    cell,
    labelRows,
    neuronTop,
    neuronBottom,
    legendTop: neuronBottom + lanesHeight + 8,
    columns: out,
    groups,
  };
}

/**
 * The neuron a key moves to from neuron `index` of column `c`, given every column's geometry (`columns`, computeLayout's):
 * [column, index], or null for a key that does not move. Up and Down go along the column (stopping at its ends), Home
 * and End to its ends, Left and Right to the neuron of the next column whose centre is nearest this one's height.
 */
export function nextNeuron(columns, c, index, key) {
  const count = columns[c].boxes.length;
  if (key === "ArrowDown") return [c, Math.min(index + 1, count - 1)];
  if (key === "ArrowUp") return [c, Math.max(index - 1, 0)];
  if (key === "Home") return [c, 0];
  if (key === "End") return [c, count - 1];
  if (key !== "ArrowLeft" && key !== "ArrowRight") return null;
  const to = c + (key === "ArrowLeft" ? -1 : 1);
  if (to < 0 || to >= columns.length) return null;
  const from = columns[c].boxes[index];
  const y = from.y + from.h / 2;
  const boxes = columns[to].boxes;
  let best = 0;
  boxes.forEach((b, i) => {
    if (Math.abs(b.y + b.h / 2 - y) < Math.abs(boxes[best].y + boxes[best].h / 2 - y)) best = i;
  });
  return [to, best];
}
