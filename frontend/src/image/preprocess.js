// A visitor's image as the network sees it: pure maths on RGBA arrays (no DOM), so it is tested in Node.
//
// toModelPixels(rgba) runs these steps, exactly as the builder does for image folders (builder/resize.py):
//   1. composite on white: c' = 255 + (c - 255) * alpha / 255 (transparent pixels become white);
//   2. centre crop to the model's aspect ratio (a square for every model the builder makes);
//   3. resize each RGB channel to the model's size, separably: area averaging (a box filter with
//      fractional coverage at the edges) when shrinking, so thin lines survive; bilinear (pixel
//      centres aligned, edges clamped) when enlarging;
//   4. round to 0..255, half up. Steps 1 to 4 are exact: whole-number weights and sums, one division;
//   5. grey when the model reads one channel, with Pillow's ITU-R 601-2 luma (convert("L")):
//      L = (R * 19595 + G * 38470 + B * 7471 + 0x8000) >> 16, i.e. R*299/1000 + G*587/1000 + B*114/1000;
//   6. optionally inverted (255 - v): Fashion-MNIST shows light items on black.

/** The largest side (pixels) of a crop read back from a canvas; bigger crops are scaled down in the browser first. */
export const MAX_WORKING_SIDE = 1024;

/** The centred crop {x, y, width, height} of a `width` x `height` image with the aspect ratio of `outWidth` x `outHeight`. */
export function centreCrop(width, height, outWidth, outHeight) {
  let cropWidth = width;
  let cropHeight = Math.round((width * outHeight) / outWidth);
  if (cropHeight > height) {
    cropHeight = height;
    cropWidth = Math.round((height * outWidth) / outHeight);
  }
  cropWidth = Math.max(1, Math.min(width, cropWidth));
  cropHeight = Math.max(1, Math.min(height, cropHeight));
  return {
    x: Math.floor((width - cropWidth) / 2),
    y: Math.floor((height - cropHeight) / 2),
    width: cropWidth,
    height: cropHeight,
  };
}

/**
 * The size [width, height] to scale a `cropWidth` x `cropHeight` crop to before reading its pixels: the crop
 * itself when no side exceeds MAX_WORKING_SIDE, else the largest whole multiple of the output size that fits.
 */
export function workingSize(cropWidth, cropHeight, outWidth, outHeight) {
  if (Math.max(cropWidth, cropHeight) <= MAX_WORKING_SIDE) return [cropWidth, cropHeight];
  const factor = Math.max(1, Math.floor(MAX_WORKING_SIDE / Math.max(outWidth, outHeight)));
  return [outWidth * factor, outHeight * factor];
}

/**
 * How to resize one axis from `inSize` to `outSize` pixels, in whole numbers: {denominator, taps}, with for each
 * output pixel a tap {first, weights}: source pixels first, first + 1, ... weigh weights[0], weights[1], ... out of
 * `denominator`. Area averaging when shrinking (denominator inSize: each weight is the source pixel's overlap with
 * the output pixel, in 1/outSize pixels); bilinear between pixel centres, clamped, when enlarging (2 * outSize).
 */
export function resizeTaps(inSize, outSize) {
  const taps = [];
  if (inSize >= outSize) {
    for (let i = 0; i < outSize; i++) {
      const start = i * inSize; // the output pixel spans [start, end) in 1/outSize source pixels
      const end = start + inSize;
      const first = Math.floor(start / outSize);
      const weights = [];
      for (let j = first; j * outSize < end; j++) {
        weights.push(Math.min(end, (j + 1) * outSize) - Math.max(start, j * outSize));
      }
      taps.push({ first, weights });
    }
    return { denominator: inSize, taps };
  }
  const denominator = 2 * outSize;
  for (let i = 0; i < outSize; i++) {
    // the output pixel's centre in source pixel coordinates, in 1/denominator pixels
    const centre = Math.min((inSize - 1) * denominator, Math.max(0, (2 * i + 1) * inSize - outSize));
    const first = Math.min(Math.floor(centre / denominator), Math.max(0, inSize - 2));
    const fraction = centre - first * denominator;
    taps.push({ first, weights: inSize === 1 ? [denominator] : [denominator - fraction, fraction] });
  }
  return { denominator, taps };
}

/**
 * The RGB values (row-major, 3 per pixel) of region `crop` of RGBA `rgba` (`width` wide) composited on white,
 * times 255 so they are whole numbers: 255 * 255 + (c - 255) * alpha.
 */
