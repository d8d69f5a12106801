// Geometry of the overview: where every column, neuron, class row and legend goes (the columns themselves are
// network.js's). No DOM.

/** Classes shown one row each up to this count; beyond it the top TOP_CLASSES are shown and the rest summarised. */
export const MAX_CLASS_ROWS = 20;
/** Rows given to the most probable classes when there are more than MAX_CLASS_ROWS. */
export const TOP_CLASSES = 10;

const PAD = 20; // left and right padding
const LABEL_ROW = 30; // height of one row of column labels
const LEGEND = 46; // height of the legend strip under the neurons
const MIN_CELL = 12;
const MAX_CELL = 56;
const OUTPUT_WIDTH = 188;
const CHAR_WIDTH = 6; // estimated width of one label character (12px system font; the shape is smaller)

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

function columnWidth(column, cell, available) {
  if (column.kind === "output") return OUTPUT_WIDTH;
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

function measure(columns, cell, available) {
  let x = PAD;
  const placed = [];
  let previousFolded = false;
  for (const column of columns) {
    const m = columnWidth(column, cell, available);
    const folded = typeof m !== "number" && m.grid.subColumns > 1;
    x += gapBefore(column, cell, folded || previousFolded);
    previousFolded = folded;
    const width = typeof m === "number" ? m : m.width;
    placed.push({ x, width, metrics: typeof m === "number" ? null : m });
    x += width;
  }
  return { placed, width: x + PAD };
}

/** The estimated width in CSS pixels of a column's label (its name, or its shape if longer). */
export function labelWidth(column) {
  const shape = `(${column.shape.join(", ")})`;
  return Math.ceil(Math.max(column.name.length, shape.length * 0.88) * CHAR_WIDTH) + 4;
}

function labelsFit(columns, placed) {
  const centres = placed.map((p) => p.x + p.width / 2);
  const widths = columns.map(labelWidth);
  if (centres[0] - widths[0] / 2 < 0) return false;
  return centres.every((centre, i) => i === 0 || (widths[i - 1] + widths[i]) / 2 + 4 <= centre - centres[i - 1]);
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
 * The overview's geometry for `network` (network.js) in a box of `width` x `height` CSS pixels.
 * Returns {width, height, cell, neuronTop, neuronBottom, labelRows, legendTop, columns, groups}: every
 * column has x, width, labelX/labelY/labelWidth and boxes ({x, y, w, h}) for its neurons (or class rows);
 * groups are the colour-legend spans. The result is larger than asked when the network cannot fit.
 */
export function computeLayout(network, width, height) {
  const columns = network.columns;
  const maxCount = Math.max(...columns.filter((c) => c.kind === "input" || c.kind === "spatial").map((c) => c.count));
  let labelRows = 1;
  let chosen = null;
  for (let pass = 0; pass < 2 && chosen === null; pass++) {
    const neuronTop = LABEL_ROW * labelRows + 8;
    const available = Math.max(120, classRowCount(network.classes.length) * 16, height - neuronTop - LEGEND - 8);
    const tallest = Math.floor(available / (maxCount * 1.3)); // a cell that fits every column in one sub-column
    const start = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.max(tallest, MIN_CELL * 2)));
    let fallback = null;
    for (let cell = start; cell >= MIN_CELL; cell--) {
      const m = measure(columns, cell, available);
      fallback = { cell, m, available, neuronTop };
      if (m.width <= width) {
        chosen = fallback;
        break;
      }
    }
    if (chosen === null) chosen = fallback;
    if (labelRows === 1 && !labelsFit(columns, chosen.m.placed)) {
      labelRows = 2;
      chosen = null;
    }
  }
  const { cell, m, available, neuronTop } = chosen;
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
    return { ...column, x, width: w, boxes };
  });
  for (let i = 0; i < out.length; i++) {
    const prev = out[i - 1];
    const next = out[i + 1];
    const centre = out[i].x + out[i].width / 2;
    const left = prev ? (prev.x + prev.width / 2 + centre) / 2 : 0;
    const right = next ? (next.x + next.width / 2 + centre) / 2 : totalWidth;
    const row = labelRows === 2 ? i % 2 : 0;
    const span = labelRows === 2 ? 2 : 1;
    out[i].labelWidth = Math.max(out[i].width, Math.floor((right - left) * span) - 4);
    out[i].labelX = Math.round(centre - out[i].labelWidth / 2);
    out[i].labelY = row * LABEL_ROW;
  }
  const groups = groupSpans(out, network.blocks);
  const totalHeight = Math.max(height, neuronBottom + LEGEND);
  return {
    width: totalWidth,
    height: totalHeight,
    cell,
    labelRows,
    neuronTop,
    neuronBottom,
    legendTop: neuronBottom + 8,
    columns: out,
    groups,
  };
}
