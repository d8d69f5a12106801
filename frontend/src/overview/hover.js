// Pointing at a neuron in the overview (hover, focus, arrow keys): its incoming edges and source neurons are
// highlighted, and a tooltip says what it is and what it computes.

import { kindOf } from "../network/kinds.js";
import { el, place } from "../ui/dom.js";
import { t, tNodes } from "../ui/i18n.js";
import { bdi, fill } from "../ui/text.js";
import { neuronWhat, rangeValues } from "./columns.js";
import { incomingEdges } from "./edges.js";
import { nextNeuron } from "./layout.js";

/** How the tooltip describes neuron `index` of `column` (`source` is the column it reads). */
function describe(column, index, source) {
  if (column.kind === "input")
    return t(column.count === 3 ? `overview.rgb.${index}.ofImage` : "overview.tip.inputImage");
  return fill(kindOf(column.layer).describe(column.layer, source, index), { of: source.name });
}

/**
 * The tooltip's lines for neuron `index` of `part` (a column of the overview, reading `source`): its name and what it
 * is, what it computes, and (with `numbers`, `stats` being the column's channel ranges) its values.
 */
function tipLines(part, index, source, stats, numbers) {
  const { column } = part;
  const lines = [];
  if (column.kind === "output") {
    const c = part.rowClasses[index];
    lines.push(c === -1 ? part.elements[index].name.textContent : bdi(part.classes[c]), bdi(column.name));
    if (numbers) lines.push(tNodes("overview.tip.probability", { percent: part.elements[index].pct.textContent }));
  } else {
    const what = document.createTextNode(neuronWhat(column, index)); // words, not a name: no <bdi>
    lines.push(tNodes("overview.tip.title", { name: column.name, what }), describe(column, index, source?.column));
    if (numbers && stats) lines.push(tNodes("overview.tip.values", rangeValues(stats, index)));
  }
  return lines.map((text, i) => {
    const line = document.createElement(i === 0 ? "strong" : "span");
    line.append(text);
    return line;
  });
}

/**
 * Hover, focus and keyboard handling over `stage` for `parts` (one per network column, columns.js and classRows.js):
 * {show({column, index}), clear(), refresh() (redraw what is shown, e.g. after a new frame)}. `layout()` gives the
 * geometry (layout.js), `numbers()` whether values may be shown, `stats(name)` a column's channel ranges, `extra()`
 * null or a function (name, index) -> a node to add to the tooltip, or null.
 */
export function createHover({ stage, parts, highlightPath, layout, numbers, stats, extra }) {
  const partOf = new Map(parts.map((part) => [part.column.name, part]));
  const tip = el("div", "ov-tip", stage);
  tip.setAttribute("aria-hidden", "true");
  let active = null;

  const geometryOf = (part) => layout().columns[parts.indexOf(part)];
  const nodeAt = (part, index) => {
    const item = part.elements[index];
    return item.row || item;
  };

  function clear() {
    stage.classList.remove("is-focusing");
    for (const node of stage.querySelectorAll(".is-active, .is-source"))
      node.classList.remove("is-active", "is-source");
    highlightPath.setAttribute("d", "");
    tip.classList.remove("is-visible");
  }

  function show(target) {
    clear();
    active = target;
    const { part, index } = target;
    const { column } = part;
    stage.classList.add("is-focusing");
    nodeAt(part, index).classList.add("is-active");
    const source = column.source ? partOf.get(column.source) : null;
    const geometry = geometryOf(part);
    const paths = column.inputs.map((input, k) => {
      const from = partOf.get(input.source);
      const { d, sources } = incomingEdges(geometry, geometryOf(from), index, input, geometry.lanes[k]);
      for (const s of sources) nodeAt(from, s).classList.add("is-source");
      return d;
    });
    highlightPath.setAttribute("d", paths.join(""));
    tip.replaceChildren(...tipLines(part, index, source, numbers() ? stats(column.name) : null, numbers()));
    const more = column.kind === "spatial" ? extra()?.(column.name, index) : null;
    if (more) tip.append(more);
    const box = geometryOf(part).boxes[index];
    tip.classList.add("is-visible");
    const tipWidth = tip.offsetWidth;
    let x = box.x + box.w + 10;
    if (x + tipWidth > layout().width - 4) x = Math.max(4, box.x - tipWidth - 10);
    place(tip, x, Math.max(2, box.y + box.h / 2 - tip.offsetHeight / 2));
  }

  function targetOf(node) {
    const hit = node && node.closest && node.closest("[data-layer], .class-row");
    if (!hit || !stage.contains(hit)) return null;
    if (hit.classList.contains("class-row")) {
      const part = parts[parts.length - 1];
      return { part, index: part.elements.findIndex((item) => item.row === hit) };
    }
    return { part: partOf.get(hit.getAttribute("data-layer")), index: Number(hit.getAttribute("data-neuron")) };
  }

  function onKey(event) {
    const target = targetOf(event.target);
    if (!target || !layout()) return;
    const { part, index } = target;
    const next = nextNeuron(layout().columns, parts.indexOf(part), index, event.key);
    if (!next) return;
    event.preventDefault();
    const to = nodeAt(parts[next[0]], next[1]);
    for (const item of parts[next[0]].elements) (item.row || item).tabIndex = -1;
    nodeAt(part, index).tabIndex = parts[next[0]] === part ? -1 : 0;
    to.tabIndex = 0;
    to.focus();
  }

  function onEnter(event) {
    const target = targetOf(event.target);
    if (target && layout()) show(target);
  }

  function onLeave(event) {
    if (!targetOf(event.relatedTarget)) {
      active = null;
      clear();
    }
  }

  stage.addEventListener("keydown", onKey);
  stage.addEventListener("pointerover", onEnter);
  stage.addEventListener("pointerout", onLeave);
  stage.addEventListener("focusin", onEnter);
  stage.addEventListener("focusout", onLeave);

  return {
    show,
    /** Stop pointing at anything: no highlight, no tooltip. */
    clear() {
      active = null;
      clear();
    },
    /** Show again what is pointed at (after the overview was redrawn). */
    refresh() {
      if (active) show(active);
    },
  };
}
