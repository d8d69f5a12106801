// The training story chart: loss and accuracy per epoch in two small panels, training lines solid and validation
// lines dashed, with markers at the epoch whose weights were kept, at each cut of the learning rate and where
// training stopped early; the story (insights/trainingStory.js) as its caption, and every value in a table for
// screen readers (the drawing itself is hidden from them).
//
// Drawn with d3-scale, d3-shape, d3-axis and d3-selection: well kept, small, of the family of d3-scale-chromatic (already
// a dependency), and tree-shaken by esbuild, though only in part, as their latest releases ship one bundled file each
// whose prototype assignments (every curve of d3-shape, every colour space of d3-color) esbuild must keep.

import { axisBottom, axisLeft } from "d3-axis";
import { scaleLinear } from "d3-scale";
import { create } from "d3-selection";
import { line } from "d3-shape";
import { el, textEl } from "../ui/dom.js";
import { formatShort } from "../ui/format.js";
import { t, tPlain } from "../ui/i18n.js";
import { formatMetric, trainingStory } from "./trainingStory.js";

// A panel's geometry in viewBox units: drawn 1 CSS pixel per unit at WIDTH, scaled with its box (curves.css), so
// its text (11 units) stays above 9.5 CSS pixels in a 272-pixel column (a 320-pixel phone less the page's margins).
const WIDTH = 300;
const PLOT_HEIGHT = 132;
const MARGIN = { left: 38, right: 12, bottom: 34, top: 6 };
const ROW = 14; // a row of marker labels above the plot
const CHAR = 5.6; // the width of a marker label's character, estimated: the panel is not laid out yet when drawn
const GAP = 6; // between two marker labels in a row
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u; // wide characters

/** The width of `text` in viewBox units, estimated: a CJK character (Chinese labels) is about twice a Latin one. */
function textWidth(text) {
  let width = 0;
  for (const c of text) width += WIDE.test(c) ? 2 * CHAR : CHAR;
  return width;
}

/** The markers of `story`: {epoch, text, kind ("kept" | "rate" | "stopped")}, in the order their labels are placed. */
function markers(story) {
  const list = [];
  if (story.kept) list.push({ epoch: story.kept.epoch, text: t("curves.marker.kept"), kind: "kept" });
  for (const drop of story.rateDrops) {
    const factor = formatShort(drop.factor);
    list.push({ epoch: drop.epoch, text: tPlain("curves.marker.rate", { factor }), kind: "rate", factor });
  }
  if (story.stopped.early) list.push({ epoch: story.stopped.epoch, text: t("curves.marker.stopped"), kind: "stopped" });
  return list;
}

/**
 * Rows and anchors for the labels of `list` (markers at plot x `x(epoch)`, labels kept within [lo, hi]): each goes to
 * the first row where it fits beside its line (right, then left) or centred on it, overlapping no label of that row
 * and crossed by no other marker's line (which runs from its label down to the plot). Returns [{...marker, x, row,
 * anchor ("start" | "end" | "middle"), at (the text's x)}].
 */
function placeLabels(list, x, lo, hi) {
  const placed = [];
  const fits = (row, from, to, px) =>
    placed.every((p) => {
      if (p.row === row && from < p.to + GAP && to + GAP > p.from) return false; // two labels overlap
      if (p.row < row && p.x > from - 2 && p.x < to + 2) return false; // a line from above crosses this label
      if (p.row > row && px > p.from - 2 && px < p.to + 2) return false; // this line crosses a label below
      return true;
    });
  for (const marker of list) {
    const px = x(marker.epoch);
    const width = textWidth(marker.text) * (marker.kind === "kept" ? 1.1 : 1); // "weights kept" is bold
    const centre = Math.min(Math.max(px - width / 2, lo), hi - width);
    const options = [
      { anchor: "start", from: px + 3, to: px + 3 + width, at: px + 3 },
      { anchor: "end", from: px - 3 - width, to: px - 3, at: px - 3 },
      { anchor: "middle", from: centre, to: centre + width, at: centre + width / 2 },
    ];
    const inside = options.filter((o) => o.from >= lo && o.to <= hi);
    if (inside.length === 0) inside.push(options[2]); // a label wider than the panel: centred, it overflows both sides
    for (let row = 0; ; row++) {
      const option = inside.find((o) => fits(row, o.from, o.to, o.anchor === "middle" ? Number.NaN : px));
      if (option || row > list.length) {
        placed.push({ ...marker, ...(option ?? inside[0]), x: px, row }); // no row fits: the first free one below
        break;
      }
    }
  }
  return placed;
}

