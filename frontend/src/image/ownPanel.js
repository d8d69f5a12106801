// The "Your image" panel without the DOM: how it looks for the model (pad colours, the options it offers, its hints),
// what it shows in each mode (a file, the drawing pad, or closed), what "as the network sees it" shows (the input made
// from the panel's picture, the last drawing kept while the pad is empty, or nothing) and its caption, what opening
// a file or drawing a stroke makes (photo.js modelInput) with the notes and messages that go with it, the veil
// around the part of a picture used, and the panel as kept when the page is built again in another language.
// ownImage.js builds the elements and follows these.

import { darkBackground } from "./preprocess.js";
import { modelInput } from "./photo.js";
import { tPlain } from "../ui/i18n.js";

/**
 * How the panel looks for a model reading `input` (network.input: shape, photo) whose samples are `samplePixels`:
 * {likeItems (its photos are prepared like the training images: it offers that), lightOnDark (its images are light
 * on dark), ink, paper (the pad's CSS colours), invert (it offers to invert: grey images), invertHint (message key
 * of the hint under it, or null), drawingHint (the pad's message key)}.
 */
export function panelLook({ shape: [height, width, channels], photo }, samplePixels) {
  const likeItems = photo.recipe === "object";
  const lightOnDark = likeItems || darkBackground(samplePixels, height, width, channels);
  const shade = lightOnDark ? "lightOnDark" : "darkOnLight";
  return {
    likeItems,
    lightOnDark,
    ink: lightOnDark ? "#fff" : "#000",
    paper: lightOnDark ? "#000" : "#fff",
    invert: channels === 1,
    invertHint: channels === 1 && !likeItems ? `ownImage.invert.hint.${shade}` : null,
    drawingHint: `drawing.hint.${shade}`,
  };
}

/**
 * Where a panel starts: as one built before in another language left it (`kept`, state.ownPanel: {file, inverted,
 * mode, seen, notes, prepare, drawing}), else closed and empty: {file, inverted, mode, seen: {state, pixels}, notes,
 * prepare (the box's setting, or undefined to leave it as built)}.
 */
export function startingPanel(kept = {}) {
  return {
    file: kept.file ?? null, // the last file read: {name, rgba, width, height, sourceWidth, sourceHeight, preview...}
    inverted: kept.inverted ?? false, // the file's invert setting: from its background, until the visitor sets it
    mode: kept.mode ?? null,
    seen: kept.seen ?? { state: "none", pixels: null },
    notes: kept.notes ?? [],
    prepare: kept.prepare,
  };
}

/**
 * What the panel shows in `mode` ("file", "drawing" or null: closed) with `file` (the last one read): {hidden, file
 * (the picture and its options show), drawing (the pad and its options show, messages below its buttons), caption
 * ({key, values} under the picture or pad; values null for none)}.
 */
export function modeView(mode, file) {
  // the picture's size written as it is (6000 × 4000), not grouped like a count
  const caption =
    mode === "file"
      ? {
          key: "ownImage.source.caption",
          values: { name: file.name, width: String(file.sourceWidth), height: String(file.sourceHeight) },
        }
      : { key: "drawing.caption", values: null };
  return { hidden: mode === null, file: mode === "file", drawing: mode === "drawing", caption };
}

/**
 * What "as the network sees it" shows for `state` ("made": the input made from the panel's picture, "kept": the last
 * drawing, which the network still shows, "none") in `mode`: {arrowIdle (the arrow from the picture keeps its room
 * but is hidden), empty (no picture), caption (message key), label (message key of the canvas's name, or null for
 * its own)}.
 */
export function seenView(state, mode) {
  const empty = mode === "drawing" ? "drawing.none" : "ownImage.input.none";
  const caption = { made: "ownImage.input.caption", kept: "drawing.kept", none: empty }[state];
  return { arrowIdle: state !== "made", empty: state === "none", caption, label: state === "made" ? null : caption };
}

/** The invert setting a newly read file starts with: the visitor's box, or null (prepared: its background decides). */
export function startingInvert(prepared, invertChecked) {
  return prepared ? null : Boolean(invertChecked);
}

/**
 * The model input made from `file` (the last read: {name, rgba, width, height, previewScale}) for a model reading
 * `shape` ({height, width, channels}) with photo recipe `photo`, prepared like the training images or not
 * (`prepared`), inverted as `inverted` says when not (prepared, the background decides). Returns {pixels (null when
 * nothing stands out), inverted (the setting it was made with), invertHidden, crop (the part used, in the preview's
 * pixels), label (the preview's name), notes (photo.js messages), seen ("made" or "none": then the alert says the
 * page still shows the previous image, and offers the plain crop)}.
 */
export function fileView(file, photo, shape, prepared, inverted) {
  // prepared, the page inverts by the background (the notes say so); else the visitor chooses, starting from that
  const asTraining = Boolean(prepared);
  const made = modelInput(file, photo, { ...shape, asTraining, invert: asTraining ? null : inverted });
  const k = file.previewScale;
  const used = made.crop ?? { x: 0, y: 0, width: file.width, height: file.height };
  const outlined = made.crop ? (asTraining ? "ownImage.preview.item" : "ownImage.preview.crop") : null;
  return {
    pixels: made.pixels,
    inverted: made.inverted,
    invertHidden: asTraining,
    crop: { x: used.x * k, y: used.y * k, width: used.width * k, height: used.height * k },
    label: outlined ? tPlain(outlined, { name: file.name }) : file.name,
    notes: made.notes,
    // only a photo prepared like the training images has nothing to show: its plain crop always has something
    seen: made.pixels ? "made" : "none",
  };
}

/**
 * The model input made from the pad's `drawing` ({rgba, width, height}) for `shape` and `photo` (`likeItems`:
 * prepared like the training images), with "as the network sees it" showing `seen` now. An empty pad shows nothing
 * new: {pixels: null, seen: "kept" (the last drawing stays, said so) or null (nothing to keep)}; else {pixels,
 * seen: "made", notes (only whether it is unlike the training images: how it was cut out shows)}.
 */
export function drawingView(drawing, photo, shape, likeItems, seen) {
  const made = modelInput(drawing, photo, { ...shape, asTraining: likeItems, invert: false });
  if (!made.pixels || made.blank) return { pixels: null, seen: seen !== "none" ? "kept" : null };
  const notes = made.notes.filter(({ key }) => key.startsWith("photo.unlike"));
  return { pixels: made.pixels, seen: "made", notes };
}

/**
 * The veil over a `width` x `height` preview outside `crop` ({x, y, width, height}), as four rectangles [x, y, w, h]
 * (above, below, left, right), and the width of the crop's outline: {veil, line}.
 */
export function previewVeil(width, height, crop) {
  return {
    veil: [
      [0, 0, width, crop.y],
      [0, crop.y + crop.height, width, height - crop.y - crop.height],
      [0, crop.y, crop.x, crop.height],
      [crop.x + crop.width, crop.y, width - crop.x - crop.width, crop.height],
    ],
    line: Math.max(1, width / 120),
  };
}
