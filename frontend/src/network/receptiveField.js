// The receptive field of a neuron: the input pixels its value depends on, following its layer's windows back to
// the input. No DOM.

import { windowGeometry } from "./windowMath.js";

/**
 * The input rows and columns that position [row, col] of spatial layer `name` of `network` reads:
 * {top, left, bottom, right} (inclusive), clipped to the image; padding adds no pixels. Where paths join (add,
 * concatenate), the box that holds every path's.
 */
export function receptiveField(network, name, [row, col]) {
  const box = reach(network, name, { top: row, left: col, bottom: row, right: col });
  const [height, width] = network.input.shape;
  return {
    top: Math.max(box.top, 0),
    left: Math.max(box.left, 0),
    bottom: Math.min(box.bottom, height - 1),
    right: Math.min(box.right, width - 1),
  };
}

/** The input box (unclipped) that `box` of layer `name`'s output reads. */
function reach(network, name, box) {
  let layer = network.layer(name);
  while (layer && layer.kind !== "input") {
    if (layer.inputs) {
      const boxes = layer.inputs.map((input) => reach(network, input, box));
      return {
        top: Math.min(...boxes.map((b) => b.top)),
        left: Math.min(...boxes.map((b) => b.left)),
        bottom: Math.max(...boxes.map((b) => b.bottom)),
        right: Math.max(...boxes.map((b) => b.right)),
      };
    }
    if (layer.kind === "conv" || layer.kind === "depthwise" || layer.kind === "pool") {
      const { kernel, strides, pad } = windowGeometry(layer);
      box = {
        top: box.top * strides[0] - pad.top,
        left: box.left * strides[1] - pad.left,
        bottom: box.bottom * strides[0] - pad.top + kernel[0] - 1,
        right: box.right * strides[1] - pad.left + kernel[1] - 1,
      };
    } else if (layer.kind === "padding") {
      const [[top], [left]] = layer.padding; // the map moved down and right by the zeros above and on the left
      box = { top: box.top - top, left: box.left - left, bottom: box.bottom - top, right: box.right - left };
    } else if (layer.shape.length !== 3 || layer.input_shape.length !== 3) {
      throw new Error(`layer ${layer.name} is not a map of positions`);
    }
    layer = network.layer(layer.input);
  }
  return box;
}
