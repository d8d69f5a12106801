// The confusion matrix of the held-out test set: one cell per (true class, predicted class) with its count, shaded
// by its share of the row; a click shows the test images stored for the cell, and a click on one loads it.

import { relativeLuminance } from "../ui/colors.js";
import { el, textEl } from "../ui/dom.js";
import { formatPercent } from "../ui/format.js";
import { formatInteger, t, tNodes } from "../ui/i18n.js";
import { watchScroll } from "../ui/scroll.js";
import { bdi, isolate } from "../ui/text.js";
import { perClassAccuracy, rowRate } from "./data.js";
import { testImageButton } from "./thumbnails.js";

const HIT = [5, 80, 174]; // right: blue; wrong: red
const MISS = [207, 34, 46];

/** The colour of a cell of `tint` at `strength` (0..1): up to 90% of the tint over white. */
function cellColour(tint, strength) {
  const a = 0.9 * strength;
  return tint.map((c) => Math.round(255 * (1 - a) + c * a));
}

/**
 * The matrix of `insights` (decodeInsights) in `root`, for a model of `classes` reading `shape` images;
 * `onPick(image)` loads a test image. Returns {element}.
 */
export function createConfusion(root, insights, { classes, shape, onPick }) {
  const { counts, cells } = insights;
  const accuracy = perClassAccuracy(counts);
  const scroll = el("div", "table-scroll confusion-scroll", root);
  watchScroll(scroll); // wider than a phone: it scrolls, and its edge fades to say so
  const table = el("table", "confusion", scroll);
  table.dataset.testid = "confusion-matrix";
  textEl("caption", "visually-hidden", t("confusion.caption", { count: insights.testCount }), table);
  const head = el("tr", null, el("thead", null, table));
  textEl("th", "confusion-corner", t("confusion.corner"), head).scope = "col";
  classes.forEach((name) => {
    const th = el("th", "confusion-column", head);
    th.scope = "col";
    th.title = isolate(name); // a long name is cut short on a phone
    th.append(bdi(name));
  });
  textEl("th", "confusion-accuracy", t("confusion.correct"), head).scope = "col";

  const detail = el("div", "confusion-detail", root);
  const title = el("p", "confusion-detail-title", detail);
  title.setAttribute("aria-live", "polite"); // the title only: the images' names would be read out too
  const strip = el("div", "test-image-strip", detail);
  let chosen = null;

  function show(button, actual, said) {
    chosen?.setAttribute("aria-pressed", "false");
    chosen = button;
    button.setAttribute("aria-pressed", "true");
    strip.replaceChildren();
    const refs = cells[actual][said];
    const n = counts[actual][said];
    const key = `confusion.detail.${actual === said ? "right" : "wrong"}${refs.length < n ? ".some" : ""}`;
    title.replaceChildren(
      tNodes(key, { truth: classes[actual], predicted: classes[said], count: n, shown: refs.length }),
    );
    for (const ref of refs) testImageButton(strip, insights.pool.image(ref), { shape, classes, onPick });
  }

  const body = el("tbody", null, table);
  counts.forEach((row, actual) => {
    const tr = el("tr", null, body);
    const th = el("th", "confusion-row", tr);
    th.scope = "row";
    th.title = isolate(classes[actual]);
    th.append(bdi(classes[actual]));
    row.forEach((n, said) => {
      const td = el("td", actual === said ? "is-hit" : "is-miss", tr);
      const rate = rowRate(counts, actual, said);
      const label = t("confusion.cell", {
        truth: classes[actual],
        predicted: classes[said],
        count: n,
        total: row.reduce((a, b) => a + b, 0),
        percent: formatPercent(rate),
      });
      const cell =
        n > 0 && cells[actual][said].length ? el("button", "confusion-cell", td) : el("span", "confusion-cell", td);
      cell.textContent = formatInteger(n);
      cell.dataset.trueClass = classes[actual];
      cell.dataset.predictedClass = classes[said];
      cell.dataset.count = String(n);
      cell.title = label;
      cell.setAttribute("aria-label", label);
      const colour = cellColour(actual === said ? HIT : MISS, Math.sqrt(rate)); // sqrt: a 1% mistake is still visible
      td.style.background = `rgb(${colour.join(", ")})`;
      // black digits, or white where they contrast more: at least 4.58:1 either way (equal at a luminance of 0.179)
      td.classList.toggle("is-dark", relativeLuminance(...colour) < 0.179);
      if (cell.tagName === "BUTTON") {
        cell.type = "button";
        cell.setAttribute("aria-pressed", "false");
        cell.addEventListener("click", () => show(cell, actual, said));
      }
    });
    const correct = accuracy[actual];
    textEl("td", "confusion-accuracy", correct === null ? "–" : formatPercent(correct), tr);
  });
  return { element: table };
}
