// The one reading of the model spec (docs/format.md): every layer's role in the page, the overview's columns and
// which neurons feed which, the colour blocks, and the classifier. Built once, frozen; every other module asks it
// (through kinds.js) instead of switching on a layer's kind. No DOM.

import { kindOf, readsOf } from "./kinds.js";

/** The spec format this page reads; the builder writes it as spec.format (builder/spec.py SPEC_FORMAT). */
export const SPEC_FORMAT = 6;

/**
 * Why the page cannot read `spec`, as a sentence, or null when it can. In English only: it is asked before the
 * catalogs are read (ui/i18n.js), and a payload of another format may hold none.
 */
export function specProblem(spec) {
  if (!spec || !Array.isArray(spec.layers) || !spec.input) return "The explainer's data holds no model description.";
  if (spec.format !== SPEC_FORMAT) {
    return (
      `The explainer's data is in format ${spec.format}, but this page reads format ${SPEC_FORMAT}: ` +
      "build the site again with the same version of cnn-explain."
    );
  }
  return null;
}

function freezeAll(items) {
  for (const item of items) Object.freeze(item);
  return Object.freeze(items);
}

/**
 * The network described by `spec`, frozen:
 *   spec, name, classes, input ({name: "input", kind: "input", shape, pixelDivisor, photo (spec input.photo, or
 *               null)})
 *   layers      [{name, id (the model's own name for it: docs/format.md), layer (the spec entry), view, section,
 *               derive, mixes, convolves}] in spec order
 *   layer(name) the spec entry of layer `name`; "input" gives {name: "input", kind: "input", shape}
 *   info(name)  that layer's role (an item of `layers`), or undefined
 *   last        the spec entry of the final layer, and outputFunction its activation (softmax, sigmoid, linear)
 *   columns     the overview's columns, in order: {name, kind (input, spatial, vector, output), layer (spec entry or
 *               null), count (neurons; classes for the output), shape, source (the column it reads, flatten skipped;
 *               a merge's first input), connect (null, "one": neuron i reads neuron i, "all": every neuron reads every
 *               neuron of the source), inputs (every column it reads: [{source, connect, offset}], neuron i reading
 *               neuron i - offset of the source with "one"; [] for the input), skips (the inputs whose source is not
 *               the column before it: a skip connection's bundle)}
 *   column(name)
 *   blocks      layers that share one colour range in "block" colour mode: [{kind (input, spatial, vector, output),
 *               layers: [names]}]; a block starts at each layer that mixes channels and takes the ones after it
 *   reads(name) what dense layer `name` reads: {input (its input's name), flatten (the flatten layer it reads
 *               through dropout, or null when it reads another layer's units), source (the H x W x C layer that
 *               flatten reads, or null)}
 *   gradCamLayer the name of the feature maps Grad-CAM weighs (gradCamLayerIndex), or null without a conv layer
 *   classifier  the last dense layer, the one that gives the class scores, with what it reads: {dense, ...reads}, or
 *               null when there is none
 *   explains(kind, name) whether view `kind` explains layer `name`: the layer's own view, or the softmax of the
 *               class scores on the last layer (a Dense with softmax has both)
 *   scores      where the class scores (logits) are: "input" (the last layer is an activation, and reads them),
 *               "dense" (the last layer is a Dense with a non-linear activation: its sum before it), or "output"
 *   named(classes) the same network with its classes named `classes` (the page's language)
 */
export function readNetwork(spec) {
  const entries = new Map(spec.layers.map((layer) => [layer.name, layer]));
  const input = Object.freeze({
    name: "input",
    kind: "input",
    shape: Object.freeze([...spec.input.shape]),
    pixelDivisor: spec.input.pixel_divisor,
    photo: spec.input.photo ?? null,
  });
  const last = spec.layers[spec.layers.length - 1];
  const layers = freezeAll(
    spec.layers.map((layer) => {
      const kind = kindOf(layer);
      return {
        name: layer.name,
        id: layer.id ?? layer.name,
        layer,
        view: kind.view(layer),
        section: kind.section(layer),
        derive: kind.derive(layer),
        mixes: kind.mixes,
        convolves: Boolean(kind.convolves),
      };
    }),
  );
  const infos = new Map(layers.map((info) => [info.name, info]));
  const columns = overviewColumns(spec, entries, last);
  const byColumn = new Map(columns.map((column) => [column.name, column]));
  const network = {
    spec,
    name: spec.name,
    classes: Object.freeze([...spec.classes]),
    input,
    layers,
    layer: (name) => (name === "input" ? input : entries.get(name)),
    info: (name) => infos.get(name),
    last,
    outputFunction: last.kind === "dense" ? last.activation : last.function,
    columns,
    column: (name) => byColumn.get(name),
    blocks: colourBlocks(spec, last),
    reads: (name) => denseInput(entries.get(name), entries),
    classifier: classifierOf(spec, entries),
    gradCamLayer: spec.layers[gradCamLayerIndex(spec)]?.name ?? null,
    explains: (kind, name) =>
      kind === "softmax" ? name === last.name && softmaxShown(spec, last) : infos.get(name)?.view === kind,
    scores:
      last.kind === "activation" ? "input" : last.kind === "dense" && last.activation !== "linear" ? "dense" : "output",
    named: (classes) => Object.freeze({ ...network, classes: Object.freeze([...classes]) }),
  };
  return Object.freeze(network);
}

