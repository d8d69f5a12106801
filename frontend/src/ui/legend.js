// A colour legend: a gradient bar with its range's ends (and 0) written under it, and the unrounded range in
// data-min and data-max.

import { lutGradient } from "./colors.js";
import { formatShort } from "./format.js";
import { el, textEl } from "./dom.js";
import { t } from "./i18n.js";

/**
 * A colour legend titled `title` (text or nodes) for `lut`: {element, update(range)}; ticks at min, 0 (or the middle)
 * and max. A `shared` legend describes a whole layer's range, which a view shows only with its maps on that range.
 */
export function createLegend(title, lut, { shared = false } = {}) {
  const element = el("div", shared ? "vlegend vlegend-shared" : "vlegend");
  title = textEl("span", "vlegend-title", title, element).textContent;
  const bar = el("span", "vlegend-bar", element);
  bar.style.background = lutGradient(lut);
  const ticks = el("span", "vlegend-ticks", element);
  const labels = [0, 1, 2].map(() => el("span", "", ticks));
  return {
    element,
    /** Show the range {min, max}. */
    update(range) {
      const middle = range.min < 0 && range.max > 0 ? 0 : (range.min + range.max) / 2;
      [range.min, middle, range.max].forEach((value, i) => {
        labels[i].textContent = formatShort(value);
      });
      element.dataset.min = String(range.min);
      element.dataset.max = String(range.max);
      element.setAttribute(
        "aria-label",
        t("legend.label", { title, min: formatShort(range.min), max: formatShort(range.max) }),
      );
    },
  };
}
