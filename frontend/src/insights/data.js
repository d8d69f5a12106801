// The insights of the held-out test set (window.CNN_EXPLAIN_INSIGHTS, docs/format.md): the pool of test images
// every thumbnail draws from, the confusion matrix, the model's mistakes, each channel's top examples and the
// training history, decoded. No DOM.

import { decodeFloat16 } from "../model/float16.js";
import { base64ToBytes, gunzip } from "../model/payload.js";

export const INSIGHTS_FORMAT = 1;

/**
 * `raw` (the insights payload) decoded for a model reading `inputShape` images:
 * {dataset, testCount, accuracy, history,
 *  pool: {count, size, image(ref) -> {ref, testIndex, label, predicted, confidence, pixels (uint8 H x W x C)}},
 *  counts (rows: true class, columns: predicted), cells[t][p] (pool refs), mistakes (pool refs),
 *  examples(layer, channel) -> [{ref, value, row, col}] (value descending) or null, perChannel, leftOut,
 *  familiarity (decodeFamiliarity) or null}.
 */
export function decodeInsights(raw, inputShape) {
  if (!raw || raw.format !== INSIGHTS_FORMAT) {
    throw new Error(`the insights are in format ${raw?.format}; this page reads format ${INSIGHTS_FORMAT}`);
  }
  const pool = decodePool(raw.pool, inputShape);
  const layers = raw.top_examples?.layers ?? {};
  const examples = new Map(
    Object.entries(layers).map(([name, channels]) => [
      name,
      channels.map((list) => list.map(([ref, value, row, col]) => Object.freeze({ ref, value, row, col }))),
    ]),
  );
  return Object.freeze({
    dataset: raw.dataset,
    testCount: raw.test_count,
    accuracy: raw.accuracy,
    history: raw.history ?? null,
    pool,
    counts: raw.confusion.counts,
    cells: raw.confusion.cells,
    mistakes: raw.mistakes ?? [],
    perChannel: raw.top_examples?.per_channel ?? 0,
    leftOut: raw.top_examples?.left_out ?? [],
    examples: (layer, channel) => examples.get(layer)?.[channel] ?? null,
    hasExamples: (layer) => examples.has(layer),
    familiarity: raw.familiarity ? decodeFamiliarity(raw.familiarity) : null,
  });
}

/**
 * The recipe of network/familiarity.js, `raw` (docs/format.md) decoded: {layers, mean (Float64Array), factor (the
 * lower triangle of L, Float32Array), threshold, rate (the share of held-out images above it), heldOut ("test" or
 * "train")}.
 */
export function decodeFamiliarity(raw) {
  const mean = Float64Array.from(raw.mean);
  const factor = decodeFloat16(base64ToBytes(raw.factor.data));
  const size = mean.length;
  if (factor.length !== (size * (size + 1)) / 2) {
    throw new Error(
      `the familiarity factor holds ${factor.length} numbers; ${size} statistics need ${(size * (size + 1)) / 2}`,
    );
  }
  return Object.freeze({
    layers: raw.layers,
    mean,
    factor,
    threshold: raw.threshold,
    rate: raw.held_out_rate,
    heldOut: raw.held_out,
  });
}

/**
 * The pool of test images `raw` (the payload's, docs/format.md) for a model reading `inputShape` images:
 * {count, size, image(ref) -> {ref, testIndex, label, predicted, confidence, pixels (uint8 H x W x C)}, byTestIndex}.
 */
function decodePool(raw, inputShape) {
  const size = inputShape[0] * inputShape[1] * inputShape[2];
  const bytes = raw.count ? gunzip(base64ToBytes(raw.pixels.data)) : new Uint8Array(0);
  if (bytes.length !== raw.count * size) {
    throw new Error(`the pool holds ${bytes.length} bytes; ${raw.count} images of ${size} were expected`);
  }
  const images = [];
  for (let ref = 0; ref < raw.count; ref++) {
    images.push(
      Object.freeze({
        ref,
        testIndex: raw.test_index[ref],
        label: raw.label[ref],
        predicted: raw.predicted[ref],
        confidence: raw.confidence[ref],
        pixels: bytes.subarray(ref * size, (ref + 1) * size),
      }),
    );
  }
  return Object.freeze({
    count: raw.count,
    size,
    image: (ref) => images[ref],
    byTestIndex: (testIndex) => images.find((image) => image.testIndex === testIndex) ?? null,
  });
}

/** The mistakes the picker offers at first view (the payload's `mistakes`, or none): [image] as pool.image gives. */
export function decodeMistakes(raw, inputShape) {
  if (!raw) return [];
  const pool = decodePool(raw.pool, inputShape);
  return raw.mistakes.map((ref) => pool.image(ref));
}

/** Each class's accuracy from the confusion `counts` (rows: true class): diagonal / row total, null for an empty row. */
export function perClassAccuracy(counts) {
  return counts.map((row, t) => {
    const total = row.reduce((sum, n) => sum + n, 0);
    return total ? row[t] / total : null;
  });
}

/** The share of row `t` of `counts` that cell (t, p) holds, 0 for an empty row. */
export function rowRate(counts, t, p) {
  const total = counts[t].reduce((sum, n) => sum + n, 0);
  return total ? counts[t][p] / total : 0;
}