export function compositeOnWhite(rgba, width, crop) {
  const rgb = new Float64Array(crop.width * crop.height * 3);
  for (let y = 0, o = 0; y < crop.height; y++) {
    for (let x = 0, i = ((crop.y + y) * width + crop.x) * 4; x < crop.width; x++, i += 4) {
      const alpha = rgba[i + 3];
      rgb[o++] = 65025 + (rgba[i] - 255) * alpha;
      rgb[o++] = 65025 + (rgba[i + 1] - 255) * alpha;
      rgb[o++] = 65025 + (rgba[i + 2] - 255) * alpha;
    }
  }
  return rgb;
}

/**
 * The uint8 RGB image (`outWidth` x `outHeight`) resized from whole-number RGB values `rgb` (`width` x `height`,
 * `scale` times 0..255) with resizeTaps, one axis at a time, rounded half up. Sums of whole numbers below 2^53 are
 * exact in floating point, so ties are ties and the result is the same on every machine.
 */
export function resizeRgb(rgb, width, height, outWidth, outHeight, scale = 1) {
  const across = resizeTaps(width, outWidth);
  const down = resizeTaps(height, outHeight);
  const rows = new Float64Array(height * outWidth * 3);
  for (let y = 0, o = 0; y < height; y++) {
    for (const { first, weights } of across.taps) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0, i = (y * width + first) * 3; k < weights.length; k++, i += 3) {
        r += rgb[i] * weights[k];
        g += rgb[i + 1] * weights[k];
        b += rgb[i + 2] * weights[k];
      }
      rows[o++] = r;
      rows[o++] = g;
      rows[o++] = b;
    }
  }
  const divisor = scale * across.denominator * down.denominator;
  const out = new Uint8Array(outHeight * outWidth * 3);
  const stride = outWidth * 3;
  down.taps.forEach(({ first, weights }, y) => {
    for (let v = 0; v < stride; v++) {
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += rows[(first + k) * stride + v] * weights[k];
      out[y * stride + v] = Math.floor((2 * sum + divisor) / (2 * divisor)); // sum / divisor, rounded half up
    }
  });
  return out;
}

/** Pillow's ITU-R 601-2 luma (Image.convert("L")) of 8-bit `r`, `g`, `b`. */
export function luma(r, g, b) {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >>> 16;
}

/**
 * The model's uint8 input (outHeight x outWidth x channels, channels 1 or 3) for the RGBA image `rgba`
 * (`width` x `height`), by the steps at the top of this file; `invert` turns v into 255 - v.
 */
export function toModelPixels(rgba, width, height, { outHeight, outWidth, channels, invert = false }) {
  const crop = centreCrop(width, height, outWidth, outHeight);
  const rgb = compositeOnWhite(rgba, width, crop);
  const levels = resizeRgb(rgb, crop.width, crop.height, outWidth, outHeight, 255);
  const count = outHeight * outWidth;
  const pixels = channels === 1 ? new Uint8Array(count) : levels;
  if (channels === 1) {
    for (let p = 0; p < count; p++) pixels[p] = luma(levels[p * 3], levels[p * 3 + 1], levels[p * 3 + 2]);
  }
  if (invert) for (let i = 0; i < pixels.length; i++) pixels[i] = 255 - pixels[i];
  return pixels;
}

/** Whether uint8 `images` (each `height` x `width` x `channels`) have dark borders on average: light items on dark. */
export function darkBackground(images, height, width, channels) {
  let sum = 0;
  let count = 0;
  for (const image of images) {
    for (let y = 0; y < height; y++) {
      const step = y === 0 || y === height - 1 ? 1 : Math.max(1, width - 1);
      for (let x = 0; x < width; x += step) {
        const i = (y * width + x) * channels;
        sum += channels === 3 ? luma(image[i], image[i + 1], image[i + 2]) : image[i];
        count++;
      }
    }
  }
  return count > 0 && sum / count < 128;
}

/**
 * Model pixels `pixels` (uint8 H x W x C, `shape` [h, w, c]) moved `dx` to the right and `dy` down (negative: the
 * other way), the strip they leave filled with the top-left pixel (the background of a centred item): the same
 * picture a few pixels aside, to compare with itself (what if).
 */
export function shiftedPixels(pixels, [h, w, c], dx, dy) {
  const out = new Uint8Array(pixels.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = x - dx;
      const sy = y - dy;
      const inside = sx >= 0 && sx < w && sy >= 0 && sy < h;
      for (let k = 0; k < c; k++) out[(y * w + x) * c + k] = inside ? pixels[(sy * w + sx) * c + k] : pixels[k];
    }
  }
  return out;
}
