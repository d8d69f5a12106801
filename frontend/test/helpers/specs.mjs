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
    format: 5,
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
