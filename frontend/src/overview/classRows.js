// The overview's class column: one row per class (for many classes, the most probable ones and one row for the
// rest), with its name, a bar and its probability; the top class and the true class marked.

import { el, place } from "../ui/dom.js";
import { t } from "../ui/i18n.js";
import { classRowCount, MAX_CLASS_ROWS, TOP_CLASSES } from "./layout.js";

/** The class rows of `column` (the last of network.js's columns) on `stage`: {label, elements, rowClasses}. */
export function createClassRows(stage, column, classes, label) {
  const rowCount = classRowCount(classes.length);
  const summarised = classes.length > MAX_CLASS_ROWS;
  const elements = [];
  // A list, so a screen reader says how many classes there are and reads each row on its own; each row is a
  // button that opens the view of how that class's probability is computed.
  const list = el("ul", "class-list", stage);
  list.setAttribute("aria-label", t("overview.classes"));
  for (let r = 0; r < rowCount; r++) {
    const item = el("li", "class-item", list);
    const row = el("div", "class-row", item);
    const rest = summarised && r === rowCount - 1; // the other classes, summed: nothing to open
    if (!rest) row.setAttribute("role", "button");
    const name = el("span", "class-name", row);
    name.dir = "auto"; // a class name may be written right to left
    // in reading order (the grid places them): "Sandal true class 93.1%" is the row's name, as shown
    const truth = el("span", "class-truth", row);
    truth.textContent = t("overview.classes.truth");
    el("span", "visually-hidden", truth).textContent = t("overview.classes.truth.spoken"); // read after it
    truth.title = t("overview.classes.truth.hint");
    const bar = el("span", "class-bar", row);
    const fill = el("span", "class-fill", bar);
    const was = el("span", "class-base", bar); // what if: the probability it is compared with
    was.hidden = true;
    const pct = el("span", "class-pct", row);
    row.tabIndex = r === 0 ? 0 : -1;
    if (!summarised) row.setAttribute("data-class", classes[r]);
    if (rest) row.classList.add("class-rest");
    name.textContent = summarised ? "" : classes[r];
    elements.push({ item, row, name, fill, was, pct });
  }
  return { column, label, elements, captions: [], maps: null, rects: [], rowClasses: [], summarised, classes };
}

/** Put the rows where `geometry` (the class column of layout.js) says. */
export function placeClassRows(part, geometry) {
  place(part.label, geometry.labelX, geometry.labelY, geometry.labelWidth);
  part.elements.forEach(({ item, row }, i) => {
    const b = geometry.boxes[i];
    place(item, b.x, b.y, b.w, b.h);
    row.classList.toggle("class-row-tight", b.h < 26);
  });
}

/**
 * Show `probabilities`, the most probable class first when the rows summarise many classes; mark the top class and
 * `label` (the true class index, or null); `numbers` writes the percentages. `base` (probabilities, or null): what
 * they are compared with (the trained network, or a pinned image), a tick on each bar and in each row's title.
 */
export function drawClassRows(part, probabilities, label, numbers, base = null) {
  const { classes, summarised } = part;
  const p = probabilities;
  const order = Array.from(p, (_, i) => i).sort((a, b) => p[b] - p[a]);
  const top = order[0];
  part.rowClasses = summarised ? [...order.slice(0, TOP_CLASSES), -1] : order.map((_, i) => i);
  part.elements.forEach((item, r) => {
    const c = part.rowClasses[r];
    let value;
    if (c === -1) {
      value = order.slice(TOP_CLASSES).reduce((sum, i) => sum + p[i], 0);
      item.name.textContent = t("overview.classes.rest", { count: classes.length - TOP_CLASSES });
    } else {
      value = p[c];
      if (summarised) {
        item.row.setAttribute("data-class", classes[c]);
        item.name.textContent = classes[c];
      }
    }
    item.fill.style.transform = `scaleX(${Math.max(0, Math.min(1, value))})`;
    item.pct.textContent = numbers ? `${(value * 100).toFixed(1)}%` : "";
    const was = base && (c === -1 ? order.slice(TOP_CLASSES).reduce((sum, i) => sum + base[i], 0) : base[c]);
    item.was.hidden = !base || Math.max(was, value) < 0.005; // no tick for a class at 0 before and after
    if (base) item.was.style.left = `${Math.max(0, Math.min(1, was)) * 100}%`;
    item.was.dataset.value = base ? String(was) : "";
    item.row.title = base && numbers ? t("overview.classes.was", { percent: (was * 100).toFixed(1) }) : "";
    item.row.classList.toggle("is-top", c === top);
    item.row.classList.toggle("is-truth", c !== -1 && c === label);
  });
}
