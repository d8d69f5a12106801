// What the conv view and its formula show, and how large: the density of the channel cards, the maps' sizes against
// the input map's, which terms the formula adds up, which input channel's formula is open at first and whether the
// window plays. No DOM (t gives plain text).

import { t } from "../ui/i18n.js";

export const FEW_CHANNELS = 3; // up to this many input channels: large maps
export const MANY_CHANNELS = 16; // more than this: small maps, more cards a row

/** The view's class for `channels` input channels: " is-few" (large maps), " is-many" (small ones) or "". */
export function densityClass(channels) {
  return channels <= FEW_CHANNELS ? " is-few" : channels > MANY_CHANNELS ? " is-many" : "";
}

/**
 * The maps' widths against the input map's, for a window `geometry`: {input (with its padding ring), intermediate
 * (the output's width), output (the neuron's map against its longer side)}.
 */
export function mapRatios(geometry) {
  const inW = geometry.inShape[1];
  const [outH, outW] = geometry.outShape;
  const padCols = inW + geometry.pad.left + geometry.pad.right;
  return { input: padCols / inW, intermediate: outW / inW, output: outW / Math.max(outH, outW) };
}

/**
 * CSS widths of an input map and an intermediate map when the input map is `unit` (a CSS custom property, --map or
 * --fx-map) wide: {input, intermediate}; an intermediate is never under --map-min.
 */
export function mapSizes(geometry, unit) {
  const ratios = mapRatios(geometry);
  return {
    input: `calc(var(${unit}) * ${ratios.input})`,
    intermediate: `max(var(--map-min), calc(var(${unit}) * ${ratios.intermediate}))`,
  };
}

/** The input channel whose formula opens with the view: `channel` (from the URL) when there is one, else null. */
export function initialChannel(channel, channels) {
  return channel !== undefined && channel < channels ? channel : null;
}

/** Whether the window plays when the view opens: not at a position or formula from the URL, nor with reduced motion. */
export function playsAtFirst(pos, channel, reducedMotion) {
  return !pos && channel === null && !reducedMotion;
}

/**
 * The formula's sum, term by term, for filter `neuron` reading `channels` input channels with channel `current`
 * open: [{op, label} (an operator and its accessible name) or {kind ("intermediate", "bias", "result"), channel
 * (intermediates), className, caption, tag}], the intermediates, the bias when `useBias`, "=", the result.
 */
export function formulaTerms({ channels, current, useBias, neuron }) {
  const plus = { op: "+", label: t("view.op.plus") };
  const items = [];
  for (let c = 0; c < channels; c++) {
    if (c > 0) items.push(plus);
    const className = c === current ? "is-current" : "";
    items.push({ kind: "intermediate", channel: c, className, caption: t("view.ch", { channel: c }), tag: "span" });
  }
  if (useBias) items.push(plus, { kind: "bias", className: "fx-bias", caption: t("view.bias"), tag: "span" });
  items.push({ op: "=", label: t("view.op.equals") });
  items.push({
    kind: "result",
    className: "fx-result",
    caption: t("view.channel", { channel: neuron }),
    tag: "output",
  });
  return items;
}