/** Whether the page can show the softmax of the class scores: the last layer applies it, or gives plain logits. */
function softmaxShown(spec, last) {
  const applied = last.kind === "dense" ? last.activation : last.function;
  return (applied === "softmax" || applied === "linear") && spec.layers.some((layer) => layer.kind === "dense");
}

function overviewColumns(spec, entries, last) {
  const drawn = (name) => {
    let layer = entries.get(name);
    while (layer && !kindOf(layer).column) {
      name = layer.input;
      layer = entries.get(name);
    }
    return name;
  };
  const columns = [
    {
      name: "input",
      kind: "input",
      layer: null,
      count: spec.input.shape[2],
      shape: spec.input.shape,
      source: null,
      connect: null,
      inputs: [],
      skips: [],
    },
  ];
  const countOf = new Map([["input", spec.input.shape[2]]]);
  for (const layer of spec.layers) {
    if (!kindOf(layer).column) continue;
    const kind = layer === last ? "output" : layer.shape.length === 3 ? "spatial" : "vector";
    const count = kind === "output" ? spec.classes.length : layer.shape[layer.shape.length - 1];
    let offset = 0;
    const inputs = readsOf(layer).map((name, position) => {
      const source = drawn(name);
      if (layer.kind === "concatenate") {
        offset += position ? layer.channels[position - 1] : 0;
        return Object.freeze({ source, connect: "one", offset });
      }
      const oneToOne = !kindOf(layer).mixes && countOf.get(source) === count;
      const sameRank = layer.input_shape.length === layer.shape.length;
      return Object.freeze({ source, connect: oneToOne && sameRank ? "one" : "all", offset: 0 });
    });
    const before = columns[columns.length - 1].name;
    columns.push({
      name: layer.name,
      kind,
      layer,
      count,
      shape: layer.shape,
      source: inputs[0].source,
      connect: inputs[0].connect,
      inputs: Object.freeze(inputs),
      skips: Object.freeze(inputs.filter((input) => input.source !== before)),
    });
    countOf.set(layer.name, count);
  }
  return freezeAll(columns);
}

function colourBlocks(spec, last) {
  const blocks = [{ kind: "input", layers: ["input"] }];
  let current = null;
  for (const layer of spec.layers) {
    if (!kindOf(layer).column) {
      current = null;
      continue;
    }
    if (layer === last) {
      blocks.push({ kind: "output", layers: [layer.name] });
      break;
    }
    const kind = layer.shape.length === 3 ? "spatial" : "vector";
    const { mixes, rescales, joins } = kindOf(layer);
    if (mixes || rescales || joins || current === null || current.kind !== kind) {
      current = { kind, layers: [] };
      blocks.push(current);
    }
    current.layers.push(layer.name);
  }
  return freezeAll(blocks.map((block) => ({ ...block, layers: Object.freeze(block.layers) })));
}

function denseInput(dense, entries) {
  let layer = entries.get(dense.input);
  while (layer && kindOf(layer).identity) layer = entries.get(layer.input);
  const flatten = layer && !kindOf(layer).column ? layer : null;
  const source = flatten ? entries.get(flatten.input) : null;
  return Object.freeze({ input: dense.input, flatten, source: source && source.shape.length === 3 ? source : null });
}

function classifierOf(spec, entries) {
  const dense = spec.layers.findLast((layer) => layer.kind === "dense");
  return dense ? Object.freeze({ dense, ...denseInput(dense, entries) }) : null;
}

/**
 * The index in `spec.layers` of the feature maps Grad-CAM weighs: the last conv layer, after the batch
 * normalisations that read it and the element-wise activation after them, if any (a Keras Conv2D with a fused
 * activation outputs after it; Conv-BN-ReLU after the ReLU); -1 without a conv layer. In a graph, maps that a path to
 * the scores goes around would not carry all the scores read: then the first maps after them that every path goes
 * through (a residual block's Add), and the activation after it.
 */
export function gradCamLayerIndex(spec) {
  const { layers } = spec;
  let found = -1;
  layers.forEach((layer, i) => {
    if (layer.kind === "conv") found = i;
  });
  if (found < 0) return -1;
  const index = new Map(layers.map((layer, i) => [layer.name, i]));
  // whether a layer after i reads one before it: a path from before i to the scores that does not go through i
  const goneAround = (i) =>
    layers.slice(i + 1).some((layer) => readsOf(layer).some((name) => (index.get(name) ?? -1) < i));
  if (goneAround(found)) {
    const through = layers.findIndex((layer, i) => i > found && layer.shape.length === 3 && !goneAround(i));
    if (through < 0) return found;
    found = through;
  }
  const reads = (kind) => {
    const next = layers[found + 1];
    return next?.input === layers[found].name && !next.inputs && next.kind === kind && next.function !== "softmax";
  };
  while (reads("batchnorm")) found += 1;
  if (reads("activation")) found += 1;
  return found;
}
