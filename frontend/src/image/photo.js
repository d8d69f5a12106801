// A photo prepared the way the training images were, for models trained on light objects on black (the spec's
// input.photo.recipe "object", measured by the builder, builder/photo.py). Fashion-MNIST's own preparation (Xiao et
// al. 2017) trimmed the background, fitted the longest side, centred the item and inverted it; on a photo that means:
//   1. grey levels of the photo composited on white (preprocess.js);
//   2. the background level: the median of the border (the outer 3% on each side), and its spread;
//   3. invert when the object is darker than the background, so it is light on dark like the training images;
//   4. the object: pixels standing out from the background by more than 3 times the border's spread (at least 16
//      levels), found on a copy shrunk to at most DETECT_SIDE pixels, which averages noise away; its box is
//      trimmed of the 0.5% outermost object pixels on each side, so a few specks of noise do not stretch it, then
//      found again at full size near that box. What stands out must stand clear of the picture's edge: when it
//      covers more than CLEAR_EDGE of one side of the border (a table's edge, a floor, a wall), it is no item, and
//      the photo gets the plain centre crop instead, said so (modelInput);
//   5. the background's noise (its spread at full size) taken off, and the object's contrast stretched so that its
//      99th percentile is 255;
//   6. the box, squared around its centre, scaled so its longest side is recipe.box pixels of the output, centred,
//      with the one resize filter of preprocess.js (area averaging).
// Other models get preprocess.js's plain centre crop and resize, as does a photo the visitor asks for so (modelInput).
// Pure maths on arrays: no DOM, tested in Node.

import { centreCrop, luma, resizeTaps, toModelPixels } from "./preprocess.js";

/** The longest side of the copy the object is found on. */
export const DETECT_SIDE = 128;
const BORDER_SHARE = 0.03;
const TRIM = 0.005;
/** The largest share of one side of the border an item may cover and still stand clear of the background. */
export const CLEAR_EDGE = 0.6;

/** The grey levels (0..255, one per pixel, row-major) of RGBA `rgba` (`width` x `height`) composited on white. */
export function greyLevels(rgba, width, height) {
  const grey = new Float64Array(width * height);
  // composite on white, rounded half up as preprocess.js does: 255 + (c - 255) * alpha / 255
  const level = (c, alpha) => Math.floor((2 * (65025 + (c - 255) * alpha) + 255) / 510);
  for (let p = 0, i = 0; p < grey.length; p++, i += 4) {
    const alpha = rgba[i + 3];
    grey[p] = luma(level(rgba[i], alpha), level(rgba[i + 1], alpha), level(rgba[i + 2], alpha));
  }
  return grey;
}

/** One-channel `values` (`width` x `height`) resized to `outWidth` x `outHeight` with preprocess.js's filter. */
export function resizeGrey(values, width, height, outWidth, outHeight) {
  const across = resizeTaps(width, outWidth);
  const down = resizeTaps(height, outHeight);
  const rows = new Float64Array(height * outWidth);
  for (let y = 0; y < height; y++) {
    across.taps.forEach(({ first, weights }, x) => {
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += values[y * width + first + k] * weights[k];
      rows[y * outWidth + x] = sum / across.denominator;
    });
  }
  const out = new Float64Array(outHeight * outWidth);
  down.taps.forEach(({ first, weights }, y) => {
    for (let x = 0; x < outWidth; x++) {
      let sum = 0;
      for (let k = 0; k < weights.length; k++) sum += rows[(first + k) * outWidth + x] * weights[k];
      out[y * outWidth + x] = sum / down.denominator;
    }
  });
  return out;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1) + 0.5)))];
}

/** The width in pixels of the border of a `width` x `height` picture: its outer BORDER_SHARE, at least 1. */
function ringWidth(width, height) {
  return Math.max(1, Math.round(BORDER_SHARE * Math.min(width, height)));
}

/** The values of the border of `values` (`width` x `height`): its outer BORDER_SHARE on each side. */
function borderValues(values, width, height) {
  const ring = ringWidth(width, height);
  const border = [];
  for (let y = 0; y < height; y++) {
    const edgeRow = y < ring || y >= height - ring;
    for (let x = 0; x < width; x++) {
      if (edgeRow || x < ring || x >= width - ring) border.push(values[y * width + x]);
    }
  }
  return border;
}

