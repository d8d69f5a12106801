// The view modules by kind (see host.js for the interface a view implements; network/kinds.js says which kind
// explains which layer).

import * as conv from "./convView.js";
import * as depthwise from "./depthwiseView.js";
import * as activation from "./activationView.js";
import * as pool from "./poolView.js";
import * as dropout from "./dropoutView.js";
import * as globalpool from "./globalPoolView.js";
import * as merge from "./mergeView.js";
import * as output from "./outputView.js";
import * as softmax from "./softmaxView.js";

/**
 * View modules by kind. A kind missing from the table is simply not opened (clicking its neurons does nothing).
 * `output` explains a dense layer (its weighted sum, `neuron` = unit), `softmax` the class probabilities from the
 * logits (`neuron` = class index).
 */
export const VIEWS = {
  conv,
  depthwise,
  activation,
  batchnorm: activation, // a scale and shift per channel, with its four numbers (activationView.js)
  pool,
  globalpool,
  dropout,
  merge,
  output,
  softmax,
};
