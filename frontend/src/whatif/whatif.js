// What if: the bar above the network while it is edited or two images are compared (a feature bundle, dist/whatif.js,
// loaded when an edit, a pinned image or the difference mode first needs it). It says that the network shown is
// edited and how, what that did to the prediction and to each layer, and offers Undo, Redo, "Back to the trained
// network"; while comparing, what A and B are, both predictions, and B = A shifted by a pixel or three. Built again
// on every change of the state it shows, in the page's language.

import { argmax } from "../network/predictions.js";
import { redoEdit, resetEdits, undoEdit } from "../state/editing.js";
import { el, textEl } from "../ui/dom.js";
import { formatInteger, t, tNodes } from "../ui/i18n.js";
import { editCounts, layerChanges, movers } from "./summary.js";

const SHIFTS = [1, 3]; // pixels: the seed article's point, that pooling forgives small shifts

const percent = (p) => (p * 100).toFixed(1);
const points = (delta) => `${delta > 0 ? "+" : "−"}${Math.abs(delta * 100).toFixed(1)}`;

function button(parent, text, testid, action, extra = {}) {
  const node = textEl("button", "whatif-button", text, parent);
  node.type = "button";
  node.dataset.testid = testid;
  Object.assign(node.dataset, extra);
  node.addEventListener("click", action);
  return node;
}

/** "2 weights, 1 bias and 1 channel switched off", in the page's language. */
function whatWasEdited(edits) {
  const counts = editCounts(edits);
  const parts = ["weights", "biases", "channels"]
    .filter((kind) => counts[kind])
    .map((kind) => t(`whatif.count.${kind}`, { count: counts[kind] }));
  return parts.length > 1
    ? t("whatif.list", { first: parts.slice(0, -1).join(t("whatif.list.separator")), last: parts.at(-1) })
    : parts[0];
}

/** Which image `pinned` (or the one shown) is, in words: "sample 3", "test image 1234", "your image". */
function imageName({ sample, testIndex }) {
  if (sample !== null && sample !== undefined) return t("whatif.image.sample", { number: sample + 1 });
  if (testIndex !== null && testIndex !== undefined)
    return t("whatif.image.test", { testIndex: formatInteger(testIndex) });
  return t("whatif.image.own");
}

/** The line that says what the page shows: an edited network, two images compared, or both. */
function stateLine(state, names) {
  const { edits, frame, pinned } = state;
  const line = el("p", "whatif-state");
  if (edits.length) line.append(tNodes("whatif.edited", { what: whatWasEdited(edits) }), " ");
  if (pinned) line.append(tNodes("whatif.comparing", { a: imageName(pinned), b: imageName(state) }), " ");
  const base = frame?.live && frame.base;
  if (!base) {
    if (frame && !frame.live) line.append(t("whatif.computing"));
    return [line];
  }
  const before = argmax(base.probabilities);
  const after = argmax(frame.probabilities);
  const values = {
    before: names[before],
    beforePercent: percent(base.probabilities[before]),
    after: names[after],
    afterPercent: percent(frame.probabilities[after]),
  };
  line.append(tNodes(pinned ? "whatif.predictions.compare" : "whatif.predictions.edited", values));
  const moves = movers(frame.probabilities, base.probabilities);
  if (!moves.length) return [line];
  const moved = el("p", "whatif-moved");
  const list = moves.map((move) => t("whatif.move", { name: names[move.index], points: points(move.delta) }));
  moved.append(t("whatif.moved", { moves: list.join(t("whatif.list.separator")) }));
  return [line, moved];
}

/** How much each layer changed, as bars: the point of comparing an image with itself shifted. */
function layerChart(state, network) {
  const { frame } = state;
  if (!frame?.live || !frame.base) return null;
  const names = network.columns.filter((c) => c.kind !== "output").map((c) => c.name);
  const changes = layerChanges(names, frame.activations, frame.base.activations);
  const most = Math.max(...changes.map((c) => c.change), 1e-9);
  const figure = el("figure", "whatif-layers");
  figure.dataset.testid = "whatif-layers";
  textEl("figcaption", "whatif-layers-caption", t("whatif.layers"), figure);
  const rows = el("div", "whatif-rows", figure);
  for (const { name, change } of changes) {
    const row = el("div", "whatif-row", rows);
    Object.assign(row.dataset, { layer: name, value: String(change) });
    textEl("span", "whatif-row-name", name, row).dir = "auto";
    const bar = el("span", "whatif-row-bar", row);
    el("span", "whatif-row-fill", bar).style.transform = `scaleX(${change / most})`;
    textEl("span", "whatif-row-value", `${Math.round(change * 100)}%`, row);
  }
  return figure;
}

/** The buttons: Undo, Redo, back to the trained network; stop comparing, B = A shifted; what changed. */
function actions(page, state) {
  const { store } = page;
  const row = el("div", "whatif-actions");
  if (state.edits.length || state.editHistory.past.length || state.editHistory.future.length) {
    button(row, t("whatif.undo"), "whatif-undo", () => undoEdit(store)).disabled = !state.editHistory.past.length;
    button(row, t("whatif.redo"), "whatif-redo", () => redoEdit(store)).disabled = !state.editHistory.future.length;
    button(row, t("whatif.reset"), "whatif-reset", () => resetEdits(store)).disabled = !state.edits.length;
  }
  if (state.pinned) {
    for (const pixels of SHIFTS) {
      button(row, t("whatif.shift", { count: pixels }), "whatif-shift", () => page.compareShifted(pixels), {
        pixels: String(pixels),
      });
    }
    button(row, t("whatif.unpin"), "whatif-unpin", () => store.set({ pinned: null }));
  }
  const difference = button(row, t("whatif.difference"), "whatif-difference", () =>
    store.set({ colorMode: state.colorMode === "difference" ? "block" : "difference" }),
  );
  difference.setAttribute("aria-pressed", String(state.colorMode === "difference"));
  difference.disabled = !state.frame?.base;
  return row;
}

/**
 * The bar over `page` (main.js): {store, network() (the network named in the page's language), compareShifted(n)}.
 * It lives in #whatif, shown while there is something to say.
 */
export function startWhatIf(page) {
  const root = document.getElementById("whatif");
  if (!root) return;
  const { store } = page;
  const render = () => {
    const state = store.get();
    const active = state.edits.length > 0 || state.pinned !== null || state.editHistory.past.length > 0;
    root.hidden = !active;
    root.classList.toggle("whatif-edited", state.edits.length > 0);
    if (!active) {
      root.replaceChildren();
      return;
    }
    const network = page.network();
    const chart = layerChart(state, network);
    root.replaceChildren(...stateLine(state, network.classes), actions(page, state), ...(chart ? [chart] : []));
  };
  const watched = ["edits", "editHistory", "pinned", "frame", "colorMode", "lang"];
  store.subscribe((state, previous) => watched.some((key) => state[key] !== previous[key]) && render());
  render();
}

// The page that loaded this script starts it (main.js): the feature's one way in.
window.cnnExplain.features.whatif = { startWhatIf };
