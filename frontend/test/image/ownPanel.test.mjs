import { test } from "node:test";
import assert from "node:assert/strict";
import "../helpers/i18n.mjs";
import {
  drawingView,
  fileView,
  modeView,
  panelLook,
  previewVeil,
  seenView,
  startingInvert,
  startingPanel,
} from "../../src/image/ownPanel.js";
import { modelInput } from "../../src/image/photo.js";
import { centreCrop } from "../../src/image/preprocess.js";

const OBJECT = { recipe: "object", box: 20, threshold: 32, lit: [0.1, 0.6], level: [15, 150], images: 100 };
const PLAIN = { recipe: "plain", level: [15, 150] };
const SHAPE = { height: 28, width: 28, channels: 1 };

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

// a photo as ownImage.js keeps it: a dark 60 x 90 rectangle on a light 240 x 160 picture, previewed at half size
const photo = {
  name: "boot.jpg",
  rgba: picture(240, 160, (x, y) => (x >= 130 && x < 190 && y >= 20 && y < 110 ? 30 : 225)),
  width: 240,
  height: 160,
  sourceWidth: 4800,
  sourceHeight: 3200,
  previewScale: 0.5,
};

test("the panel's look follows the samples: light items on black, or dark on light, grey or colour", () => {
  const dark = [new Uint8Array(28 * 28)];
  const light = [new Uint8Array(28 * 28).fill(255)];
  assert.deepEqual(panelLook({ shape: [28, 28, 1], photo: OBJECT }, light), {
    likeItems: true,
    lightOnDark: true,
    ink: "#fff",
    paper: "#000",
    invert: true,
    invertHint: null,
    drawingHint: "drawing.hint.lightOnDark",
  });
  assert.deepEqual(panelLook({ shape: [28, 28, 1], photo: PLAIN }, light), {
    likeItems: false,
    lightOnDark: false,
    ink: "#000",
    paper: "#fff",
    invert: true,
    invertHint: "ownImage.invert.hint.darkOnLight",
    drawingHint: "drawing.hint.darkOnLight",
  });
  assert.equal(panelLook({ shape: [28, 28, 1], photo: PLAIN }, dark).invertHint, "ownImage.invert.hint.lightOnDark");
  const colour = panelLook({ shape: [28, 28, 3], photo: PLAIN }, [new Uint8Array(28 * 28 * 3)]);
  assert.equal(colour.invert, false, "colour images are not inverted");
  assert.equal(colour.invertHint, null);
  assert.equal(colour.ink, "#fff");
});

test("a panel starts closed and empty, or as the one built in another language left it", () => {
  assert.deepEqual(startingPanel(), {
    file: null,
    inverted: false,
    mode: null,
    seen: { state: "none", pixels: null },
    notes: [],
    prepare: undefined,
  });
  const kept = {
    file: photo,
    inverted: true,
    mode: "file",
    seen: { state: "made", pixels: new Uint8Array(4) },
    notes: [{ key: "photo.cutOut", values: {} }],
    prepare: false,
    drawing: {},
  };
  const { file, inverted, mode, seen, notes, prepare } = kept;
  assert.deepEqual(startingPanel(kept), { file, inverted, mode, seen, notes, prepare });
});

test("each mode shows its picture and options, and the caption under it", () => {
  assert.deepEqual(modeView("file", photo), {
    hidden: false,
    file: true,
    drawing: false,
    caption: { key: "ownImage.source.caption", values: { name: "boot.jpg", width: "4800", height: "3200" } },
  });
  assert.deepEqual(modeView("drawing", null), {
    hidden: false,
    file: false,
    drawing: true,
    caption: { key: "drawing.caption", values: null },
  });
  assert.equal(modeView(null, photo).hidden, true);
});

test("'as the network sees it': the input made, the last drawing kept, or nothing, said for the mode", () => {
  assert.deepEqual(seenView("made", "file"), {
    arrowIdle: false,
    empty: false,
    caption: "ownImage.input.caption",
    label: null,
  });
  assert.deepEqual(seenView("kept", "drawing"), {
    arrowIdle: true,
    empty: false,
    caption: "drawing.kept",
    label: "drawing.kept",
  });
  assert.deepEqual(seenView("none", "drawing"), {
    arrowIdle: true,
    empty: true,
    caption: "drawing.none",
    label: "drawing.none",
  });
  assert.equal(seenView("none", "file").caption, "ownImage.input.none");
  assert.equal(seenView("none", null).caption, "ownImage.input.none");
});

