import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CLEAR_EDGE,
  borderLevel,
  darkObject,
  greyLevels,
  isBlank,
  likeTraining,
  modelInput,
  objectBox,
  preparationNotes,
  preparePhoto,
  resizeGrey,
  unlikeTrainingNote,
} from "../../src/image/photo.js";
import { centreCrop, resizeRgb, toModelPixels } from "../../src/image/preprocess.js";
import { t } from "../../src/ui/i18n.js";
import { speak } from "../helpers/i18n.mjs";

const OUT = { outHeight: 28, outWidth: 28 };
// A note ({key, values}) as the page writes it, less the isolates around the pixel sizes (shown as they are).
const said = (note) => t(note.key, note.values).replace(/[\u2068\u2069]/g, "");
const RECIPE = { recipe: "object", box: 20, threshold: 32, lit: [0.1, 0.6], level: [15, 150], images: 100 };

/** An opaque RGBA picture whose pixel (x, y) is grey `value(x, y)`. */
function picture(width, height, value) {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      rgba.fill(value(x, y), 4 * (y * width + x), 4 * (y * width + x) + 3);
      rgba[4 * (y * width + x) + 3] = 255;
    }
  }
  return rgba;
}

/** A seeded generator of uniform numbers in [0, 1) (mulberry32). */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The rows and columns of `pixels` (28 x 28) holding a value above 127: [top, bottom, left, right]. */
function litSpan(pixels) {
  let [top, bottom, left, right] = [28, -1, 28, -1];
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      if (pixels[y * 28 + x] > 127) {
        [top, bottom, left, right] = [Math.min(top, y), Math.max(bottom, y), Math.min(left, x), Math.max(right, x)];
      }
    }
  }
  return [top, bottom, left, right];
}

// a 60 x 90 rectangle at (130, 20) in a 240 x 160 picture: off centre, taller than wide
const inRectangle = (x, y) => x >= 130 && x < 190 && y >= 20 && y < 110;

/** preparePhoto of a 240 x 160 picture showing the rectangle at level `item` on level `ground`. */
function rectangle(item, ground, options = {}) {
  const rgba = picture(240, 160, (x, y) => (inRectangle(x, y) ? item : ground));
  return preparePhoto(rgba, 240, 160, RECIPE, { ...OUT, ...options });
}

test("a dark item on a light background is inverted, cut out, fitted to the recipe's box and centred", () => {
  const prepared = rectangle(30, 225);
  assert.equal(prepared.inverted, true);
  assert.ok(Math.abs(prepared.background.level - 225) < 1);
  // the box holds the rectangle, with at most one detection pixel (240 / 128 photo pixels) more on each side
  assert.ok(prepared.box.x <= 130 && prepared.box.x >= 127, JSON.stringify(prepared.box));
  assert.ok(prepared.box.y <= 20 && prepared.box.y >= 17);
  assert.ok(prepared.box.x + prepared.box.width >= 190 && prepared.box.x + prepared.box.width <= 193);
  assert.ok(prepared.box.y + prepared.box.height >= 110 && prepared.box.y + prepared.box.height <= 113);
  // the 90-pixel side becomes 20 of 28 pixels, centred: rows 4 to 23; the 60-pixel side about 13, centred
  const [top, bottom, left, right] = litSpan(prepared.pixels);
  assert.ok(top >= 4 && top <= 5 && bottom >= 22 && bottom <= 23, `${top} ${bottom}`);
  assert.ok(Math.abs((left + right) / 2 - 13.5) <= 1 && right - left >= 11 && right - left <= 14, `${left} ${right}`);
  assert.equal(prepared.pixels[0], 0, "background black");
  assert.equal(Math.max(...prepared.pixels), 255, "contrast stretched");
});

test("a light item on a dark background gives the same input without inverting", () => {
  const dark = rectangle(225, 30);
  const light = rectangle(30, 225);
  assert.equal(dark.inverted, false);
  assert.deepEqual(dark.pixels, light.pixels);
});

test("on a grey background, the item's side of it decides whether to invert", () => {
  assert.equal(rectangle(200, 140).inverted, false, "a light item on a background above mid-grey");
  assert.equal(rectangle(60, 110).inverted, true, "a dark item on one below it");
  assert.equal(darkObject(Float64Array.of(100, 100, 20), 100, 16), true);
  assert.equal(darkObject(Float64Array.of(100, 100, 20, 190), 100, 16), false);
});

test("noise on the background neither moves the box nor shows in the input", () => {
  const next = random(7);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const rgba = picture(240, 160, (x, y) => (inRectangle(x, y) ? 30 : 200 + 20 * gauss()));
  const prepared = preparePhoto(rgba, 240, 160, RECIPE, OUT);
  assert.ok(Math.abs(prepared.box.x - 130) <= 4 && Math.abs(prepared.box.y - 20) <= 4, JSON.stringify(prepared.box));
  assert.ok(Math.abs(prepared.box.width - 60) <= 6 && Math.abs(prepared.box.height - 90) <= 6);
  const corners = [0, 27, 27 * 28, 28 * 28 - 1].map((p) => prepared.pixels[p]);
  assert.ok(Math.max(...corners) < 40, `background haze ${corners}`);
});

