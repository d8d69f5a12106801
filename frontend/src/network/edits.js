// What if: edits to the network, in the page's state (state.edits), never in the model or the site. An edit changes
// one weight of a conv or dense layer, {layer, weight: "kernel" | "bias", index, value}, `index` the flat
// (row-major) index into the weight as Keras stores it (a conv kernel [kh, kw, cin, cout], a dense one [in, out]);
// or silences one output channel of a conv, activation, pooling, add or concatenate layer, {layer, silence: channel}: its values are 0
// and every layer after it reads them so. runtime.js computes the network with them. No DOM.

/** The most edits a page holds (a link could ask for millions). */
export const MOST_EDITS = 5000;

const KERNEL = /^k(\d{1,9})=(.+)$/;
const BIAS = /^b(\d{1,9})=(.+)$/;
const SILENCE = /^s(\d{1,9})$/;

/** Where `edit` sorts: by layer name, then weights before silenced channels, then index. */
function sortKey(edit) {
  const kind = edit.silence !== undefined ? 2 : edit.weight === "bias" ? 1 : 0;
  return [edit.layer, kind, edit.silence ?? edit.index];
}

function compare(a, b) {
  const [la, ka, ia] = sortKey(a);
  const [lb, kb, ib] = sortKey(b);
  return la < lb ? -1 : la > lb ? 1 : ka - kb || ia - ib;
}

const sameTarget = (a, b) =>
  a.layer === b.layer &&
  (a.silence !== undefined
    ? a.silence === b.silence
    : b.silence === undefined && a.weight === b.weight && a.index === b.index);

/**
 * `edits` (a sorted list) with `edit` in force: a weight's new value replaces any earlier one for that weight;
 * {layer, silence, on: false} switches a silenced channel on again. Sorted, so equal edits give equal lists.
 */
export function withEdit(edits, edit) {
  const rest = edits.filter((e) => !sameTarget(e, edit));
  if (edit.silence !== undefined) {
    return edit.on === false ? rest : [...rest, { layer: edit.layer, silence: edit.silence }].sort(compare);
  }
  const { layer, weight, index, value } = edit;
  return [...rest, { layer, weight, index, value }].sort(compare);
}

/** Layer `name`'s edits in `edits`: {kernel: Map index -> value, bias: Map channel -> value, silenced: Set}. */
export function editsOf(edits, name) {
  const kernel = new Map();
  const bias = new Map();
  const silenced = new Set();
  for (const edit of edits) {
    if (edit.layer !== name) continue;
    if (edit.silence !== undefined) silenced.add(edit.silence);
    else (edit.weight === "bias" ? bias : kernel).set(edit.index, edit.value);
  }
  return { kernel, bias, silenced };
}

/** A copy of `values` (a Float32Array) with `changes` (index -> value) written in; `values` itself when none. */
export function withValues(values, changes) {
  if (!changes.size) return values;
  const copy = Float32Array.from(values);
  for (const [index, value] of changes) copy[index] = value;
  return copy;
}

/** A signature of layer `name`'s edits in `edits`: equal for equal edits (to reuse what was computed from them). */
export function signature(edits, name) {
  return JSON.stringify(edits.filter((edit) => edit.layer === name));
}

/** How many values a layer's weight holds: its conv kernel, dense kernel or bias; 0 for a layer without it. */
function weightSize(layer, weight) {
  if (layer.kind !== "conv" && layer.kind !== "dense") return 0;
  const out = layer.kind === "conv" ? layer.filters : layer.units;
  if (weight === "bias") return layer.use_bias === false ? 0 : out;
  const inputs = layer.input_shape[layer.input_shape.length - 1];
  return layer.kind === "conv" ? layer.kernel_size[0] * layer.kernel_size[1] * inputs * out : inputs * out;
}

/** Whether `edit` fits `network` (network.js): its layer, a weight the layer has and an index within it. */
export function fits(network, edit) {
  const info = network.info(edit.layer);
  if (!info) return false;
  const { layer } = info;
  if (edit.silence !== undefined) {
    const silenceable = ["conv", "activation", "pool", "merge"].includes(info.view);
    return silenceable && Number.isInteger(edit.silence) && edit.silence >= 0 && edit.silence < layer.shape.at(-1);
  }
  const size = weightSize(layer, edit.weight);
  return Number.isInteger(edit.index) && edit.index >= 0 && edit.index < size && Number.isFinite(edit.value);
}