/** The y scale of a panel showing `series`, over [height, 0]. */
function yScale(series, height) {
  const values = series.flatMap((s) => s.values).filter(Number.isFinite);
  let [min, max] = [Math.min(...values), Math.max(...values)];
  if (min === max) [min, max] = [min - Math.abs(min) * 0.1 - 0.01, max + Math.abs(max) * 0.1 + 0.01];
  return scaleLinear().domain([min, max]).range([height, 0]).nice(4);
}

/** A y tick label: losses as numbers, accuracies in percent. */
function tickText(panel) {
  return panel === "accuracy" ? (v) => `${formatShort(v * 100)}%` : (v) => formatShort(v);
}

/** The SVG of one panel (`panel`'s series of `story`), with the marker labels `labels` in `rows` rows above it. */
function drawPanel(story, panel, x, labels, rows) {
  const series = story.series.filter((s) => s.panel === panel);
  const top = MARGIN.top + rows * ROW;
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const height = top + PLOT_HEIGHT + MARGIN.bottom;
  const y = yScale(series, PLOT_HEIGHT);
  const svg = create("svg:svg")
    .attr("class", "tcurves-svg")
    .attr("viewBox", `0 0 ${WIDTH} ${height}`)
    .attr("aria-hidden", "true")
    .attr("focusable", "false");
  const plot = svg.append("g").attr("transform", `translate(${MARGIN.left},${top})`);

  plot
    .append("g")
    .attr("class", "tcurves-axis tcurves-y")
    .call(axisLeft(y).ticks(4).tickSize(-innerWidth).tickPadding(5).tickFormat(tickText(panel)))
    .call((g) => g.select(".domain").remove());
  const [first, last] = x.domain();
  const epochTicks = x
    .ticks(Math.min(story.epochs.length, 7))
    .filter((e) => Number.isInteger(e) && e >= 1 && e <= story.epochs.length);
  plot
    .append("g")
    .attr("class", "tcurves-axis tcurves-x")
    .attr("transform", `translate(0,${PLOT_HEIGHT})`)
    .call(axisBottom(x).tickValues(epochTicks).tickFormat(String).tickSizeOuter(0));
  plot
    .append("text")
    .attr("class", "tcurves-axis-title")
    .attr("x", (x(first) + x(last)) / 2)
    .attr("y", PLOT_HEIGHT + 30)
    .attr("text-anchor", "middle")
    .text(t("curves.axis.epoch"));

  // the markers in reverse: the kept weights' line comes last, over a cut of the rate at the same epoch
  for (const label of [...labels].reverse()) {
    const marker = plot.append("g").attr("class", `tcurves-marker is-${label.kind}`);
    const labelTop = -top + MARGIN.top + label.row * ROW;
    marker
      .append("line")
      .attr("x1", label.x)
      .attr("x2", label.x)
      .attr("y1", labelTop + (label.anchor === "middle" ? ROW : 2))
      .attr("y2", PLOT_HEIGHT);
    marker
      .append("text")
      .attr("x", label.at)
      .attr("y", labelTop + ROW - 4)
      .attr("text-anchor", label.anchor)
      .text(label.text);
  }

  const keptIndex = (story.kept?.epoch ?? 0) - 1;
  for (const s of series) {
    const role = s.dashed ? "is-validation" : "is-training";
    const path = line()
      .defined(Number.isFinite)
      .x((_, i) => x(i + 1))
      .y((v) => y(v));
    plot.append("path").attr("class", `tcurves-line ${role}`).attr("d", path(s.values));
    const points = plot.append("g").attr("class", `tcurves-points ${role}`);
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      points
        .append("circle")
        .attr("class", i === keptIndex ? "is-kept" : null)
        .attr("cx", x(i + 1))
        .attr("cy", y(v))
        .attr("r", i === keptIndex ? 3.6 : 2.4)
        .append("title")
        .text(tPlain("curves.point", { epoch: i + 1, series: s.label, value: formatMetric(s.key, v) }));
    });
  }
  return svg.node();
}

