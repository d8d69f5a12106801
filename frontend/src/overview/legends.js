// The overview's colour legends: one under each group of columns that shares a colour range (network/ranges.js),
// with as many of their numbers as fit apart from each other in their width.

import { divergingLut, greyLut, lutGradient } from "../ui/colors.js";
import { el, place } from "../ui/dom.js";
import { formatValue } from "../ui/format.js";
import { t, tPlain } from "../ui/i18n.js";
import { groupSpans } from "./layout.js";

const COMPACT = 64; // a legend of several layers is at least this wide
const GAP = 6; // CSS px between two labels of a legend

/**
 * The labels to write under a legend `width` CSS pixels wide, given the width of a text (`widthOf`): all three of
 * `full` ([min, middle, max]; "" for none) when they fit with GAP between them, else its two ends, else only
 * `compact` in the middle, which may reach past the bar's ends. Returns {texts: [3 strings], compact}.
 */
export function fitLabels(full, compact, widthOf, width) {
  const fits = (texts) => {
    const shown = texts.filter(Boolean);
    return shown.reduce((sum, text) => sum + widthOf(text), 0) + GAP * (shown.length - 1) <= width;
  };
  if (fits(full)) return { texts: full, compact: false };
  const ends = [full[0], "", full[2]];
  if (full[0] && full[2] && fits(ends)) return { texts: ends, compact: false };
  return { texts: ["", compact, ""], compact: true };
}

/** The width (CSS px) of a text in the font of `node`, measured on a canvas (no layout). */
function measurer(node) {
  const style = getComputedStyle(node);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  return (text) => context.measureText(text).width;
}

/** The legends on `stage`: {build(layout, groups), draw(ranges, numbers, inputMax)}. */
export function createLegends(stage) {
  const diverging = divergingLut();
  const grey = greyLut();
  const legends = [];
  let widthOf = null; // in the legends' font, read at the first build
  return {
    /** One legend for each of `groups` ([{kind, layers}]), under its columns in `layout`. */
    build(layout, groups) {
      for (const legend of legends) legend.node.remove();
      legends.length = 0;
      for (const group of groupSpans(layout.columns, groups)) {
        const node = el("div", "legend", stage);
        node.dataset.testid = "legend";
        node.dataset.layers = group.layers.join(" ");
        const bar = el("div", "legend-bar", node);
        bar.style.background = lutGradient(group.kind === "input" ? grey : diverging);
        const ticks = el("div", "legend-ticks", node);
        const labels = [0, 1, 2].map(() => el("span", "", ticks));
        const layers = group.layers.join(t("overview.legend.separator"));
        node.setAttribute(
          "aria-label",
          group.kind === "input" ? t("overview.legend.input") : tPlain("overview.legend.layers", { layers }),
        );
        const width = Math.max(group.width, group.layers.length === 1 ? 0 : COMPACT);
        const x = Math.min(Math.max(2, group.x + group.width / 2 - width / 2), layout.width - width - 2);
        place(node, x, layout.legendTop, width);
        legends.push({ node, group, labels, width });
        widthOf ??= measurer(node);
      }
    },
    /** Write each legend's range from `ranges` (name -> {min, max}); `numbers` writes the ends of signed ones. */
    draw(ranges, numbers, inputMax) {
      for (const legend of legends) {
        const range = ranges.get(legend.group.layers[0]);
        let full;
        let compact;
        if (legend.group.kind === "input") {
          const top = String(Number(inputMax.toPrecision(3)));
          full = ["0", String(Number((inputMax / 2).toPrecision(3))), top];
          compact = `0–${top}`;
        } else {
          // Clipped: a few maps go beyond the range and are drawn at full colour, which "≥" and "≤" say.
          const clipped = range.extent > range.max;
          const [atLeast, atMost] = clipped ? ["≥", "≤"] : ["", ""];
          full = numbers
            ? [`${atMost}${formatValue(range.min)}`, "0", `${atLeast}${formatValue(range.max)}`]
            : ["", "0", ""];
          compact = numbers ? `±${formatValue(range.max)}${clipped ? "+" : ""}` : "";
          const beyond = { max: formatValue(range.max), extent: formatValue(range.extent) };
          legend.node.title = clipped ? tPlain("overview.legend.clipped", beyond) : "";
          legend.node.dataset.extent = String(range.extent);
        }
        const fitted = fitLabels(full, compact, widthOf, legend.width);
        fitted.texts.forEach((text, i) => {
          legend.labels[i].textContent = text;
        });
        legend.node.classList.toggle("legend-compact", fitted.compact);
        legend.node.dataset.min = String(range.min);
        legend.node.dataset.max = String(range.max);
      }
    },
  };
}