test("a picture of one colour has nothing to cut out", () => {
  const prepared = preparePhoto(
    picture(50, 40, () => 180),
    50,
    40,
    RECIPE,
    OUT,
  );
  assert.equal(prepared.box, null);
  assert.ok(prepared.pixels.every((v) => v === 0));
  assert.deepEqual(preparationNotes(prepared, RECIPE, 28), []);
  assert.equal(objectBox(Float64Array.of(0, 5, 3, 0), 2, 2, 8), null);
  assert.equal(isBlank(Uint8Array.of(4, 4, 4)), true);
  assert.equal(isBlank(Uint8Array.of(4, 4, 5)), false);
});

test("the visitor's invert choice overrides the one made from the background", () => {
  assert.equal(rectangle(30, 225, { invert: false }).inverted, false);
});

test("the border's level is its median and its spread a robust deviation", () => {
  const values = Float64Array.from({ length: 100 }, (_, p) => (p === 0 ? 255 : p % 2 ? 100 : 110));
  const { level, spread } = borderLevel(values, 10, 10);
  assert.ok(level === 100 || level === 110);
  assert.ok(Math.abs(spread - 1.4826 * 5) < 1e-9 || Math.abs(spread - 1.4826 * 10) < 1e-9 || spread === 0);
});

test("one resize filter: resizing grey levels equals preprocess.js's resize of the same grey in RGB", () => {
  const next = random(3);
  const grey = Float64Array.from({ length: 37 * 23 }, () => Math.floor(256 * next()));
  const rgb = Float64Array.from({ length: 37 * 23 * 3 }, (_, i) => grey[Math.floor(i / 3)]);
  const ours = resizeGrey(grey, 37, 23, 28, 28);
  const theirs = resizeRgb(rgb, 37, 23, 28, 28);
  // the same weights: the two differ only in when they round (preprocess.js rounds the exact sum once)
  ours.forEach((value, p) => assert.ok(Math.abs(value - theirs[3 * p]) <= 0.5 + 1e-9, `pixel ${p}`));
  // enlarging too
  const up = resizeGrey(Float64Array.of(0, 255), 2, 1, 4, 1);
  assert.deepEqual(Array.from(up), [0, 63.75, 191.25, 255]);
});

test("grey levels composite on white and use Pillow's luma", () => {
  const rgba = Uint8ClampedArray.of(255, 0, 0, 255, 0, 0, 0, 0);
  assert.deepEqual(Array.from(greyLevels(rgba, 2, 1)), [76, 255]);
});

test("an input is compared with the training images by the share of lit pixels, or by mean level", () => {
  const pixels = new Uint8Array(100).fill(0).fill(200, 0, 70);
  const lit = likeTraining(pixels, 1, RECIPE);
  assert.deepEqual(lit, { measure: "lit", value: 0.7, range: [0.1, 0.6], threshold: 32, unusual: true });
  assert.equal(
    said(unlikeTrainingNote(lit)),
    "Unlike the training images: 70% of this input's pixels are lit (above level 32 of 255), while in 98% of the " +
      "training images between 10% and 60% are. Expect a less reliable answer.",
  );
  assert.equal(likeTraining(pixels.fill(0, 0, 50), 1, RECIPE).unusual, false);
  assert.equal(unlikeTrainingNote(likeTraining(pixels, 1, RECIPE)), null);
  const level = likeTraining(Uint8Array.of(255, 0, 0, 255, 0, 0), 3, { recipe: "resize", level: [15, 150] });
  assert.deepEqual(level, { measure: "level", value: 76, range: [15, 150], unusual: false });
  const bright = likeTraining(new Uint8Array(4).fill(250), 1, { recipe: "resize", level: [15, 150] });
  assert.match(
    said(unlikeTrainingNote(bright)),
    /mean grey level is 250 of 255, while in 98% of the training images it is between 15 and 150/,
  );
});

test("the notes say what was done: inverted or not, and the item's box", () => {
  const notes = preparationNotes(rectangle(30, 225), RECIPE, 28).map(said);
  assert.equal(
    notes[0],
    "The background is light (level 225 of 255, from the picture's border) and the item darker, so the picture was " +
      "inverted: the model was trained on light items on black.",
  );
  assert.match(notes[1], /^The item \(outlined, \d+ × \d+ pixels of the picture\) was cut out, its background set/);
  assert.match(notes[1], /longest side fitted to 20 of 28 pixels, centred, as the training images were made\.$/);
  assert.equal(notes.length, 2);
  const light = rectangle(225, 30);
  assert.match(said(preparationNotes(light, RECIPE, 28)[0]), /background is dark .* not inverted/);
});

