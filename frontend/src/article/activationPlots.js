// The article's figure of four activation functions (ReLU, tanh, |tanh|, sigmoid): a small plot of each, drawn from
// the functions themselves (activationMath.js), and one slider of the input z that moves a dot along every curve and
// prints each value. Built with its section, near the screen (article.js); its words are the template's.

import {
  ACTIVATIONS,
  HEIGHT,
  START_Z,
  WIDTH,
  Y,
  Z,
  Z_STEP,
  curvePoints,
  readZ,
  toPlot,
  valuesAt,
} from "./activationMath.js";
import { el, textEl } from "../ui/dom.js";
import { formatShort } from "../ui/format.js";

const SVG = "http://www.w3.org/2000/svg";
const MARGIN = 6; // room around the box for the dot and the ends of the axes

/** A new SVG `tag` in `parent` with `attributes`. */
function svgEl(tag, attributes, parent) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  parent.appendChild(node);
  return node;
}

/** One plot of `activation` in `parent`: its axes and curve; returns {dot, value} to move. */
function plot(parent, { name, f }, used) {
  const box = el("div", `act-plot${used ? " is-used" : ""}`, parent);
  box.dataset.function = name;
  const svg = svgEl(
    "svg",
    {
      viewBox: `${-MARGIN} ${-MARGIN} ${WIDTH + 2 * MARGIN} ${HEIGHT + 2 * MARGIN}`,
      class: "act-svg",
      "aria-hidden": "true",
      "data-z-min": Z[0],
      "data-z-max": Z[1],
      "data-y-min": Y[0],
      "data-y-max": Y[1],
      "data-width": WIDTH,
      "data-height": HEIGHT,
    },
    box,
  );
  const [left, zero] = toPlot(Z[0], 0);
  const [origin, bottom] = toPlot(0, Y[0]);
  const [right, top] = toPlot(Z[1], Y[1]);
  for (const y of [1, -1]) {
    const [, level] = toPlot(0, y);
    svgEl("line", { class: "act-grid", x1: left, y1: level, x2: right, y2: level }, svg);
  }
  svgEl("line", { class: "act-axis", x1: left, y1: zero, x2: right, y2: zero }, svg);
  svgEl("line", { class: "act-axis", x1: origin, y1: bottom, x2: origin, y2: top }, svg);
  svgEl("polyline", { class: "act-curve", points: curvePoints(f) }, svg);
  const dot = svgEl("circle", { class: "act-dot", r: 3.2 }, svg);
  const value = textEl("div", "act-value", "", box);
  value.dataset.testid = "activation-value";
  return { dot, value };
}

/**
 * Fill the figure `root` (#activation-plots: a .act-plots box, a range input and an output for z) with the four
 * plots, outlining those of the functions named in `root.dataset.used` (the model's own), and follow its slider.
 */
export function createActivationPlots(root) {
  const grid = root.querySelector(".act-plots");
  const input = root.querySelector("input[type=range]");
  const shown = root.querySelector("output");
  if (!grid || !input) return;
  const used = (root.dataset.used ?? "").split(" ");
  const plots = ACTIVATIONS.map((activation) => plot(grid, activation, used.includes(activation.name)));
  Object.assign(input, { min: String(Z[0]), max: String(Z[1]), step: String(Z_STEP), value: String(START_Z) });
  const show = () => {
    const z = readZ(input.value);
    input.dataset.z = String(z);
    if (shown) shown.textContent = formatShort(z);
    valuesAt(z).forEach(({ value, text, point: [x, y] }, i) => {
      plots[i].dot.setAttribute("cx", String(x));
      plots[i].dot.setAttribute("cy", String(y));
      plots[i].value.textContent = text;
      plots[i].value.dataset.value = String(value);
    });
  };
  input.addEventListener("input", show);
  show();
}