/**
 * The largest share of one side of the border of `contrast` (`width` x `height`; each side its outer BORDER_SHARE)
 * above `threshold`: a surface (a table, a floor, a wall) runs along a whole side, an item at most touches one.
 */
export function edgeShare(contrast, width, height, threshold) {
  const ring = ringWidth(width, height);
  const share = (x0, x1, y0, y1) => {
    let above = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (contrast[y * width + x] > threshold) above++;
    return above / ((x1 - x0) * (y1 - y0));
  };
  return Math.max(
    share(0, width, 0, ring),
    share(0, width, height - ring, height),
    share(0, ring, 0, height),
    share(width - ring, width, 0, height),
  );
}

/** {level, spread} of the border of `values` (`width` x `height`): its median and 1.4826 times its median deviation. */
export function borderLevel(values, width, height) {
  const border = borderValues(values, width, height);
  const sorted = Float64Array.from(border).sort();
  const level = quantile(sorted, 0.5);
  const deviations = new Float64Array(border.length);
  for (let i = 0; i < border.length; i++) deviations[i] = Math.abs(border[i] - level);
  deviations.sort();
  return { level, spread: 1.4826 * quantile(deviations, 0.5) };
}

/**
 * The box {x, y, width, height} of the object in `contrast` (`width` x `height`, object above 0), given the
 * `threshold` above which a value counts as object: the object pixels' coordinates trimmed of TRIM on each side;
 * null when no pixel stands out.
 */
export function objectBox(contrast, width, height, threshold) {
  const columns = new Float64Array(width); // object pixels in each column, then in each row
  const rows = new Float64Array(height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (contrast[y * width + x] > threshold) {
        columns[x]++;
        rows[y]++;
      }
    }
  }
  const count = rows.reduce((sum, n) => sum + n, 0);
  if (!count) return null;
  // the first and last coordinates of the object pixels once TRIM of them are dropped at each end
  const span = (counts) => {
    const cut = Math.floor(TRIM * count);
    let first = 0;
    for (let seen = counts[0]; seen <= cut; seen += counts[++first]);
    let last = counts.length - 1;
    for (let seen = counts[last]; seen <= cut; seen += counts[--last]);
    return [first, last];
  };
  const [x0, x1] = span(columns);
  const [y0, y1] = span(rows);
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** The 99th percentile of `contrast` (`width` wide, at most 255) in `box`, to the level below (a histogram). */
function percentile99(contrast, width, box) {
  const counts = new Uint32Array(256);
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) counts[Math.max(0, Math.floor(contrast[y * width + x]))]++;
  }
  let level = 255;
  for (let above = counts[255]; above < 0.01 * box.width * box.height; above += counts[--level]);
  return level;
}

/**
 * Whether the object in `values` is darker than the background `level`: the pixels darker than it by more than
 * `threshold` differ from it more, in all, than those lighter by more than `threshold`.
 */
export function darkObject(values, level, threshold) {
  let darker = 0;
  let lighter = 0;
  for (const value of values) {
    if (value < level - threshold) darker += level - value;
    else if (value > level + threshold) lighter += value - level;
  }
  return darker > lighter;
}

/**
 * The model input (uint8, outHeight x outWidth, one channel) made from the photo `rgba` (`width` x `height`) by
 * `recipe` ({box}: the longest side of a training image's object, in output pixels), and what was done:
 * {pixels, background: {level, spread}, inverted, box (in the photo's pixels) or null when nothing stands out from
 * the background (pixels are then all 0), edge (the share of the border that stands out)}; what stands out covering
 * more than CLEAR_EDGE of the border is no item: box null, `edge` says why. `invert` (true or false) overrides the
 * choice made from the background.
 */