test("a new file is inverted as the box says, unless prepared: then its background decides", () => {
  assert.equal(startingInvert(true, true), null);
  assert.equal(startingInvert(false, true), true);
  assert.equal(startingInvert(undefined, undefined), false);
});

test("a photo prepared like the training images: the item outlined, inverted by its background, notes", () => {
  const view = fileView(photo, OBJECT, SHAPE, true, false);
  const made = modelInput(photo, OBJECT, { ...SHAPE, asTraining: true });
  assert.deepEqual(view.pixels, made.pixels);
  assert.equal(view.seen, "made");
  assert.equal(view.inverted, true, "the background decides, whatever the box said");
  assert.equal(view.invertHidden, true);
  const { x, y, width, height } = made.crop;
  assert.deepEqual(view.crop, { x: x / 2, y: y / 2, width: width / 2, height: height / 2 }, "in the preview's pixels");
  assert.equal(view.label, "boot.jpg, with the item found outlined", "the name as it is: an accessible name");
  assert.deepEqual(view.notes, made.notes);
  assert.ok(view.notes.some(({ key }) => key === "photo.cutOut"));
});

test("a photo as it is: the centre crop outlined, inverted as the visitor says", () => {
  const view = fileView(photo, OBJECT, SHAPE, false, true);
  assert.equal(view.seen, "made");
  assert.equal(view.inverted, true);
  assert.equal(view.invertHidden, false);
  const crop = centreCrop(240, 160, 28, 28);
  assert.deepEqual(view.crop, { x: crop.x / 2, y: crop.y / 2, width: crop.width / 2, height: crop.height / 2 });
  assert.equal(view.label, "boot.jpg, with the centre crop outlined");
  assert.equal(fileView(photo, OBJECT, SHAPE, false, false).inverted, false);
});

test("a photo with nothing to cut out shows nothing to the network, and the whole picture unveiled", () => {
  const flat = { ...photo, name: "wall.jpg", rgba: picture(240, 160, () => 171) };
  const view = fileView(flat, OBJECT, SHAPE, true, false);
  assert.equal(view.pixels, null);
  assert.equal(view.seen, "none");
  assert.deepEqual(view.crop, { x: 0, y: 0, width: 120, height: 80 });
  assert.equal(view.label, "wall.jpg");
  assert.deepEqual(view.notes, []);
});

test("a drawing: shown with only the note on how unlike the training images it is; an empty pad keeps the last", () => {
  const blank = { rgba: picture(280, 280, () => 0), width: 280, height: 280 };
  assert.deepEqual(drawingView(blank, OBJECT, SHAPE, true, "made"), { pixels: null, seen: "kept" });
  assert.deepEqual(drawingView(blank, OBJECT, SHAPE, true, "kept"), { pixels: null, seen: "kept" });
  assert.deepEqual(drawingView(blank, OBJECT, SHAPE, true, "none"), { pixels: null, seen: null });
  // a thin line, a far smaller share of the picture than the training items' light pixels: unlike them, and said so
  const rgba = picture(280, 280, (x, y) => (x > 20 && x < 260 && y > 136 && y < 144 ? 255 : 0));
  const line = { rgba, width: 280, height: 280 };
  const made = modelInput(line, OBJECT, { ...SHAPE, asTraining: true, invert: false });
  assert.ok(
    made.notes.some(({ key }) => key === "photo.cutOut"),
    "prepared, it was cut out",
  );
  const view = drawingView(line, OBJECT, SHAPE, true, "none");
  assert.deepEqual(view.pixels, made.pixels);
  assert.equal(view.seen, "made");
  assert.deepEqual(
    view.notes.map(({ key }) => key),
    ["photo.unlike.lit"],
  );
});

test("the veil covers the preview around the part used, and the outline grows with the picture", () => {
  assert.deepEqual(previewVeil(100, 80, { x: 10, y: 20, width: 50, height: 40 }), {
    veil: [
      [0, 0, 100, 20],
      [0, 60, 100, 20],
      [0, 20, 10, 40],
      [60, 20, 40, 40],
    ],
    line: 1,
  });
  assert.equal(previewVeil(600, 400, { x: 0, y: 0, width: 600, height: 400 }).line, 5);
});
