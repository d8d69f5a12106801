// One activation heatmap: a channel of an H x W x C tensor drawn into a small canvas at native resolution.

import { LUT_SIZE } from "./colors.js";

/** Fill RGBA `pixels` (H*W*4) with channel `channel` of `data` (H x W x C, channels last) coloured by `lut` over min..max. */
export function fillHeatmap(pixels, data, height, width, channels, channel, min, max, lut) {
  const size = lut.length / 4 || LUT_SIZE;
  const span = max > min ? max - min : 0;
  const scale = span ? (size - 1) / span : 0;
  const middle = (size - 1) >> 1;
  const count = height * width;
  for (let p = 0, i = channel, o = 0; p < count; p++, i += channels, o += 4) {
    let k = middle;
    if (span) {
      k = Math.round((data[i] - min) * scale);
      if (!(k > 0)) k = 0;
      else if (k > size - 1) k = size - 1;
    }
    k *= 4;
    pixels[o] = lut[k];
    pixels[o + 1] = lut[k + 1];
    pixels[o + 2] = lut[k + 2];
    pixels[o + 3] = 255;
  }
  return pixels;
}

/** Fill RGBA `pixels` with the RGB (or grey, for one channel) image in uint8 `bytes` (H x W x C). */
export function fillImage(pixels, bytes, height, width, channels) {
  const count = height * width;
  for (let p = 0, i = 0, o = 0; p < count; p++, i += channels, o += 4) {
    const r = bytes[i];
    pixels[o] = r;
    pixels[o + 1] = channels === 3 ? bytes[i + 1] : r;
    pixels[o + 2] = channels === 3 ? bytes[i + 2] : r;
    pixels[o + 3] = 255;
  }
  return pixels;
}

/** A canvas of `width` x `height` device pixels meant to be scaled up with CSS (pixelated). */
export function createHeatmapCanvas(width, height) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

const images = new Map(); // one scratch ImageData per size, shared by all canvases of that size

function imageFor(canvas) {
  if (!canvas._context) canvas._context = canvas.getContext("2d", { alpha: false });
  const key = `${canvas.width}x${canvas.height}`;
  if (!images.has(key)) images.set(key, canvas._context.createImageData(canvas.width, canvas.height));
  return images.get(key);
}

/** Draw channel `channel` of `tensor` ({shape: [H, W, C], data}) into `canvas` with `lut` over `range`. */
export function drawHeatmap(canvas, tensor, channel, range, lut) {
  const [height, width, channels] = tensor.shape;
  const image = imageFor(canvas);
  fillHeatmap(image.data, tensor.data, height, width, channels, channel, range.min, range.max, lut);
  canvas._context.putImageData(image, 0, 0);
}

/** Draw the uint8 image `bytes` (H x W x C, 1 or 3 channels) into `canvas` as a picture. */
export function drawImage(canvas, bytes, height, width, channels) {
  const image = imageFor(canvas);
  fillImage(image.data, bytes, height, width, channels);
  canvas._context.putImageData(image, 0, 0);
}