export function preparePhoto(rgba, width, height, recipe, { outHeight, outWidth, invert = null }) {
  const grey = greyLevels(rgba, width, height);
  const shrink = Math.min(1, DETECT_SIDE / Math.max(width, height));
  const smallWidth = Math.max(1, Math.round(width * shrink));
  const smallHeight = Math.max(1, Math.round(height * shrink));
  const small = resizeGrey(grey, width, height, smallWidth, smallHeight);
  const background = borderLevel(small, smallWidth, smallHeight);
  const threshold = Math.max(16, 3 * background.spread);
  const inverted = invert ?? darkObject(small, background.level, threshold);
  // contrast: how much lighter than the background a pixel is once the object is light on dark
  const sign = inverted ? -1 : 1;
  const contrastOf = (values) => {
    const contrast = new Float64Array(values.length);
    for (let p = 0; p < values.length; p++) contrast[p] = sign * (values[p] - background.level);
    return contrast;
  };
  const smallContrast = contrastOf(small);
  const smallBox = objectBox(smallContrast, smallWidth, smallHeight, threshold);
  const pixels = new Uint8Array(outHeight * outWidth);
  const edge = edgeShare(smallContrast, smallWidth, smallHeight, threshold);
  if (!smallBox || edge > CLEAR_EDGE) return { pixels, background, inverted, box: null, edge };

  // the box in the photo's pixels: the small copy's, one small pixel wider on each side, then found again inside it
  // at full size, with the full size's noise
  const scaleX = width / smallWidth;
  const scaleY = height / smallHeight;
  const x0 = Math.max(0, Math.floor((smallBox.x - 1) * scaleX));
  const y0 = Math.max(0, Math.floor((smallBox.y - 1) * scaleY));
  const x1 = Math.min(width, Math.ceil((smallBox.x + smallBox.width + 1) * scaleX));
  const y1 = Math.min(height, Math.ceil((smallBox.y + smallBox.height + 1) * scaleY));
  const contrast = contrastOf(grey);
  const noise = borderLevel(grey, width, height).spread; // the background's noise at full size, taken off
  const near = new Float64Array((x1 - x0) * (y1 - y0));
  for (let y = y0; y < y1; y++) near.set(contrast.subarray(y * width + x0, y * width + x1), (y - y0) * (x1 - x0));
  const fine = objectBox(near, x1 - x0, y1 - y0, Math.max(threshold, 3 * noise));
  const box = fine
    ? { x: x0 + fine.x, y: y0 + fine.y, width: fine.width, height: fine.height }
    : { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };

  // the object on black in a square canvas, its longest side `recipe.box` / outWidth of the canvas
  const peak = percentile99(contrast, width, box);
  const gain = 255 / Math.max(peak - noise, threshold);
  const side = Math.max(box.width, box.height);
  const canvasSide = Math.max(side, Math.round((side * Math.max(outWidth, outHeight)) / recipe.box));
  const canvas = new Float64Array(canvasSide * canvasSide);
  const left = Math.floor((canvasSide - box.width) / 2);
  const top = Math.floor((canvasSide - box.height) / 2);
  for (let y = 0; y < box.height; y++) {
    for (let x = 0; x < box.width; x++) {
      const value = (contrast[(box.y + y) * width + box.x + x] - noise) * gain;
      canvas[(top + y) * canvasSide + left + x] = Math.min(255, Math.max(0, value));
    }
  }
  const resized = resizeGrey(canvas, canvasSide, canvasSide, outWidth, outHeight);
  for (let p = 0; p < pixels.length; p++) pixels[p] = Math.min(255, Math.floor(resized[p] + 0.5));
  return { pixels, background, inverted, box, edge };
}

/** The share of `pixels` (uint8) above `threshold`. */
export function litShare(pixels, threshold) {
  let lit = 0;
  for (const value of pixels) if (value > threshold) lit++;
  return pixels.length ? lit / pixels.length : 0;
}

/** Whether uint8 `pixels` are all one value (a blank drawing or photo). */
export function isBlank(pixels) {
  return pixels.every((value) => value === pixels[0]);
}

/**
 * How an input (uint8 `pixels`, as the network sees it) compares with the training images by the spec's
 * input.photo statistics: {measure: "lit" (the share of pixels above `threshold`) or "level" (the mean grey
 * level), value, range: [low, high] (the 1st and 99th percentiles over the training images), unusual}.
 */
export function likeTraining(pixels, channels, photo) {
  if (photo.recipe === "object") {
    const value = litShare(pixels, photo.threshold);
    const unusual = value < photo.lit[0] || value > photo.lit[1];
    return { measure: "lit", value, range: photo.lit, threshold: photo.threshold, unusual };
  }
  let sum = 0;
  for (let p = 0; p < pixels.length; p += channels) {
    sum += channels === 3 ? luma(pixels[p], pixels[p + 1], pixels[p + 2]) : pixels[p];
  }
  const value = sum / (pixels.length / channels);
  return { measure: "level", value, range: photo.level, unusual: value < photo.level[0] || value > photo.level[1] };
}

