// What the playground says: the numbers its output-size formula fills in, the line under it (what does not work, or a
// remark on what does), the grids' captions, and the sentences under the grids about the patch, the kernel, the
// padding and the cells no window covers. Messages that hold names are returned as {key, values}, for the page to
// fill with nodes (ui/i18n.js tNodes); the rest as text. No DOM.

import { formatNumber, plainNumber } from "../ui/format.js";
import { t } from "../ui/i18n.js";

/**
 * The numbers of the formula O = (W - K + 2P) / S + 1 at `settings`, as written: {input, kernel, padding (2P),
 * stride, size (O, from convOutput's `geometry`), sizeText}.
 */
export function formulaNumbers({ input, kernel, padding, stride }, geometry) {
  return {
    input: String(input),
    kernel: String(kernel),
    padding: String(2 * padding),
    stride: String(stride),
    size: geometry.size,
    sizeText: plainNumber(geometry.size),
  };
}

/** The line under the formula for `geometry` (convOutput): {key, values, problem} for a problem or a note, else null. */
export function formulaMessage({ problem, note }) {
  if (problem) return { key: "playground.problem", values: { problem }, problem: true };
  if (note) return { key: "playground.note", values: { note }, problem: false };
  return null;
}

/**
 * The grids' captions at `settings` with `geometry` (convOutput): {input, kernel, output (null when there is no
 * output), empty (why there is none, or null)}.
 */
export function gridCaptions(settings, geometry, hasOutput) {
  const { input: size, padding, kernel } = settings;
  const why = geometry.span < 0 ? "playground.noOutput.kernel" : "playground.noOutput.stride";
  return {
    input: padding
      ? t("playground.grid.inputPadded", { size, padded: geometry.padded })
      : t("playground.grid.input", { size }),
    kernel: t("playground.grid.kernel", { size: kernel }),
    output: hasOutput ? t("playground.grid.output", { size: geometry.steps }) : null,
    empty: hasOutput ? null : t(why),
  };
}

/**
 * The sentences under the grids for `values` (playgroundGrids.js gridValues) at `settings`, for conv layer `layer`
 * reading `channels` channels of pixels divided by `divisor`: [{key, values}], values null for a sentence without.
 */
export function aboutSentences(values, settings, { layer, channels, divisor }) {
  const { patch, classic, bias, geometry } = values;
  const { input: w, kernel: k, channel, filter } = settings;
  const [height, width] = layer.kernel_size;
  const several = channels > 1;
  const sentences = [
    {
      key: several ? "playground.about.inputChannel" : "playground.about.input",
      values: {
        size: w,
        channel,
        top: patch.top,
        bottom: patch.top + w - 1,
        left: patch.left,
        right: patch.left + w - 1,
        divisor,
      },
    },
    classic
      ? {
          key: "playground.about.classic",
          values: { size: k, name: classic.name, about: classic.about, layer: layer.name, height, width },
        }
      : {
          key: several ? "playground.about.filterChannel" : "playground.about.filter",
          values: { filter, layer: layer.name, channel, height, width, bias: formatNumber(bias) },
        },
  ];
  if (settings.padding) sentences.push({ key: "playground.about.padding", values: null });
  if (geometry.leftover) sentences.push({ key: "playground.about.leftover", values: null });
  return sentences;
}
