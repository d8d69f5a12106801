// The element helpers every part of the page builds with: elements, text, icons, ids, absolute placement.

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
  power: "M8 2.5v5M4.8 4.6a4.5 4.5 0 1 0 6.4 0",
  link: "M6.5 9.5l3-3M7.2 4.8l1.3-1.3a2.5 2.5 0 013.5 3.5L10.7 8.3M8.8 11.2l-1.3 1.3a2.5 2.5 0 01-3.5-3.5L5.3 7.7",
};

/** A 16x16 SVG icon: play, pause, previous, next, close, back, link or power (a channel's switch). */
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

/** Place absolutely positioned `node` at (x, y) CSS pixels, `w` x `h` when given. */
export function place(node, x, y, w, h) {
  node.style.left = `${x}px`;
  node.style.top = `${y}px`;
  if (w !== undefined) node.style.width = `${w}px`;
  if (h !== undefined) node.style.height = `${h}px`;
}

/** A `width` x `height` canvas of class `className` in `parent`, shown as an image named `label` (data-testid `testid`). */
export function imageCanvas(parent, className, width, height, label, testid) {
  const canvas = el("canvas", className, parent);
  canvas.width = width;
  canvas.height = height;
  canvas.dataset.testid = testid;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  return canvas;
}

/**
 * Add the style sheet at `href` to the page: a Promise, resolved once it applies; at once for no `href` (a one-file
 * page holds every style inline: builder/single.py).
 */
export function loadStyle(href) {
  if (!href) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
    link.onload = () => resolve();
    link.onerror = () => reject(new Error(`${href} did not load`));
    document.head.append(link);
  });
}

/**
 * Add a classic script `src` to the page (fetch() fails under file://); resolves to `exported()` once it has run, at
 * once when it is already there. A one-file page holds every script inline (builder/single.py), some after app.js:
 * while the page is still being read, those the parser has not reached yet are waited for (they run before
 * DOMContentLoaded).
 */
export function loadScript(src, exported) {
  if (exported()) return Promise.resolve(exported());
  if (document.readyState === "loading") {
    return new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true })).then(() =>
      loadScript(src, exported),
    );
  }
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => (exported() ? resolve(exported()) : reject(new Error(`${src} did not run`)));
    script.onerror = () => reject(new Error(`${src} did not load`));
    document.head.append(script);
  });
}