/**
 * `edits` as a link's text: layers joined by "|", each its name (URI-encoded), ":" and its edits joined by ",":
 * `k<index>=<value>` for a kernel weight, `b<channel>=<value>` for a bias, `s<channel>` for a silenced channel, e.g.
 * "conv_1_1:k12=0.5,b3=-0.25|conv_1_2:s4". Values are written as JavaScript writes the number: read back exactly.
 */
export function editsText(edits) {
  const layers = new Map();
  for (const edit of edits) {
    const items = layers.get(edit.layer) ?? [];
    if (edit.silence !== undefined) items.push(`s${edit.silence}`);
    else items.push(`${edit.weight === "bias" ? "b" : "k"}${edit.index}=${String(edit.value)}`);
    layers.set(edit.layer, items);
  }
  return [...layers].map(([name, items]) => `${encodeURIComponent(name)}:${items.join(",")}`).join("|");
}

/** The edits a link's text (editsText's) holds, sorted; what it cannot read is left out, and any past MOST_EDITS. */
export function readEdits(text) {
  let edits = [];
  let count = 0;
  for (const part of (text ?? "").split("|")) {
    const at = part.indexOf(":");
    if (at <= 0) continue;
    let layer;
    try {
      layer = decodeURIComponent(part.slice(0, at));
    } catch {
      continue;
    }
    for (const item of part.slice(at + 1).split(",")) {
      if (++count > MOST_EDITS) return edits;
      const edit = readItem(layer, item);
      if (edit) edits = withEdit(edits, edit);
    }
  }
  return edits;
}

function readItem(layer, item) {
  const silence = SILENCE.exec(item);
  if (silence) return { layer, silence: Number(silence[1]) };
  const weight = KERNEL.exec(item) ?? BIAS.exec(item);
  if (!weight) return null;
  const value = Number(weight[2]);
  if (!Number.isFinite(value) || weight[2].trim() !== weight[2]) return null;
  return { layer, weight: item[0] === "b" ? "bias" : "kernel", index: Number(weight[1]), value };
}

/**
 * The undo history: {past: [edits lists], future: [edits lists]}. `record` keeps `before` (the list an edit
 * replaced) to go back to; undo and redo move between them. Each returns {edits, history}, or null when there is
 * nothing to move to.
 */
export const emptyHistory = () => ({ past: [], future: [] });

/** The history after an edit replaced `before`: a new branch, with nothing to redo. */
export function record(history, before) {
  return { past: [...history.past, before].slice(-200), future: [] };
}

/** The edits before the last change of `current`, and the history with `current` to redo. */
export function undo(history, current) {
  if (!history.past.length) return null;
  return {
    edits: history.past.at(-1),
    history: { past: history.past.slice(0, -1), future: [current, ...history.future] },
  };
}

/** The edits `undo` went back from, and the history with `current` to undo again. */
export function redo(history, current) {
  if (!history.future.length) return null;
  return { edits: history.future[0], history: { past: [...history.past, current], future: history.future.slice(1) } };
}

/** The flat (row-major) index of weight [row, col, channel, filter] in a conv kernel of shape [kh, kw, cin, cout]. */
export function kernelIndex([, kw, cin, cout], row, col, channel, filter) {
  return ((row * kw + col) * cin + channel) * cout + filter;
}

/**
 * The number a learner typed, or null: a minus sign may be "−" (U+2212, as the page prints it) and the decimal
 * point a comma; nothing else but a plain number.
 */
export function typedNumber(text) {
  const plain = String(text)
    .trim()
    .replace(/\u2212/g, "-")
    .replace(",", ".");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(plain)) return null;
  const value = Number(plain);
  return Number.isFinite(value) ? value : null;
}

/**
 * A weight dragged `pixels` up (negative: down) from `start`, by `step` per pixel, to three significant digits
 * past the step's (a link then says it briefly, and the same number comes back).
 */
export function draggedValue(start, pixels, step) {
  const value = start + pixels * step;
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)) + 1);
  return Number(value.toFixed(Math.min(decimals, 8)));
}
