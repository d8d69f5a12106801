// The view of a depthwise convolution's channel: one kernel slides over one channel of its input, with no sum across
// channels. The window on the input map, its values times the kernel's weights, their sum and the bias, the output
// map beside; the window animated or moved by pointer and keys.

import { dotProducts, kernelSlice, windowValues } from "../network/windowMath.js";
import { createWindowView, paintWindow, windowTable } from "./poolView.js";
import { el, textEl } from "../ui/dom.js";
import { paintValue, setNumber } from "../ui/numberCell.js";
import { t, tNodes } from "../ui/i18n.js";

/**
 * The formula of a depthwise neuron in `middle`: Σ of the window (its cells, filled as the window moves) times the
 * kernel's `weights` (kh x kw, fixed), plus the `bias` (null without one) = the result. {call, cells, sum, result}.
 */
function formulaCall(middle, [kh, kw], weights, { bias, colors, format }) {
  textEl("p", "pair-kind", t("view.depthwise.kind"), middle);
  const call = el("div", "pair-call pool-call", middle);
  call.setAttribute("aria-live", "polite");
  textEl("span", "", "Σ", call);
  const cells = windowTable(call, kh, kw);
  textEl("span", "", "×", call);
  const kernelCells = windowTable(call, kh, kw, t("view.depthwise.kernel"), "depthwise-kernel");
  const largest = Math.max(...Array.from(weights, Math.abs)) || 1; // the weights' colours: symmetric about 0
  kernelCells.forEach((cell, k) => {
    setNumber(cell, weights[k], format);
    paintValue(cell, weights[k], colors.weights, { min: -largest, max: largest });
  });
  textEl("span", "", "=", call);
  const sum = el("output", "pair-number", call);
  sum.dataset.testid = "depthwise-sum";
  let result = sum; // without a bias, the sum is the output
  if (bias !== null) {
    textEl("span", "", "+", call);
    const b = el("output", "pair-number", call);
    b.dataset.testid = "depthwise-bias";
    setNumber(b, bias, format);
    textEl("span", "", "=", call);
    result = el("output", "pair-number pair-y", call);
  }
  sum.classList.toggle("pair-y", result === sum);
  result.dataset.testid = "depthwise-result";
  return { call, cells, sum, result };
}

/** The depthwise view of `params.neuron` of depthwise layer `params.layer` (see host.js for the interface). */
export function create(context, params) {
  const layer = context.layer(params.layer);
  const { format, colors } = context;
  const source = context.layer(layer.input);
  const neuron = params.neuron;
  const inputLut = colors.lut(source.name);
  const { kernel, bias } = context.weights(layer.name);
  const weights = kernelSlice(kernel, neuron, 0);
  const [kh, kw] = layer.kernel_size;
  const values = { height: kh, width: kw, channel: neuron, source: source.name };
  const summary = tNodes(bias ? "view.depthwise.summary.bias" : "view.depthwise.summary", values);
  const makeFormula = (middle, geometry) => {
    const [, outW, channels] = geometry.outShape;
    const parts = formulaCall(middle, geometry.kernel, weights, {
      bias: bias ? bias.data[neuron] : null,
      colors,
      format,
    });
    const { call, cells, sum, result } = parts;
    return {
      call,
      show(pos, inputs, outputs, range) {
        const window = windowValues(inputs, neuron, geometry, pos);
        paintWindow(cells, { ...window, index: -1 }, { format, lut: inputLut, range });
        if (sum !== result) setNumber(sum, dotProducts(window.values, weights).sum, format);
        setNumber(result, outputs.data[(pos[0] * outW + pos[1]) * channels + neuron], format);
      },
    };
  };
  return createWindowView(context, params, { summary, makeFormula });
}
