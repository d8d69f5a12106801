// Small DOM pieces the explanation views share: elements, icons, headers, colour legends, coloured number cells.

import { lutColor, lutGradient, lutIndex } from "../ui/colors.js";
import { formatShort } from "../ui/format.js";

const SVG = "http://www.w3.org/2000/svg";

/** A new `tag` element with `className` (optional), appended to `parent` (optional). */
export function el(tag, className, parent) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (parent) parent.appendChild(node);
  return node;
}

/** A new `tag` element holding `text` (a string, or nodes such as ui/text.js's fill), appended to `parent` (optional). */
export function textEl(tag, className, text, parent) {
  const node = el(tag, className, parent);
  if (text instanceof Node) node.append(text);
  else node.textContent = text;
  return node;
}

const ICONS = {
  play: "M5 3.5v9l8-4.5z",
  pause: "M4.5 3h2.5v10H4.5zM9 3h2.5v10H9z",
  previous: "M3 3h2v10H3zM13 3.5v9L6 8z",
  next: "M11 3h2v10h-2zM3 3.5v9L10 8z",
  close: "M4 4l8 8M12 4l-8 8",
  back: "M10 3.5L5.5 8l4.5 4.5",
};

/** A 16x16 SVG icon: play, pause, previous, next, close or back. */
export function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", `icon icon-${name}`);
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", ICONS[name]);
  svg.appendChild(path);
  return svg;
}

/** A button showing icon `name`, labelled `label` for assistive technology and as a tooltip. */
export function iconButton(name, label, parent) {
  const button = el("button", "vbtn", parent);
  button.type = "button";
  button.setAttribute("aria-label", label);
  button.title = label;
  button.appendChild(icon(name));
  return button;
}

let lastId = 0;

/** A new element id starting with `prefix` (ids never carry layer names: those may hold spaces). */
export function uniqueId(prefix) {
  lastId += 1;
  return `${prefix}-${lastId}`;
}

/** A view's heading: its title (the id is for aria-labelledby) and a sentence saying what it shows. */
export function viewHeader(id, title, summary, parent) {
  const header = el("header", "vw-head", parent);
  const heading = textEl("h2", "vw-title", title, header);
  heading.id = id;
  textEl("p", "vw-summary", summary, header);
  return header;
}

/** A colour legend titled `title` (text or nodes) for `lut`: {element, update(range)}; ticks at min, 0 (or the middle) and max. */
export function createLegend(title, lut) {
  const element = el("div", "vlegend");
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
      element.setAttribute(
        "aria-label",
        `${title}: colours from ${formatShort(range.min)} to ${formatShort(range.max)}`,
      );
    },
  };
}

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
