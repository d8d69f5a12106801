// The playground's three grids (input * kernel = output) in numbers: their values and colour ranges for the settings
// and the image shown, the size of their cells for the width they have, which input cells are padding or left over,
// and the sliding window: where it and its output cell sit, its sum, and the animation's next step. No DOM.

import { symmetricRange, valueRange } from "../ui/colors.js";
import { kernelSlice } from "../network/windowMath.js";
import { busiestPatch, classicKernels, convOutput, convolve, padInput, windowProducts } from "./playgroundMath.js";

/** Cell sizes (CSS px): `min` holds a number of 4 characters (playgroundMath.js cellText) in the cells' 12 px type. */
export const CELL = { min: 28, max: 36, gap: 1 };
/** The width (CSS px) the grids take on paper: an A4 or Letter page less its margins and the box's padding. */
export const PAPER = 640;

/**
 * The grids' numbers for `settings` over `input` (the model's input, {shape, data}) with the layer's weights
 * (`kernel` {shape, data}, `bias` {data} or null): {geometry (convOutput), patch (busiestPatch), classic (the classic
 * kernel shown, or null), kernel (K^2 values), bias, padded ((W + 2P)^2 values), output (steps^2 values, or null when
 * the settings do not work), kernelRange, outputRange (or null)}.
 */
export function gridValues(settings, input, { kernel: modelKernel, bias }) {
  const geometry = convOutput(settings);
  const patch = busiestPatch(input, settings.input, settings.channel);
  const classic = classicKernels(settings.kernel).find((k) => k.id === settings.kernelKind) ?? null;
  const kernel = classic ? classic.values : kernelSlice(modelKernel, settings.channel, settings.filter);
  const b = classic ? 0 : bias ? bias.data[settings.filter] : 0;
  const padded = padInput(patch.values, settings.input, settings.padding);
  // settings that do not work have no output, even where Keras would drop the leftover columns and give one
  const output = geometry.valid ? convolve(padded, geometry.padded, kernel, settings.kernel, settings.stride, b) : null;
  const kernelRange = symmetricRange([valueRange(classic ? kernel : modelKernel.data)]);
  const outputRange = output ? symmetricRange([valueRange(output)]) : null;
  return { geometry, patch, classic, kernel, bias: b, padded, output, kernelRange, outputRange };
}

/**
 * The cells' size (CSS px) in `content` px of width (`printing`: on paper, at most PAPER) for grids of sides
 * `sides` (input, kernel, output): the largest up to CELL.max with the three side by side (the two signs between
 * them count as 3 cells), else with the widest grid alone on its line; never below CELL.min, where a grid wider than
 * the stage scrolls sideways instead (playground.css).
 */
export function cellSize(content, printing, [side, kernelSide, outSide]) {
  const room = printing ? Math.min(content, PAPER) : content;
  const pitch = (cells, space) => Math.floor((space - 2) / cells) - CELL.gap; // n cells take n * (size + gap) + 1
  const sideBySide = pitch(side + kernelSide + outSide + 3, room - 40);
  if (sideBySide >= CELL.min) return Math.min(CELL.max, sideBySide);
  const alone = pitch(Math.max(side, kernelSide, outSide), room - 10); // the grid's figure pads 4 px a side
  return Math.max(CELL.min, Math.min(CELL.max, alone));
}

/**
 * Per cell of the padded input grid (row-major), {pad: a padding zero, leftover: no window covers it}: with no
 * output (`hasOutput` false) every cell is left over.
 */
export function inputCellMarks({ input: w, padding: p, kernel, stride }, geometry, hasOutput) {
  const side = geometry.padded;
  const reach = (geometry.steps - 1) * stride + kernel; // the first row and column no window covers
  return Array.from({ length: side * side }, (_, i) => {
    const y = Math.floor(i / side);
    const x = i % side;
    return {
      pad: !(y >= p && y < p + w && x >= p && x < p + w),
      leftover: !(hasOutput && x < reach && y < reach),
    };
  });
}

/**
 * Output cell `index` of a grid of `steps` x `steps` cells of `size` px, and where its window (K x K input cells,
 * `stride` apart) and the cell itself are drawn, in px from their grids' corners: {row, col, window: {left, top,
 * width, height}, target: {left, top, width, height}}.
 */
export function windowBoxes(index, steps, { kernel, stride }, size) {
  const row = Math.floor(index / steps);
  const col = index % steps;
  const pitch = size + CELL.gap;
  const span = kernel * pitch - CELL.gap;
  return {
    row,
    col,
    window: { left: col * stride * pitch, top: row * stride * pitch, width: span, height: span },
    target: { left: col * pitch, top: row * pitch, width: size, height: size },
  };
}

/**
 * The sum written for output cell (`row`, `col`) of `values` (gridValues): {count (products), total (their sum), bias,
 * value (the output cell's)}.
 */
export function windowSum(values, { kernel, stride }, row, col) {
  const { padded, geometry, output } = values;
  const terms = windowProducts(padded, geometry.padded, values.kernel, kernel, stride, row, col);
  return {
    count: terms.length,
    total: terms.reduce((a, b) => a + b, 0),
    bias: values.bias,
    value: output[row * geometry.steps + col],
  };
}

/** The output cell shown first after a redraw: `position` where the new output still has it, else its last (or 0). */
export function startPosition(position, output) {
  return Math.min(position, output ? output.length - 1 : 0);
}

/** The output cell the animation shows after `position`, in reading order and round again: of `count` cells. */
export function nextPosition(position, count) {
  return (position + 1) % count;
}
