// Layers the builder does not store (docs/format.md): recomputed exactly from their input's stored values.

import { windowGeometry } from "./windowMath.js";

/** Whether `layer`'s output is recomputed in the page rather than stored (ReLU, max pooling, flatten, dropout). */
export function isDerived(layer) {
  return (
    (layer.kind === "activation" && layer.function === "relu") ||
    (layer.kind === "pool" && layer.op === "max") ||
    layer.kind === "flatten" ||
    layer.kind === "dropout"
  );
}

/** Max pooling of an H x W x C Float32Array as Keras computes it (padded positions are ignored). */
export function maxPool(data, layer) {
  const { kernel: poolSize, strides, pad, inShape, outShape } = windowGeometry(layer);
  const [h, w, c] = inShape;
  const [oh, ow] = outShape;
  const { top, left } = pad;
  const out = new Float32Array(oh * ow * c);
  for (let y = 0; y < oh; y++) {
    const y0 = Math.max(y * strides[0] - top, 0);
    const y1 = Math.min(y * strides[0] - top + poolSize[0], h);
    for (let x = 0; x < ow; x++) {
      const x0 = Math.max(x * strides[1] - left, 0);
      const x1 = Math.min(x * strides[1] - left + poolSize[1], w);
      for (let k = 0; k < c; k++) {
        let best = -Infinity;
        for (let yy = y0; yy < y1; yy++) {
          for (let xx = x0; xx < x1; xx++) best = Math.max(best, data[(yy * w + xx) * c + k]);
        }
        out[(y * ow + x) * c + k] = best;
      }
    }
  }
  return out;
}

/** The output data of derived `layer` given its input's data (see isDerived). */
export function deriveLayer(layer, input) {
  if (layer.kind === "activation") return input.map((v) => (v > 0 ? v : 0));
  if (layer.kind === "pool") {
    return maxPool(input, layer);
  }
  if (layer.kind === "flatten" || layer.kind === "dropout") return input;
  throw new Error(`layer ${layer.name} (${layer.kind}) is stored, not derived`);
}
