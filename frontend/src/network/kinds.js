// What each kind of spec layer (docs/format.md) is to the page, in one table: the view that explains a neuron, the
// article section that explains the layer, whether it mixes channels (so starts a colour block and feeds every
// neuron of the next column), how the page derives its output when the payload leaves it out, and how the overview
// describes a neuron. No DOM. network.js reads spec layers through this table; no other module switches on a kind.

import { t } from "../ui/i18n.js";
import { isolate } from "../ui/text.js";
import { isElementwiseFunction } from "./elementwise.js";
import { maxPool } from "./windowMath.js";

const relu = (data) => data.map((v) => (v > 0 ? v : 0));
const unchanged = (data) => data;

/**
 * Message `key` (layer.describe.*) in the current language as a template (ui/text.js) that keeps {of} for the caller
 * to fill with the layer it reads; `values` are filled in as written (numbers as digits, as the overview writes
 * shapes; function names such as relu, which need no isolating).
 */
function described(key, values = {}) {
  const text = { ...values, of: "{of}" };
  for (const name of Object.keys(values)) text[name] = String(values[name]);
  let template = t(key, text);
  for (const value of Object.values(text)) template = template.replaceAll(isolate(value), value);
  return template;
}

/**
 * Per kind: view(layer) -> the view kind (views/registry.js) or null; section(layer) -> the article section's id or
 * null; mixes: whether it combines every channel of its input (conv, dense); rescales: whether it puts its input on
 * another scale (rescaling, batch normalisation), so starts a colour block of its own too; convolves: whether it slides a kernel over
 * its input (model/runtime.js then computes it as a plain convolution); column: whether the overview draws it;
 * identity: whether it passes its input through unchanged when the model predicts; joins: whether it reads several
 * layers (add, concatenate), so starts a colour block of its own;
 * derive(layer) -> (input data, layer) -> output data, or null when its output is stored; describe(layer, of, index)
 * -> a template (ui/text.js) describing neuron `index` in the page's language, with {of} for the layer it reads.
 */
export const KINDS = {
  conv: {
    view: () => "conv",
    section: () => "article-convolution",
    mixes: true,
    convolves: true,
    column: true,
    derive: () => null,
    describe: (layer, source) =>
      described(layer.use_bias ? "layer.describe.conv.bias" : "layer.describe.conv", {
        height: layer.kernel_size[0],
        width: layer.kernel_size[1],
        count: source.count,
      }),
  },
  dense: {
    view: () => "output",
    section: () => "article-output",
    mixes: true,
    column: true,
    derive: () => null,
    describe: (layer, source) =>
      described(source.kind === "spatial" ? "layer.describe.dense.channels" : "layer.describe.dense.units", {
        count: source.count,
      }),
  },
  activation: {
    view: (layer) =>
      layer.function === "softmax" ? "softmax" : isElementwiseFunction(layer.function) ? "activation" : null,
    section: (layer) => (layer.function === "softmax" ? "article-output" : "article-relu"),
    mixes: false,
    column: true,
    derive: (layer) => (layer.function === "relu" ? relu : null),
    describe: (layer, source, index) =>
      described("layer.describe.activation", { function: layer.function, channel: index }),
  },
  pool: {
    view: () => "pool",
    section: () => "article-pooling",
    mixes: false,
    column: true,
    derive: (layer) => (layer.op === "max" ? maxPool : null),
    describe: (layer, source, index) =>
      described(layer.op === "max" ? "layer.describe.pool.max" : "layer.describe.pool.average", {
        height: layer.pool_size[0],
        width: layer.pool_size[1],
        channel: index,
      }),
  },
  depthwise: {
    view: () => "depthwise",
    section: () => "article-convolution",
    mixes: false, // channel c of the output reads channel c of the input only
    column: true,
    derive: () => null,
    describe: (layer, source, index) =>
      described(layer.use_bias ? "layer.describe.depthwise.bias" : "layer.describe.depthwise", {
        height: layer.kernel_size[0],
        width: layer.kernel_size[1],
        channel: index,
      }),
  },
  batchnorm: {
    view: () => "batchnorm",
    section: () => null,
    mixes: false,
    rescales: true,
    column: true,
    derive: () => null,
    describe: (layer, source, index) => described("layer.describe.batchnorm", { channel: index }),
  },
  globalpool: {
    view: () => "globalpool",
    section: () => "article-pooling",
    mixes: false,
    column: true,
    derive: () => null,
    describe: (layer, source, index) =>
      described(layer.op === "max" ? "layer.describe.globalpool.max" : "layer.describe.globalpool.average", {
        channel: index,
      }),
  },
  padding: {
    view: () => "dropout", // a map beside the map it came from: here with its border of zeros
    section: () => "article-hyperparameters",
    mixes: false,
    column: true,
    derive: () => null,
    describe: (layer, source, index) => described("layer.describe.padding", { channel: index }),
  },
  dropout: {
    view: () => "dropout",
    section: () => null,
    mixes: false,
    column: true,
    identity: true, // when predicting
    derive: () => unchanged,
    describe: (layer) =>
      layer.layer_class
        ? described("layer.describe.passThrough", { layerClass: layer.layer_class })
        : described("layer.describe.dropout"),
  },
  rescaling: {
    view: () => "activation",
    section: () => "article-input",
    mixes: false,
    rescales: true,
    column: true,
    derive: () => null,
    describe: (layer) => `{of} × ${layer.scale} + ${layer.offset}`, // a formula: the same in every language
  },
  add: {
    view: () => "merge",
    section: () => null,
    mixes: false, // channel c of the sum reads channel c of each input
    joins: true, // it reads more than one layer, each on its own scale: a colour block of its own
    column: true,
    derive: () => null,
    describe: (layer, source, index) => described("layer.describe.add", { count: layer.inputs.length, channel: index }),
  },
  concatenate: {
    view: () => "merge",
    section: () => null,
    mixes: false, // each channel is one channel of one input
    joins: true,
    column: true,
    derive: () => null,
    describe: (layer, source, index) => {
      const { input, channel } = concatenated(layer, index);
      return described("layer.describe.concatenate", { channel, layer: input });
    },
  },
  flatten: {
    view: () => null,
    section: () => "article-flatten",
    mixes: false,
    column: false, // flattening only reorders: the overview goes from the maps straight to what reads them
    derive: () => unchanged,
    describe: () => described("layer.describe.flatten"),
  },
};

/** Where channel `index` of concatenate layer `layer` comes from: {input (its name), position (of the input in
 * layer.inputs), channel (in that input), offset (of that input's first channel)}. */
export function concatenated(layer, index) {
  let offset = 0;
  for (let position = 0; position < layer.inputs.length; position++) {
    const count = layer.channels[position];
    if (index < offset + count) return { input: layer.inputs[position], position, channel: index - offset, offset };
    offset += count;
  }
  throw new Error(`layer ${layer.name} has ${offset} channels, not ${index + 1}`);
}

/** The names of the layers spec layer `layer` reads: its `inputs` (a merge), else its `input`. */
export function readsOf(layer) {
  return layer.inputs ?? [layer.input];
}

/** The table entry of spec layer `layer`; an error naming the layer for a kind the page does not know. */
export function kindOf(layer) {
  const kind = KINDS[layer.kind];
  if (!kind) throw new Error(`layer ${layer.name} is of kind ${layer.kind}, which this page does not know`);
  return kind;
}
