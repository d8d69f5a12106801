// The arithmetic of "what the model looks at": a gradient's strength per pixel, a Grad-CAM map brought to the
// image's size, and either laid over the image. No DOM.

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

/** `values` divided by their largest, so the strongest is 1 (all zeros stay zeros). */
export function relativeToMax(values) {
  let top = 0;
  for (const v of values) if (v > top) top = v;
  return top > 0 ? Float32Array.from(values, (v) => v / top) : new Float32Array(values.length);
}

/**
 * RGBA pixels (Uint8ClampedArray) of the uint8 image `pixels` (H x W x C) in grey, with `color` ([r, g, b]) laid over
 * each pixel in proportion to `strength` (0..1 per pixel).
 */
export function overlay(pixels, [height, width, channels], strength, color) {
  const out = new Uint8ClampedArray(height * width * 4);
  for (let p = 0; p < height * width; p++) {
    let grey = 0;
    for (let c = 0; c < channels; c++) grey += pixels[p * channels + c];
    grey /= channels;
    const a = Math.min(Math.max(strength[p], 0), 1);
    for (let k = 0; k < 3; k++) out[p * 4 + k] = grey * (1 - a) + color[k] * a;
    out[p * 4 + 3] = 255;
  }
  return out;
}
