// The spec's layers (docs/format.md) as tfjs-core computes them: what the page runs, one layer at a time, so that
// edits reach every layer after them (runtime.js). tfjs-layers, 200 KB of the first view, would only read the same
// layers again from the model's Keras config; the browser tests compare every layer with Keras.

import * as tf from "@tensorflow/tfjs-core";

/**
 * Keras's element-wise activations (builder/spec.py ELEMENTWISE_ACTIVATIONS) and softmax, as tfjs-core computes
 * them; leaky_relu's slope is the layer's `alpha`, else Keras's default for activation="leaky_relu".
 */
export const ACTIVATIONS = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  leaky_relu: (x, layer) => tf.leakyRelu(x, layer.alpha ?? 0.2),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))), // Keras's exact form
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.div(x, tf.add(1, tf.abs(x))),
  softmax: (x) => tf.softmax(x),
};

/**
 * The output of spec layer `layer` (docs/format.md) for `x` [1, ...] (for a layer that reads several, add and
 * concatenate, the list of what it reads, in the order of its `inputs`), with its `weights` (tensors by Keras's names:
 * kernel, bias; gamma, beta, moving_mean, moving_variance; a missing one is null or absent).
 */
export function applyLayer(layer, x, weights = {}) {
  const { kernel = null, bias = null } = weights;
  const activate = (y, name) => {
    if (!(name in ACTIVATIONS)) throw new Error(`the page cannot compute the activation ${name}`);
    return ACTIVATIONS[name](y, layer);
  };
  const withBias = (y) => (bias ? tf.add(y, bias) : y);
  switch (layer.kind) {
    case "conv":
      return activate(withBias(tf.conv2d(x, kernel, layer.strides, layer.padding)), layer.activation);
    case "depthwise": // one kh x kw kernel per input channel: [kh, kw, channels, 1]
      return activate(withBias(tf.depthwiseConv2d(x, kernel, layer.strides, layer.padding)), layer.activation);
    case "dense":
      return activate(withBias(tf.matMul(x, kernel)), layer.activation);
    case "activation":
      return activate(x, layer.function);
    case "pool": {
      const pool = layer.op === "max" ? tf.maxPool : tf.avgPool;
      return pool(x, layer.pool_size, layer.strides, layer.padding);
    }
    case "flatten":
      return tf.reshape(x, [x.shape[0], -1]);
    case "batchnorm": // inference: (x - moving mean) / sqrt(moving variance + epsilon) * gamma + beta
      return tf.batchNorm(
        x,
        weights.moving_mean,
        weights.moving_variance,
        weights.beta ?? undefined,
        weights.gamma ?? undefined,
        layer.epsilon,
      );
    case "globalpool":
      return layer.op === "max" ? tf.max(x, [1, 2]) : tf.mean(x, [1, 2]);
    case "padding":
      return tf.pad(x, [[0, 0], ...layer.padding, [0, 0]]);
    case "dropout":
      return x; // dropout, noise, augmentation: only while training
    case "add":
      return tf.addN(x);
    case "concatenate":
      return tf.concat(x, -1);
    case "rescaling":
      return tf.add(tf.mul(x, layer.scale), layer.offset);
    default:
      throw new Error(`the page cannot compute a ${layer.kind} layer`);
  }
}
