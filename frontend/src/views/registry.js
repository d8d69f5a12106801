// Which view explains which layer: the table of view kinds (see viewHost.js for the interface a view implements).

import * as conv from "./convView.js";
import * as activation from "./activationView.js";
import * as pool from "./poolView.js";
import * as dropout from "./dropoutView.js";
import * as output from "./outputView.js";
import * as softmax from "./softmaxView.js";

/**
 * View modules by kind. A kind missing from the table is simply not opened (clicking its neurons does nothing).
 * `output` explains a dense layer (its weighted sum, `neuron` = unit), `softmax` the class probabilities from the
 * logits (`neuron` = class index).
 */
export const VIEWS = {
  conv,
  activation,
  pool,
  dropout,
  output,
  softmax,
};

/** The view kind that explains spec layer `layer`, or null (the input and flatten have none). */
export function kindOf(layer) {
  switch (layer.kind) {
    case "conv":
    case "pool":
    case "dropout":
      return layer.kind;
    case "activation":
      return layer.function === "softmax" ? "softmax" : "activation";
    case "rescaling":
      return "activation";
    case "dense":
      return "output";
    default:
      return null;
  }
}
