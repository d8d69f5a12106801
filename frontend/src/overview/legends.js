// The overview's colour legends: one under each group of columns that shares a colour range (network/ranges.js).

import { divergingLut, greyLut, lutGradient } from "../ui/colors.js";
import { el, place } from "../ui/dom.js";
import { formatValue } from "../ui/format.js";
import { t, tPlain } from "../ui/i18n.js";
import { groupSpans } from "./layout.js";

const COMPACT = 64; // narrower legends show one "±max" label under the bar

/** The legends on `stage`: {build(layout, groups), draw(ranges, numbers, inputMax)}. */
export function createLegends(stage) {
  const diverging = divergingLut();
  const grey = greyLut();
  const legends = [];
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
        node.classList.toggle("legend-compact", width < COMPACT); // three labels would overlap
        legends.push({ node, group, labels });
      }
    },
    /** Write each legend's range from `ranges` (name -> {min, max}); `numbers` writes the ends of signed ones. */
    draw(ranges, numbers, inputMax) {
      for (const legend of legends) {
        const [lo, mid, hi] = legend.labels;
        const range = ranges.get(legend.group.layers[0]);
        const compact = legend.node.classList.contains("legend-compact");
        if (legend.group.kind === "input") {
          const top = String(Number(inputMax.toPrecision(3)));
          lo.textContent = compact ? "" : "0";
          mid.textContent = compact ? `0–${top}` : String(Number((inputMax / 2).toPrecision(3)));
          hi.textContent = compact ? "" : top;
        } else {
          // Clipped: a few maps go beyond the range and are drawn at full colour, which "≥" and "≤" say.
          const clipped = range.extent > range.max;
          const [atLeast, atMost] = clipped ? ["≥", "≤"] : ["", ""];
          lo.textContent = numbers && !compact ? `${atMost}${formatValue(range.min)}` : "";
          mid.textContent = compact ? (numbers ? `±${formatValue(range.max)}${clipped ? "+" : ""}` : "") : "0";
          hi.textContent = numbers && !compact ? `${atLeast}${formatValue(range.max)}` : "";
          const beyond = { max: formatValue(range.max), extent: formatValue(range.extent) };
          legend.node.title = clipped ? tPlain("overview.legend.clipped", beyond) : "";
          legend.node.dataset.extent = String(range.extent);
        }
        legend.node.dataset.min = String(range.min);
        legend.node.dataset.max = String(range.max);
      }
    },
  };
}
