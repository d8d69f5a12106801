// Which layers share a colour range, in each colour mode, and the ranges for the current activations. No DOM.

import { symmetricRange, valueRange } from "../ui/colors.js";

/** How colour ranges are shared: per block of layers (default), per layer, or one for the whole network. */
export const COLOR_MODES = ["block", "layer", "global"];

/** The layers that share one legend in colour mode `mode`, as [{kind, layers}]: the input first; the final layer has none. */
export function legendGroups(network, mode) {
  if (!COLOR_MODES.includes(mode)) throw new Error(`unknown colour mode ${mode}`);
  const [input, ...signed] = network.blocks.filter((group) => group.kind !== "output");
  if (mode === "block") return [input, ...signed];
  if (mode === "layer") {
    return [input, ...signed.flatMap((group) => group.layers.map((name) => ({ kind: group.kind, layers: [name] })))];
  }
  const merged = ["spatial", "vector"].map((kind) => ({
    kind,
    layers: signed.filter((group) => group.kind === kind).flatMap((group) => group.layers),
  }));
  return [input, ...merged.filter((group) => group.layers.length > 0)];
}

/**
 * Map from layer name (and "input") to the colour range {min, max} used to draw it.
 * `activations` maps layer names to {data}; `ranges` may give their value ranges precomputed.
 * The input is drawn 0..1 in grey, the final layer 0..1; the others are symmetric around 0.
 */
export function colorRanges(network, activations, mode = "block", ranges = null) {
  if (!COLOR_MODES.includes(mode)) throw new Error(`unknown colour mode ${mode}`);
  const rangeOf = (name) => (ranges && ranges.get(name)) || valueRange(activations.get(name).data);
  const result = new Map([["input", { min: 0, max: 1 }]]);
  const groups = network.blocks;
  const signed = groups.filter((g) => g.kind === "spatial" || g.kind === "vector");
  const output = groups.find((g) => g.kind === "output");
  if (output) result.set(output.layers[0], { min: 0, max: 1 });
  if (mode === "global") {
    const spatial = signed.filter((g) => g.kind === "spatial").flatMap((g) => g.layers);
    const vector = signed.filter((g) => g.kind === "vector").flatMap((g) => g.layers);
    for (const names of [spatial, vector]) {
      const range = symmetricRange(names.map(rangeOf));
      for (const name of names) result.set(name, range);
    }
    return result;
  }
  for (const group of signed) {
    if (mode === "layer") {
      for (const name of group.layers) result.set(name, symmetricRange([rangeOf(name)]));
    } else {
      const range = symmetricRange(group.layers.map(rangeOf));
      for (const name of group.layers) result.set(name, range);
    }
  }
  return result;
}
