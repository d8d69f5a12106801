// The arithmetic of "what the model looks at": a gradient's strength per pixel, a Grad-CAM map brought to the
// image's size, a map's pixels on a colour scale, and the image's edges to trace over it. No DOM.

import { lutIndex, valueRange } from "../ui/colors.js";

/** Per pixel of an H x W x C `gradient` ({shape, data}), the largest |value| over its channels (Float32Array H*W). */
export function gradientStrength({ shape, data }) {
  const [height, width, channels] = shape;
  const out = new Float32Array(height * width);
  for (let p = 0; p < out.length; p++) {
    let top = 0;
    for (let c = 0; c < channels; c++) top = Math.max(top, Math.abs(data[p * channels + c]));
    out[p] = top;
  }
  return out;
}

/**
 * An h x w map resized to `height` x `width` by bilinear interpolation on pixel centres (as tf.image.resizeBilinear
 * with halfPixelCenters, edges held): Float32Array height*width.
 */
export function resizeBilinear(values, [h, w], [height, width]) {
  const out = new Float32Array(height * width);
  const source = (i, size, target) => Math.min(Math.max(((i + 0.5) * size) / target - 0.5, 0), size - 1);
  for (let y = 0; y < height; y++) {
    const sy = source(y, h, height);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, h - 1);
    const fy = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = source(x, w, width);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, w - 1);
      const fx = sx - x0;
      const top = values[y0 * w + x0] * (1 - fx) + values[y0 * w + x1] * fx;
      const bottom = values[y1 * w + x0] * (1 - fx) + values[y1 * w + x1] * fx;
      out[y * width + x] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/** The largest of `values` (0 when there are none, or none is above 0). */
export function largest(values) {
  return Math.max(0, valueRange(values).max);
}

/** RGBA pixels (Uint8ClampedArray) of `strength` (one value per pixel) coloured by `lut` from 0 to `max`, clamped. */
export function heatPixels(strength, max, lut) {
  const size = lut.length / 4;
  const out = new Uint8ClampedArray(strength.length * 4);
  for (let p = 0; p < strength.length; p++) {
    const k = max > 0 ? lutIndex(strength[p], 0, max, size) * 4 : 0;
    out.set(lut.subarray(k, k + 3), p * 4);
    out[p * 4 + 3] = 255;
  }
  return out;
}

/**
 * The edges of the uint8 image `pixels` (H x W x C), to lay over a map of it, as an SVG path in pixel units: a
 * segment along every side two pixels share when their grey levels differ by more than `share` of the image's range.
 */
export function edgePath(pixels, [height, width, channels], share = 0.3) {
  const grey = new Float32Array(height * width);
  for (let p = 0; p < grey.length; p++) {
    for (let c = 0; c < channels; c++) grey[p] += pixels[p * channels + c] / channels;
  }
  const { min, max } = valueRange(grey);
  const step = (max - min) * share;
  if (!(step > 0)) return "";
  const segments = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      if (x + 1 < width && Math.abs(grey[p] - grey[p + 1]) > step) segments.push(`M${x + 1} ${y}v1`);
      if (y + 1 < height && Math.abs(grey[p] - grey[p + width]) > step) segments.push(`M${x} ${y + 1}h1`);
    }
  }
  return segments.join("");
}

/** The legend's range of a map of `values`: {min: 0, max: its largest value (0 for none above 0)}. */
export function mapRange(values) {
  return { min: 0, max: largest(values) };
}