test("the notes write the picture's pixel sizes as they are, and say when the background is not plain", () => {
  const prepared = {
    box: { x: 0, y: 0, width: 2500, height: 1800 },
    background: { level: 30, spread: 12.4 },
    inverted: false,
  };
  const notes = preparationNotes(prepared, RECIPE, 28).map(said);
  assert.match(notes[0], /^The background is dark \(level 30 of 255, from the picture's border\) and the item lighter/);
  assert.match(notes[1], /\(outlined, 2500 × 1800 pixels of the picture\)/);
  assert.equal(
    notes[2],
    "The background is not plain (its border varies by about 12 levels), so the item may not be cut out cleanly.",
  );
  speak("zh");
  try {
    assert.match(said(preparationNotes(prepared, RECIPE, 28)[0]), /^背景是深色的（.*灰度值为 30/);
  } finally {
    speak("en");
  }
});

test("the model input: prepared like the training images, with what was done and how it compares with them", () => {
  const rgba = picture(240, 160, (x, y) => (inRectangle(x, y) ? 30 : 225));
  const made = modelInput({ rgba, width: 240, height: 160 }, RECIPE, {
    height: 28,
    width: 28,
    channels: 1,
    asTraining: true,
  });
  const prepared = rectangle(30, 225);
  assert.deepEqual(made.pixels, prepared.pixels);
  assert.deepEqual(made.crop, prepared.box, "the item's box is the part of the picture used");
  assert.equal(made.inverted, true);
  assert.equal(made.blank, false);
  const unlike = unlikeTrainingNote(likeTraining(prepared.pixels, 1, RECIPE));
  assert.deepEqual(made.notes, [...preparationNotes(prepared, RECIPE, 28), ...(unlike ? [unlike] : [])]);
});

test("a picture of one colour has no input prepared like the training images, but a plain crop of one level", () => {
  const source = { rgba: picture(300, 200, () => 171), width: 300, height: 200 };
  const shape = { height: 28, width: 28, channels: 1 };
  const prepared = modelInput(source, RECIPE, { ...shape, asTraining: true });
  assert.deepEqual(prepared, { pixels: null, crop: null, inverted: false, blank: true, notes: [] });
  // the plain crop: the centre square, resized; every pixel lit, unlike the training images, and said so
  const plain = modelInput(source, RECIPE, { ...shape, asTraining: false, invert: false });
  assert.ok(plain.pixels.every((v) => v === 171));
  assert.deepEqual(plain.crop, centreCrop(300, 200, 28, 28));
  assert.equal(plain.blank, true, "a blank input is told apart (an empty drawing is not shown)");
  assert.deepEqual(plain.notes.map(said), [
    "Unlike the training images: 100% of this input's pixels are lit (above level 32 of 255), while in 98% of the " +
      "training images between 10% and 60% are. Expect a less reliable answer.",
  ]);
  const inverted = modelInput(source, RECIPE, { ...shape, asTraining: false, invert: true });
  assert.equal(inverted.inverted, true);
  assert.deepEqual(
    inverted.pixels,
    toModelPixels(source.rgba, 300, 200, { outHeight: 28, outWidth: 28, channels: 1, invert: true }),
  );
  assert.ok(inverted.pixels.every((v) => v === 255 - 171));
});

test("what stands out but runs off the picture (a table's edge) is no item: the plain crop instead, said so", () => {
  // a light wall above a dark table top filling the lower third, from edge to edge
  const table = (x, y) => (y >= 110 ? 40 : 220);
  const source = { rgba: picture(240, 160, table), width: 240, height: 160 };
  const shape = { height: 28, width: 28, channels: 1 };
  const prepared = preparePhoto(source.rgba, 240, 160, RECIPE, OUT);
  assert.equal(prepared.box, null);
  assert.equal(prepared.edge, 1, "the table runs along the whole bottom side");
  const made = modelInput(source, RECIPE, { ...shape, asTraining: true });
  const plain = modelInput(source, RECIPE, { ...shape, asTraining: false, invert: prepared.inverted });
  assert.deepEqual(made.pixels, plain.pixels);
  assert.deepEqual(made.crop, centreCrop(240, 160, 28, 28));
  assert.equal(made.notes[0].key, "photo.notClear");
  const share = Math.round(100 * prepared.edge);
  assert.ok(
    said(made.notes[0]).startsWith(`No item stands clear of the background: what stands out covers ${share}% of`),
  );
  assert.deepEqual(made.notes.slice(1), plain.notes);

  // an item that touches one edge (a shirt cut off at the bottom), or two (trousers filling the frame's height),
  // still stands clear enough to be cut out
  const cutOff = (x, y) => (x >= 90 && x < 150 && y >= 40 ? 40 : 220);
  const shirt = preparePhoto(picture(240, 160, cutOff), 240, 160, RECIPE, OUT);
  assert.ok(shirt.box && shirt.edge <= CLEAR_EDGE, `${shirt.edge}`);
  const tall = (x) => (x >= 70 && x < 170 ? 40 : 220); // 100 of 240 columns, top to bottom
  const trousers = preparePhoto(picture(240, 160, tall), 240, 160, RECIPE, OUT);
  assert.ok(trousers.box && trousers.edge <= CLEAR_EDGE, `${trousers.edge}`);
  assert.ok(rectangle(30, 225).edge === 0);
});
