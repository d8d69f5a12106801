// Element-wise layers (activation functions, rescaling): how to write each as a formula, and its curve. No DOM.

import { t } from "../ui/i18n.js";

function erf(x) {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): only used to draw GELU's curve, never for a printed number.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

// name -> {title, definition (when the call needs one), call (the formula, {x} for the input), curve(x, layer)};
// a title or definition with words in it is a function that gives it in the page's language (its message).
const FUNCTIONS = {
  relu: { title: "ReLU", call: "max(0, {x})", curve: (x) => Math.max(0, x) },
  leaky_relu: {
    title: "Leaky ReLU",
    call: "max({alpha} × {x}, {x})",
    curve: (x, layer) => (x > 0 ? x : layer.alpha * x),
  },
  tanh: { title: "tanh", call: "tanh({x})", curve: Math.tanh },
  sigmoid: { title: "Sigmoid", definition: "σ(x) = 1 / (1 + e^−x)", call: "σ({x})", curve: sigmoid },
  elu: {
    title: "ELU",
    definition: () => t("layer.function.elu.definition"),
    call: "elu({x})",
    curve: (x) => (x > 0 ? x : Math.expm1(x)),
  },
  selu: {
    title: "SELU",
    definition: () => t("layer.function.selu.definition"),
    call: "selu({x})",
    curve: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  },
  gelu: {
    title: "GELU",
    definition: () => t("layer.function.gelu.definition"),
    call: "gelu({x})",
    curve: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  },
  swish: { title: "Swish", definition: "swish(x) = x × σ(x)", call: "swish({x})", curve: (x) => x * sigmoid(x) },
  silu: { title: "SiLU", definition: "silu(x) = x × σ(x)", call: "silu({x})", curve: (x) => x * sigmoid(x) },
  softplus: {
    title: "Softplus",
    definition: "softplus(x) = ln(1 + e^x)",
    call: "softplus({x})",
    curve: (x) => Math.log1p(Math.exp(x)),
  },
  softsign: {
    title: "Softsign",
    definition: "softsign(x) = x / (1 + |x|)",
    call: "softsign({x})",
    curve: (x) => x / (1 + Math.abs(x)),
  },
  hard_sigmoid: {
    title: "Hard sigmoid",
    definition: "hard_sigmoid(x) = clip(x / 6 + 0.5, 0, 1)",
    call: "hard_sigmoid({x})",
    curve: (x) => Math.min(1, Math.max(0, x / 6 + 0.5)),
  },
  linear: { title: () => t("layer.function.linear"), call: "{x}", curve: (x) => x },
};

/** Whether the page can show activation function `name` as an element-wise formula. */
export function isElementwiseFunction(name) {
  return Object.hasOwn(FUNCTIONS, name);
}

/**
 * How to show element-wise `layer`: {title, definition (null when the formula says it all; both in the page's
 * language), parts (the formula as strings and {input: true} markers where x goes), curve(x) -> y (only to draw the
 * function), summary ("rescaling", "relu" or "function": which explanation the view gives)}; numbers in the formula
 * (alpha, scale) are written with `format`.
 */
export function elementwiseFormula(layer, format = String) {
  if (layer.kind === "rescaling") {
    return {
      summary: "rescaling",
      title: t("layer.rescaling"),
      definition: null,
      parts: template(`{x} × ${format(layer.scale)} + ${format(layer.offset)}`),
      curve: (x) => x * layer.scale + layer.offset,
    };
  }
  const fn = FUNCTIONS[layer.function];
  if (!fn) throw new Error(`layer ${layer.name}: no element-wise formula for ${layer.function}`);
  const words = (text) => (typeof text === "function" ? text() : text);
  return {
    summary: layer.function === "relu" ? "relu" : "function",
    title: words(fn.title),
    definition: words(fn.definition) || null,
    parts: template(fn.call.replace("{alpha}", format(layer.alpha))),
    curve: (x) => fn.curve(x, layer),
  };
}

/**
 * Channel `channel` of batch normalisation `layer` as an element-wise formula (elementwiseFormula's fields), from its
 * `weights` ({gamma, beta, moving_mean, moving_variance}, each {data} or null: gamma 1 and beta 0 without them), and
 * its numbers: {mean, variance, epsilon, gamma, beta, scale: γ / √(σ² + ε), shift: β − μ · scale}, which make it
 * y = x · scale + shift when the model predicts.
 */
export function batchnormFormula(layer, channel, weights, format = String) {
  const mean = weights.moving_mean.data[channel];
  const variance = weights.moving_variance.data[channel];
  const gamma = weights.gamma ? weights.gamma.data[channel] : 1;
  const beta = weights.beta ? weights.beta.data[channel] : 0;
  const { epsilon } = layer;
  const scale = gamma / Math.sqrt(variance + epsilon);
  const shift = beta - mean * scale;
  const term = (value) => (value < 0 ? `(${format(value)})` : format(value)); // x − (−0.1): as the definition reads
  return {
    summary: "batchnorm",
    title: t("layer.batchnorm"),
    definition: "y = (x − μ) / √(σ² + ε) × γ + β",
    parts: template(
      `({x} − ${term(mean)}) / √(${format(variance)} + ${format(epsilon)}) × ${term(gamma)} + ${term(beta)}`,
    ),
    curve: (x) => x * scale + shift,
    numbers: { mean, variance, epsilon, gamma, beta, scale, shift },
  };
}

function template(text) {
  const parts = [];
  text.split("{x}").forEach((piece, i) => {
    if (i > 0) parts.push({ input: true });
    if (piece) parts.push(piece);
  });
  return parts;
}
