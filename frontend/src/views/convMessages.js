// What the conv view and its formula say: which summary message describes the layer and its values, what the
// formula's sum holds, a kernel's description, the formula's title at a window position. No DOM (t gives plain
// text; the views turn message keys and values into nodes).

import { t } from "../ui/i18n.js";

/**
 * The view's summary of filter `filter` of conv `layer` reading `source`: {how: [key, values] (kernels, stride and
 * padding: values.padding is a message key), summary: [key, values] (how the intermediates make the channel;
 * values.how is to be filled with `how`)}.
 */
export function convSummary(layer, source, filter) {
  const [kh, kw] = layer.kernel_size;
  const [sh, sw] = layer.strides;
  const channels = layer.input_shape[2];
  const padding = layer.padding === "same" ? "view.conv.padding.same" : "view.conv.padding.valid";
  const how = { count: channels, height: kh, width: kw, stride: sh === sw ? sh : `${sh}×${sw}`, padding };
  // messages view.conv.summary.{one,many}[Bias]: one input channel or several, with or without a bias
  const key = `view.conv.summary.${channels === 1 ? "one" : "many"}${layer.use_bias ? "Bias" : ""}`;
  const values = { source: source.name, layer: layer.name, channel: filter, count: channels };
  return { how: ["view.conv.how", how], summary: [key, values] };
}

/** The message naming what is added up into the output (messages view.formula.terms.{one,many}[Bias]). */
export function termsKey(channels, useBias) {
  return `view.formula.terms.${channels > 1 ? "many" : "one"}${useBias ? "Bias" : ""}`;
}

/** A kernel image's description: its input channel `channel` and the range of its `weights`, `format`ted. */
export function kernelAlt(channel, weights, format) {
  return t("view.conv.kernel.alt", { channel, min: format(Math.min(...weights)), max: format(Math.max(...weights)) });
}

/** The formula's heading of input channel `channel` at output position `pos`: {title, label (its accessible name)}. */
export function formulaHeading(channel, pos) {
  const at = { channel, row: pos[0], col: pos[1] };
  return { title: t("view.formula.title", at), label: t("view.formula.label", at) };
}
