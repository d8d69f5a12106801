import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MAX_WORKING_SIDE,
  centreCrop,
  compositeOnWhite,
  darkBackground,
  luma,
  resizeRgb,
  resizeTaps,
  toModelPixels,
  workingSize,
} from "../../src/image/preprocess.js";

/** An opaque RGBA image whose pixel (x, y) is grey `value(x, y)`. */
function greyImage(width, height, value) {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      rgba.fill(value(x, y), i, i + 3);
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

test("the centre crop is the largest centred region with the output's aspect ratio", () => {
  assert.deepEqual(centreCrop(600, 400, 28, 28), { x: 100, y: 0, width: 400, height: 400 });
  assert.deepEqual(centreCrop(400, 601, 28, 28), { x: 0, y: 100, width: 400, height: 400 });
  assert.deepEqual(centreCrop(28, 28, 28, 28), { x: 0, y: 0, width: 28, height: 28 });
  assert.deepEqual(centreCrop(100, 100, 32, 16), { x: 0, y: 25, width: 100, height: 50 });
});

test("large crops are scaled in the browser to a whole multiple of the model's size first", () => {
  assert.deepEqual(workingSize(400, 400, 28, 28), [400, 400]);
  assert.deepEqual(workingSize(MAX_WORKING_SIDE, MAX_WORKING_SIDE, 28, 28), [MAX_WORKING_SIDE, MAX_WORKING_SIDE]);
  assert.deepEqual(workingSize(4000, 4000, 28, 28), [1008, 1008]);
  assert.deepEqual(workingSize(4000, 4000, 128, 128), [1024, 1024]);
});

test("shrinking weighs each source pixel by its overlap with the output pixel", () => {
  assert.deepEqual(resizeTaps(4, 2), {
    denominator: 4,
    taps: [
      { first: 0, weights: [2, 2] },
      { first: 2, weights: [2, 2] },
    ],
  });
  // 3 -> 2: output 0 covers source [0, 1.5), output 1 covers [1.5, 3); weights in halves of a pixel, out of 3.
  assert.deepEqual(resizeTaps(3, 2), {
    denominator: 3,
    taps: [
      { first: 0, weights: [2, 1] },
      { first: 1, weights: [1, 2] },
    ],
  });
  for (const [from, to] of [
    [400, 28],
    [1008, 28],
    [29, 28],
    [28, 28],
  ]) {
    const { denominator, taps } = resizeTaps(from, to);
    for (const { weights } of taps) {
      assert.equal(
        weights.reduce((a, b) => a + b),
        denominator,
        `${from} -> ${to}`,
      );
      assert.ok(weights.every((w) => Number.isInteger(w) && w > 0));
    }
  }
  assert.deepEqual(
    resizeTaps(3, 3).taps,
    [0, 1, 2].map((first) => ({ first, weights: [3] })),
  );
});

test("enlarging is bilinear between pixel centres, clamped at the edges", () => {
  // 2 -> 4: centres at source -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1); eighths of a pixel.
  assert.deepEqual(resizeTaps(2, 4), {
    denominator: 8,
    taps: [
      { first: 0, weights: [8, 0] },
      { first: 0, weights: [6, 2] },
      { first: 0, weights: [2, 6] },
      { first: 0, weights: [0, 8] },
    ],
  });
  assert.deepEqual(
    resizeTaps(1, 3).taps,
    [0, 0, 0].map((first) => ({ first, weights: [6] })),
  );
});

test("a one-pixel line survives shrinking (nearest-neighbour would drop half of them)", () => {
  const rgba = greyImage(56, 56, (x) => (x === 21 ? 255 : 0));
  const pixels = toModelPixels(rgba, 56, 56, { outHeight: 28, outWidth: 28, channels: 1 });
  for (let y = 0; y < 28; y++) {
    assert.deepEqual(Array.from(pixels.subarray(y * 28 + 9, y * 28 + 12)), [0, 128, 0]);
  }
});

test("transparency is composited on white, in whole numbers (times 255)", () => {
  const rgba = Uint8ClampedArray.from([0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128, 10, 20, 30, 51]);
  const rgb = compositeOnWhite(rgba, 4, { x: 0, y: 0, width: 4, height: 1 });
  const levels = resizeRgb(rgb, 4, 1, 4, 1, 255);
  // Pillow: Image.alpha_composite(white, Image.new("RGBA", (1, 1), colour))
  assert.deepEqual(Array.from(levels), [255, 255, 255, 0, 0, 0, 127, 127, 127, 206, 208, 210]);
});

test("grey is Pillow's ITU-R 601-2 luma, and leaves grey pixels unchanged", () => {
  // Pillow: Image.new("RGB", (1, 1), c).convert("L").getpixel((0, 0))
  assert.equal(luma(255, 0, 0), 76);
  assert.equal(luma(0, 255, 0), 150);
  assert.equal(luma(0, 0, 255), 29);
  assert.equal(luma(12, 200, 99), 132);
  for (let v = 0; v < 256; v++) assert.equal(luma(v, v, v), v);
});

test("an image already the model's size and grey comes through exactly", () => {
  const value = (x, y) => (x * 7 + y * 13) % 256;
  const pixels = toModelPixels(greyImage(28, 28, value), 28, 28, { outHeight: 28, outWidth: 28, channels: 1 });
  assert.equal(pixels.length, 28 * 28);
  pixels.forEach((v, i) => assert.equal(v, value(i % 28, Math.floor(i / 28))));
});

test("invert turns v into 255 - v after the grey conversion", () => {
  const rgba = Uint8ClampedArray.from([12, 200, 99, 255]);
  const options = { outHeight: 1, outWidth: 1, channels: 1 };
  assert.deepEqual(Array.from(toModelPixels(rgba, 1, 1, { ...options, invert: true })), [255 - 132]);
});

test("colour models keep RGB; the crop is taken from the centre", () => {
  // 3 x 1: red, green, blue; the square crop is the green pixel.
  const rgba = Uint8ClampedArray.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255]);
  const options = { outHeight: 2, outWidth: 2, channels: 3 };
  assert.deepEqual(Array.from(toModelPixels(rgba, 3, 1, options)), [0, 255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0]);
});

test("resizing RGB keeps channels apart and rounds exact halves up", () => {
  const rgb = Float64Array.from([0, 10, 20, 101, 110, 120]);
  assert.deepEqual(Array.from(resizeRgb(rgb, 2, 1, 1, 1)), [51, 60, 70]);
});

test("a dark background is told from the images' borders", () => {
  const item = (background) => {
    const image = new Uint8Array(5 * 5).fill(background);
    image[12] = 255 - background;
    return image;
  };
  assert.equal(darkBackground([item(0), item(10)], 5, 5, 1), true);
  assert.equal(darkBackground([item(255)], 5, 5, 1), false);
  assert.equal(darkBackground([new Uint8Array(2 * 2 * 3).fill(250)], 2, 2, 3), false);
});
