// Which layers share a colour range, in each colour mode, and the ranges for the current activations. No DOM.

/**
 * How colour ranges are shared: per block of layers (default), per layer, or one for the whole network; or, what
 * if, "difference": every map drawn as its difference from what it is compared with (the trained network, or a
 * pinned image), each layer on its own range, the input too.
 */
export const COLOR_MODES = ["block", "layer", "global", "difference"];

/** The colour range of a view's maps: each map its own (default), or the one the overview draws its layer with. */
export const VIEW_SCALES = ["map", "shared"];

/** The layers that share one legend in colour mode `mode`, as [{kind, layers}]: the input first; the final layer has none. */
export function legendGroups(network, mode) {
  if (!COLOR_MODES.includes(mode)) throw new Error(`unknown colour mode ${mode}`);
  const [input, ...signed] = network.blocks.filter((group) => group.kind !== "output");
  if (mode === "block") return [input, ...signed];
  const each = signed.flatMap((group) => group.layers.map((name) => ({ kind: group.kind, layers: [name] })));
  if (mode === "layer") return [input, ...each];
  if (mode === "difference") return [{ kind: "difference", layers: input.layers }, ...each];
  const merged = ["spatial", "vector"].map((kind) => ({
    kind,
    layers: signed.filter((group) => group.kind === kind).flatMap((group) => group.layers),
  }));
  return [input, ...merged.filter((group) => group.layers.length > 0)];
}

/** The share of a group's maps allowed beyond its colour range, drawn at full colour: the strongest tenth. */
export const SATURATED = 0.1;

/**
 * Where a colour range ends for maps whose largest magnitudes (max |v| of each map) are `extents`: their
 * (1 - SATURATED) quantile, nearest rank. One strong map then no longer washes out all the others.
 */
export function clippedExtent(extents) {
  if (extents.length === 0) return 0;
  const sorted = Float64Array.from(extents).sort();
  return sorted[Math.max(0, Math.ceil((1 - SATURATED) * sorted.length) - 1)];
}

/**
 * Map from layer name to the colour range {min, max, extent} it is drawn with in colour mode `mode`: symmetric
 * around 0, shared by the layers of a legend group (legendGroups), ending at clippedExtent of the group's maps (in
 * the difference mode, at their largest magnitude);
 * `extent` is the group's largest magnitude, beyond the range when maps are clipped. `extents` maps each layer
 * name to the largest magnitude of each of its maps (channels, or units). The final layer is drawn 0..1.
 */
export function colorRanges(network, extents, mode = "block") {
  const result = new Map([[network.last.name, { min: 0, max: 1, extent: 1 }]]);
  for (const group of legendGroups(network, mode).slice(1)) {
    const all = group.layers.flatMap((name) => Array.from(extents.get(name)));
    const extent = all.reduce((most, v) => Math.max(most, v), 0);
    // differences are not clipped: one changed map among unchanged ones must show, and the legend say by how much
    const end = mode === "difference" ? extent : clippedExtent(all);
    for (const name of group.layers) result.set(name, { min: -end, max: end, extent });
  }
  return result;
}

/** Channel-wise {min, max} of an H x W x C (or 1-D) tensor: two Float32Arrays of length C. */
export function channelRanges(tensor) {
  const channels = tensor.shape[tensor.shape.length - 1];
  const mins = new Float32Array(channels).fill(Infinity);
  const maxs = new Float32Array(channels).fill(-Infinity);
  const data = tensor.data;
  for (let i = 0, c = 0; i < data.length; i++, c = c + 1 === channels ? 0 : c + 1) {
    const v = data[i];
    if (v < mins[c]) mins[c] = v;
    if (v > maxs[c]) maxs[c] = v;
  }
  return { mins, maxs };
}

/**
 * What the overview draws frame `activations` (Map name -> {shape, data}, "input" among them) with in colour mode
 * `mode`: {ranges (colorRanges, and the input's 0..inputMax), stats (Map name -> channelRanges)} for every column but
 * the output's.
 */
export function frameRanges(network, activations, mode, inputMax) {
  const extents = new Map();
  const stats = new Map();
  for (const column of network.columns) {
    if (column.kind === "output") continue;
    const { mins, maxs } = channelRanges(activations.get(column.name));
    stats.set(column.name, { mins, maxs });
    extents.set(
      column.name,
      Array.from(mins, (min, c) => Math.max(Math.abs(min), Math.abs(maxs[c]))),
    );
  }
  const ranges = colorRanges(network, extents, mode || "block");
  if (mode === "difference") {
    const { mins, maxs } = stats.get("input");
    const end = Math.max(...Array.from(mins, (min, c) => Math.max(Math.abs(min), Math.abs(maxs[c]))));
    ranges.set("input", { min: -end, max: end, extent: end });
  } else ranges.set("input", { min: 0, max: inputMax });
  return { ranges, stats };
}

/** Every layer of `activations` minus the same layer of `base` (Maps name -> {shape, data}): what changed. */
export function differences(activations, base) {
  const result = new Map();
  for (const [name, tensor] of activations) {
    const other = base.get(name);
    const data = new Float32Array(tensor.data.length);
    for (let i = 0; i < data.length; i++) data[i] = tensor.data[i] - other.data[i];
    result.set(name, { shape: tensor.shape, data });
  }
  return result;
}
