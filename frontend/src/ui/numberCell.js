// A number shown in a cell coloured by its value, with ink that stays readable on it.

import { inkOn, lutColor, lutIndex } from "./colors.js";

/** Colour `node`'s background as `value` in `lut` over `range`, with text that stays readable on it. */
export function paintValue(node, value, lut, range) {
  const index = lutIndex(value, range.min, range.max, lut.length / 4);
  node.style.background = lutColor(lut, index);
  node.style.color = inkOn(lut, index);
}

/** Set `node`'s printed number (`format(value)`) and its unrounded value (data-value, read by tests). */
export function setNumber(node, value, format) {
  node.textContent = format(value);
  node.dataset.value = String(value);
}
