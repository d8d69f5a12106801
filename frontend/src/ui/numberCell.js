// A number shown in a cell coloured by its value, with ink that stays readable on it.

import { lutColor, lutIndex } from "./colors.js";

/** Whether dark text reads better than white on the RGB colour at entry `index` of `lut`. */
function darkInk(lut, index) {
  const [r, g, b] = [lut[index * 4], lut[index * 4 + 1], lut[index * 4 + 2]];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 140;
}

/** Colour `node`'s background as `value` in `lut` over `range`, with text that stays readable on it. */
export function paintValue(node, value, lut, range) {
  const index = lutIndex(value, range.min, range.max, lut.length / 4);
  node.style.background = lutColor(lut, index);
  node.style.color = darkInk(lut, index) ? "#1f2328" : "#fff";
}

/** Set `node`'s printed number (`format(value)`) and its unrounded value (data-value, read by tests). */
export function setNumber(node, value, format) {
  node.textContent = format(value);
  node.dataset.value = String(value);
}
