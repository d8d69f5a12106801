// Model specs (docs/format.md) of Tiny-VGG-like networks of any depth and width, for tests.

/** A spec with `blocks` blocks of (conv, relu, conv, relu, max-pool), optional hidden dense layer, then the output. */
export function makeSpec({ blocks = 2, filters = 10, channels = 1, size = 28, classes = 10, hidden = 0 } = {}) {
  const layers = [];
  let shape = [size, size, channels];
  let previous = "input";
  const add = (entry, outShape) => {
    layers.push({ ...entry, input: previous, input_shape: shape, shape: outShape });
    previous = entry.name;
    shape = outShape;
  };
  for (let b = 1; b <= blocks; b++) {
    for (let k = 1; k <= 2; k++) {
      add(
        {
          name: `conv_${b}_${k}`,
          kind: "conv",
          filters,
          kernel_size: [3, 3],
          strides: [1, 1],
          padding: "same",
          activation: "linear",
          use_bias: true,
        },
        [shape[0], shape[1], filters],
      );
      add({ name: `relu_${b}_${k}`, kind: "activation", function: "relu" }, shape);
    }
    if (shape[0] >= 2) {
      add({ name: `max_pool_${b}`, kind: "pool", op: "max", pool_size: [2, 2], strides: [2, 2], padding: "valid" }, [
        Math.floor(shape[0] / 2),
        Math.floor(shape[1] / 2),
        shape[2],
      ]);
    }
  }
  add({ name: "flatten", kind: "flatten" }, [shape[0] * shape[1] * shape[2]]);
  if (hidden) {
    add({ name: "hidden", kind: "dense", units: hidden, activation: "relu", use_bias: true }, [hidden]);
    add({ name: "dropout", kind: "dropout", rate: 0.5 }, [hidden]);
  }
  add({ name: "output", kind: "dense", units: classes, activation: "softmax", use_bias: true }, [classes]);
  return {
    format: 6,
    name: "tiny_vgg",
    input: {
      name: "input",
      shape: [size, size, channels],
      pixel_divisor: 255,
      photo: { recipe: "resize", level: [0, 255], images: 0 },
    },
    classes: Array.from({ length: classes }, (_, i) => `class ${i}`),
    layers,
  };
}

const conv = (name, input, inShape, filters, size, extra = {}) => ({
  name,
  kind: "conv",
  input,
  input_shape: inShape,
  shape: [inShape[0], inShape[1], filters],
  filters,
  kernel_size: [size, size],
  strides: [1, 1],
  padding: "same",
  activation: "linear",
  use_bias: true,
  ...extra,
});
const relu = (name, input, shape) => ({ name, kind: "activation", function: "relu", input, input_shape: shape, shape });
const head = (input, channels, classes) => [
  { name: "gap", kind: "globalpool", op: "average", input, input_shape: [8, 8, channels], shape: [channels] },
  { name: "scores", kind: "dense", units: classes, activation: "softmax", use_bias: true, input: "gap" },
];
const graph = (name, channels, layers) => ({
  format: 6,
  name,
  input: { name: "input", shape: [8, 8, channels], pixel_divisor: 255 },
  classes: ["a", "b", "c"],
  layers: layers.map((layer) =>
    layer.kind === "dense" ? { ...layer, input_shape: [layers.at(-2).shape[0]], shape: [3] } : layer,
  ),
});

/**
 * A residual block as builder/spec.py describes it: a stem, then conv_a, relu_a, conv_b on the main path, a 1x1
 * convolution of the stem as the shortcut (after the main path, as the builder orders them), their sum and a ReLU,
 * global average pooling, Dense. 8 x 8 x 2 input, 4 channels.
 */
export function residualSpec() {
  const s = [8, 8, 4];
  return graph("residual", 2, [
    conv("stem", "input", [8, 8, 2], 4, 3),
    relu("stem_relu", "stem", s),
    conv("conv_a", "stem_relu", s, 4, 3),
    relu("relu_a", "conv_a", s),
    conv("conv_b", "relu_a", s, 4, 3),
    conv("shortcut", "stem_relu", s, 4, 1),
    { name: "add", kind: "add", input: "conv_b", inputs: ["conv_b", "shortcut"], input_shape: s, shape: s },
    relu("out", "add", s),
    ...head("out", 4, 3),
  ]);
}

/** Two branches of one stem (3x3 with 3 channels, 5x5 with 2) joined along the channels; 8 x 8 x 1 input. */
export function branchesSpec() {
  const s = [8, 8, 4];
  return graph("branches", 1, [
    conv("stem", "input", [8, 8, 1], 4, 3),
    conv("small", "stem", s, 3, 3),
    conv("large", "stem", s, 2, 5),
    {
      name: "joined",
      kind: "concatenate",
      input: "small",
      inputs: ["small", "large"],
      channels: [3, 2],
      input_shape: [8, 8, 3],
      shape: [8, 8, 5],
    },
    ...head("joined", 5, 3),
  ]);
}
