// Sliding windows of convolution and pooling layers, as Keras computes them: geometry, padding, the values
// under a window, one input channel correlated with one kernel slice, and moving a window position. No DOM.

/**
 * The geometry of a conv or pool spec layer: {kernel: [kh, kw], strides, pad: {top, left, bottom, right},
 * inShape: [h, w, c], outShape: [h, w, c]}. `same` pads as TensorFlow does (the extra row/column at the
 * bottom/right); the window of output (row, col) starts at input (row * sh - top, col * sw - left).
 */
export function windowGeometry(layer) {
  const kernel = layer.kind === "pool" ? layer.pool_size : layer.kernel_size;
  const [inH, inW] = layer.input_shape;
  const [outH, outW] = layer.shape;
  const total = (inSize, outSize, k, s) => (layer.padding === "same" ? Math.max((outSize - 1) * s + k - inSize, 0) : 0);
  const padH = total(inH, outH, kernel[0], layer.strides[0]);
  const padW = total(inW, outW, kernel[1], layer.strides[1]);
  const top = Math.floor(padH / 2);
  const left = Math.floor(padW / 2);
  return {
    kernel: [...kernel],
    strides: [...layer.strides],
    pad: { top, left, bottom: padH - top, right: padW - left },
    inShape: [...layer.input_shape],
    outShape: [...layer.shape],
  };
}

/** The input cell {row, col} where the window of output position [row, col] starts (negative inside the padding). */
export function windowOrigin(geometry, [row, col]) {
  return { row: row * geometry.strides[0] - geometry.pad.top, col: col * geometry.strides[1] - geometry.pad.left };
}

/**
 * The kh x kw values of channel `channel` of `input` ({shape: [h, w, c], data}) under the window of output
 * position `pos`, row-major, as {values: Float64Array, inside: Uint8Array (0 where the cell is padding)}.
 * Padding cells hold `fill` (0 for convolution).
 */
export function windowValues(input, channel, geometry, pos, fill = 0) {
  const [h, w, c] = input.shape;
  const [kh, kw] = geometry.kernel;
  const origin = windowOrigin(geometry, pos);
  const values = new Float64Array(kh * kw);
  const inside = new Uint8Array(kh * kw);
  for (let i = 0; i < kh; i++) {
    const y = origin.row + i;
    for (let j = 0; j < kw; j++) {
      const x = origin.col + j;
      const k = i * kw + j;
      if (y >= 0 && y < h && x >= 0 && x < w) {
        values[k] = input.data[(y * w + x) * c + channel];
        inside[k] = 1;
      } else values[k] = fill;
    }
  }
  return { values, inside };
}

/** The kh x kw weights (row-major Float64Array) that filter `filter` applies to input channel `channel`; kernel is [kh, kw, in, out]. */
export function kernelSlice(kernel, channel, filter) {
  const [kh, kw, inC, outC] = kernel.shape;
  const slice = new Float64Array(kh * kw);
  for (let k = 0; k < kh * kw; k++) slice[k] = kernel.data[(k * inC + channel) * outC + filter];
  return slice;
}

/** The element-wise products of two equally long arrays, and their sum: {products: Float64Array, sum}. */
export function dotProducts(a, b) {
  const products = new Float64Array(a.length);
  let sum = 0;
  for (let k = 0; k < a.length; k++) {
    products[k] = a[k] * b[k];
    sum += products[k];
  }
  return { products, sum };
}

/**
 * Channel `channel` of `input` correlated with the kh x kw `weights` (a kernel slice) at every output position,
 * zero padding as `geometry` says: a Float64Array of outH x outW, row-major (an "intermediate" map).
 */
export function correlate(input, channel, weights, geometry) {
  const [h, w, c] = input.shape;
  const [kh, kw] = geometry.kernel;
  const [sh, sw] = geometry.strides;
  const [outH, outW] = geometry.outShape;
  const out = new Float64Array(outH * outW);
  const data = input.data;
  for (let row = 0; row < outH; row++) {
    const y0 = row * sh - geometry.pad.top;
    for (let col = 0; col < outW; col++) {
      const x0 = col * sw - geometry.pad.left;
      let sum = 0;
      for (let i = 0; i < kh; i++) {
        const y = y0 + i;
        if (y < 0 || y >= h) continue;
        for (let j = 0; j < kw; j++) {
          const x = x0 + j;
          if (x < 0 || x >= w) continue;
          sum += data[(y * w + x) * c + channel] * weights[i * kw + j];
        }
      }
      out[row * outW + col] = sum;
    }
  }
  return out;
}

/**
 * Pooling at output position `pos` of channel `channel`: {values, inside, result, index} where `values` are the
 * window's cells (padding cells are NaN and ignored, as Keras ignores them), `result` the max or mean of the cells
 * inside, `index` the cell holding the maximum (-1 for average pooling).
 */
export function poolWindow(input, channel, geometry, pos, op) {
  const { values, inside } = windowValues(input, channel, geometry, pos, NaN);
  let index = -1;
  let sum = 0;
  let count = 0;
  for (let k = 0; k < values.length; k++) {
    if (!inside[k]) continue;
    if (index < 0 || values[k] > values[index]) index = k;
    sum += values[k];
    count++;
  }
  if (op === "max") return { values, inside, result: values[index], index };
  return { values, inside, result: sum / count, index: -1 };
}

/** The output position whose window is centred nearest input cell [row, col], clamped to the output. */
export function positionFromInput(geometry, [row, col]) {
  const [outH, outW] = geometry.outShape;
  const axis = (cell, pad, k, s, size) => Math.min(size - 1, Math.max(0, Math.round((cell + pad - (k - 1) / 2) / s)));
  return [
    axis(row, geometry.pad.top, geometry.kernel[0], geometry.strides[0], outH),
    axis(col, geometry.pad.left, geometry.kernel[1], geometry.strides[1], outW),
  ];
}

/** The position `steps` places after `pos` in reading order on an [h, w] grid, wrapping around. */
export function stepPosition([row, col], [h, w], steps) {
  const count = h * w;
  const index = (((row * w + col + steps) % count) + count) % count;
  return [Math.floor(index / w), index % w];
}

const ARROWS = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

/** The position after key `key` (arrows by one cell, Home/End to the first/last cell) on an [h, w] grid, or null. */
export function positionAfterKey([row, col], [h, w], key) {
  if (key === "Home") return [0, 0];
  if (key === "End") return [h - 1, w - 1];
  const move = ARROWS[key];
  if (!move) return null;
  return [Math.min(h - 1, Math.max(0, row + move[0])), Math.min(w - 1, Math.max(0, col + move[1]))];
}

/** `pos` clamped to an [h, w] grid (the top-left cell when `pos` is missing). */
export function clampPosition(pos, [h, w]) {
  if (!pos) return [0, 0];
  return [Math.min(h - 1, Math.max(0, pos[0] | 0)), Math.min(w - 1, Math.max(0, pos[1] | 0))];
}

/** Milliseconds between two animation steps over `count` positions: a full pass takes about 30 s, 40 to 250 ms a step. */
export function stepDelay(count) {
  return Math.min(250, Math.max(40, Math.round(30000 / count)));
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