/** The legend: which line is training and which validation (by colour and by dashes). */
function legend(story) {
  const element = el("div", "tcurves-legend");
  element.setAttribute("aria-hidden", "true"); // the caption and the table name the lines
  const roles = [
    { dashed: false, text: t("curves.legend.training"), role: "is-training" },
    { dashed: true, text: t("curves.legend.validation"), role: "is-validation" },
  ].filter((r) => story.series.some((s) => s.dashed === r.dashed));
  for (const { text, role } of roles) {
    const item = el("span", "tcurves-legend-item", element);
    const swatch = create("svg:svg").attr("viewBox", "0 0 28 10").attr("width", 28).attr("height", 10);
    swatch
      .append("line")
      .attr("class", `tcurves-line ${role}`)
      .attr("x1", 1)
      .attr("x2", 27)
      .attr("y1", 5)
      .attr("y2", 5);
    item.append(swatch.node());
    textEl("span", "", text, item);
  }
  return element;
}

/** The table of every value per epoch, for screen readers: the series, the learning rate, and what happened. */
function valueTable(story, labels) {
  // in a hidden box, not hidden itself: a table is never narrower than its content, and would widen the page
  const box = el("div", "visually-hidden");
  const table = el("table", "", box);
  textEl("caption", "", t("curves.table.caption"), table);
  const rate = story.learningRate;
  const heads = [
    t("curves.table.epoch"),
    ...story.series.map((s) => s.label),
    ...(rate ? [t("curves.table.rate")] : []),
    t("curves.table.event"),
  ];
  const headRow = el("tr", "", el("thead", "", table));
  for (const head of heads) textEl("th", "", head, headRow).scope = "col";
  const body = el("tbody", "", table);
  for (const epoch of story.epochs) {
    const row = el("tr", "", body);
    textEl("th", "", String(epoch), row).scope = "row";
    for (const s of story.series) textEl("td", "", formatMetric(s.key, s.values[epoch - 1]), row);
    if (rate)
      textEl("td", "", Number.isFinite(rate[epoch - 1]) ? formatShort(rate[epoch - 1]) : t("training.missing"), row);
    const events = labels
      .filter((l) => l.epoch === epoch)
      .map((l) => (l.kind === "rate" ? tPlain("curves.table.rateCut", { factor: l.factor }) : l.text));
    textEl("td", "", events.join(t("curves.table.separator")), row);
  }
  return box;
}

/**
 * Fill `root` with the training story chart of `history` (window.CNN_EXPLAIN_INSIGHTS.history): a figure
 * (data-testid "training-curves") with a legend, a panel per kind of curve (loss, accuracy) that the history has,
 * the story as caption and the values as a visually hidden table. Returns {element}, or nothing when the history
 * holds no curve (root is then left as it is). Static: draw it again for another history.
 */
export function createTrainingCurves(root, history) {
  const story = trainingStory(history);
  if (!story) return undefined;
  const element = el("figure", "tcurves");
  element.dataset.testid = "training-curves";
  const last = story.epochs.length;
  const x = scaleLinear()
    .domain(last > 1 ? [1, last] : [0, 2])
    .range([0, WIDTH - MARGIN.left - MARGIN.right]);
  const labels = placeLabels(markers(story), x, 2 - MARGIN.left, WIDTH - MARGIN.left - 2);
  const rows = labels.length ? Math.max(...labels.map((l) => l.row)) + 1 : 0;

  element.append(legend(story));
  const panels = el("div", "tcurves-panels", element);
  panels.setAttribute("aria-hidden", "true");
  for (const panel of story.panels) {
    const box = el("div", "tcurves-panel", panels);
    textEl("p", "tcurves-title", t(`curves.panel.${panel}`), box);
    box.append(drawPanel(story, panel, x, labels, rows));
  }
  textEl("figcaption", "tcurves-caption", story.summary, element);
  element.append(valueTable(story, labels));
  root.append(element);
  return { element };
}