const percent = (share) => Math.round(100 * share);

/**
 * What was done to a photo (`prepared`, from preparePhoto, with `recipe`) for a model reading `width`-pixel-wide
 * images, as messages to show ({key, values} for ui/i18n.js tNodes, photo.*); the empty list when there was
 * nothing to cut out. Pixel sizes are strings: written as they are, not grouped like counts.
 */
export function preparationNotes(prepared, recipe, width) {
  if (!prepared.box) return [];
  const { background, inverted, box } = prepared;
  const level = Math.round(background.level);
  const shade = level > 170 ? "light" : level < 85 ? "dark" : "grey";
  const notes = [
    // photo.inverted.light, photo.inverted.dark, photo.inverted.grey, photo.notInverted.light, ...
    { key: `photo.${inverted ? "inverted" : "notInverted"}.${shade}`, values: { level } },
    {
      key: "photo.cutOut",
      values: { width: String(box.width), height: String(box.height), box: recipe.box, size: width },
    },
  ];
  if (background.spread > 8) {
    notes.push({ key: "photo.notPlain", values: { spread: Math.round(background.spread) } });
  }
  return notes;
}

/**
 * The warning for an input unlike the training images (`comparison`, from likeTraining), as a message {key, values}
 * (photo.unlike.*), or null when it is not unlike them.
 */
export function unlikeTrainingNote(comparison) {
  if (!comparison.unusual) return null;
  const [low, high] = comparison.range;
  if (comparison.measure === "lit") {
    const values = {
      share: percent(comparison.value),
      threshold: comparison.threshold,
      low: percent(low),
      high: percent(high),
    };
    return { key: "photo.unlike.lit", values };
  }
  const values = { level: Math.round(comparison.value), low: Math.round(low), high: Math.round(high) };
  return { key: "photo.unlike.level", values };
}

/**
 * The model input made from the picture `source` ({rgba, width, height}) for a model reading `height` x `width` x
 * `channels` images: prepared like the training images by `recipe` (preparePhoto) when `asTraining`, else a plain
 * centre crop and resize, inverted when `invert` (prepared: null lets the background decide). Returns {pixels (uint8
 * H x W x C; null when, prepared, nothing stands out), crop (the part of the picture used, in its pixels; null with no
 * pixels), inverted, blank (every pixel the same: an empty drawing), notes (what was done, then whether it is unlike
 * the training images: {key, values} messages, null ones left out)}.
 */
export function modelInput(source, recipe, { height, width, channels, asTraining, invert = null }) {
  if (asTraining) {
    const prepared = preparePhoto(source.rgba, source.width, source.height, recipe, {
      outHeight: height,
      outWidth: width,
      invert,
    });
    if (!prepared.box && prepared.edge > CLEAR_EDGE) {
      // what stands out runs off the picture: no item to cut out, so the plain crop, inverted as decided, said so
      const plain = modelInput(source, recipe, {
        height,
        width,
        channels,
        asTraining: false,
        invert: prepared.inverted,
      });
      const note = { key: "photo.notClear", values: { share: percent(prepared.edge) } };
      return { ...plain, notes: [note, ...plain.notes] };
    }
    if (!prepared.box) return { pixels: null, crop: null, inverted: prepared.inverted, blank: true, notes: [] };
    const notes = [
      ...preparationNotes(prepared, recipe, width),
      unlikeTrainingNote(likeTraining(prepared.pixels, 1, recipe)),
    ];
    const { pixels, box: crop, inverted } = prepared;
    return { pixels, crop, inverted, blank: false, notes: notes.filter(Boolean) };
  }
  const inverted = Boolean(invert);
  const options = { outHeight: height, outWidth: width, channels, invert: inverted };
  const pixels = toModelPixels(source.rgba, source.width, source.height, options);
  const crop = centreCrop(source.width, source.height, width, height);
  const notes = [unlikeTrainingNote(likeTraining(pixels, channels, recipe))].filter(Boolean);
  return { pixels, crop, inverted, blank: isBlank(pixels), notes };
}
