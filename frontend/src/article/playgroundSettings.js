// The playground's settings: how far each slider goes, where the sliders start for the model's convolution (or where
// a visitor left them before the page was built again in another language), which kernel the choice shows at each
// size (the model's filters only at their own size, never cropped or padded; else a classic kernel), and the
// choices its two selects offer. No DOM.

import { classicKernels } from "./playgroundMath.js";
import { t } from "../ui/i18n.js";

/**
 * How far each slider goes ([min, max] by setting): a larger grid would not fit the article's column with cells that
 * hold their numbers.
 */
export const LIMITS = { input: [3, 12], padding: [0, 3], kernel: [1, 7], stride: [1, 4] };
const DEFAULT_INPUT = 7; // a patch small enough to read every number, large enough for a stride of 2

/** `value` brought into slider `key`'s range. */
const within = (key, value) => Math.min(LIMITS[key][1], Math.max(LIMITS[key][0], value));

/**
 * The settings for conv layer `layer` (Keras's kernel_size, strides, padding): {input, kernel, padding, stride} as
 * the layer has them where the sliders allow, padding that keeps the size for "same" with an odd kernel.
 */
export function layerSettings(layer) {
  const kh = layer.kernel_size[0];
  return {
    input: within("input", Math.max(DEFAULT_INPUT, kh)),
    kernel: Math.min(LIMITS.kernel[1], kh),
    padding: layer.padding === "same" ? Math.floor((kh - 1) / 2) : 0, // "same" with stride 1 and an odd kernel
    stride: Math.min(LIMITS.stride[1], layer.strides[0]),
  };
}

/**
 * Where a playground for `layer` starts: `kept` (state.playground, what one built before in another language left,
 * or undefined) else the layer's settings, the model's filter 0 on channel 0, playing unless `reducedMotion`:
 * {settings: {input, kernel, padding, stride, filter, channel, kernelKind}, preferFilter, playing, position}.
 */
export function startingPlayground(layer, kept = {}, reducedMotion = false) {
  // kernelKind: "filter" (the model's filter `filter`, at the model's size only) or a classic kernel's id
  const settings = { ...layerSettings(layer), filter: 0, channel: 0, kernelKind: "filter", ...kept.settings };
  return {
    settings,
    preferFilter: kept.preferFilter ?? true, // the visitor last chose a model filter: back to it when it fits
    playing: kept.playing ?? !reducedMotion,
    position: kept.position ?? 0,
  };
}

/** The side of `layer`'s filters when they are square (the square playground shows them as they are), else null. */
export function modelKernelSize(layer) {
  const [kh, kw] = layer.kernel_size;
  return kh === kw ? kh : null;
}

/**
 * The kernel shown at `settings`' kernel size: "filter" when the model's filters have that size (`modelSize`) and the
 * visitor last chose one (`preferFilter`) or still has; else the classic kernel chosen, or the first classic one.
 */
export function fittingKernelKind({ kernel, kernelKind }, modelSize, preferFilter) {
  const hasFilters = kernel === modelSize;
  const classics = classicKernels(kernel);
  let kind = hasFilters && preferFilter ? "filter" : kernelKind;
  if (kind === "filter" && !hasFilters) kind = classics[0].id;
  if (kind !== "filter" && !classics.some((k) => k.id === kind)) kind = classics[0].id;
  return kind;
}

/**
 * The kernel select's groups for `settings` (its kernelKind one that fits): the model's filters of `layer` at their
 * own size `modelSize`, then the classic kernels; [{label, options: [{label, value}]}] and the value chosen
 * ("filter:F" or a classic kernel's id).
 */
export function kernelChoices(settings, layer, modelSize) {
  const groups = [];
  if (settings.kernel === modelSize) {
    groups.push({
      label: t("playground.kernelChoice.model", { layer: layer.name }),
      options: Array.from({ length: layer.filters }, (_, f) => ({
        label: t("playground.kernelChoice.filter", { filter: f }),
        value: `filter:${f}`,
      })),
    });
  }
  groups.push({
    label: t("playground.kernelChoice.classics"),
    options: classicKernels(settings.kernel).map((classic) => ({ label: classic.name, value: classic.id })),
  });
  const value = settings.kernelKind === "filter" ? `filter:${settings.filter}` : settings.kernelKind;
  return { groups, value };
}

/**
 * What choosing `value` in the kernel select sets: {preferFilter (a model filter was chosen), patch (the settings
 * that change: kernelKind, and the filter for a model filter)}.
 */
export function readKernelChoice(value) {
  const [kind, filter] = value.split(":");
  const preferFilter = kind === "filter";
  return { preferFilter, patch: preferFilter ? { kernelKind: kind, filter: Number(filter) } : { kernelKind: kind } };
}

/** The channel select's options for an input of `channels` channels: [{label, value}], none for one channel. */
export function channelChoices(channels) {
  if (channels <= 1) return [];
  return Array.from({ length: channels }, (_, c) => ({
    label: t("playground.channel.option", { channel: c }),
    value: String(c),
  }));
}
