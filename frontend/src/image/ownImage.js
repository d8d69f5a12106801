// "Your image": a visitor's own picture, opened with a file picker, dropped on the page or pasted, or sketched on
// the drawing pad, shown next to the model input made from it (photo.js modelInput). Its "as the network sees it"
// shows only what the network is shown: a file that cannot be read gets a message in an alert and leaves the page
// as it is; a photo with nothing to cut out is shown with an empty frame beside it, and the alert says the page
// still shows the previous image and offers the photo's plain crop. While drawing, messages go below the pad's
// buttons, so the pad never moves under the pen; Clear empties the pad without a word, and the network keeps the
// last drawing, marked as such, until the next stroke.

import { listenForFiles } from "./dropAndPaste.js";
import { createDrawingPad } from "./drawingPad.js";
import { drawImage } from "../ui/heatmap.js";
import { readImageFile } from "./imageFile.js";
import { darkBackground } from "./preprocess.js";
import { modelInput } from "./photo.js";
import { el, imageCanvas, textEl } from "../ui/dom.js";
import { t, tNodes, tPlain } from "../ui/i18n.js";
import { onScopeEnd } from "../ui/scope.js";

function button(parent, text, testid) {
  const node = textEl("button", "own-button", text, parent);
  node.type = "button";
  if (testid) node.dataset.testid = testid;
  return node;
}

/** Draw `bitmap` into `canvas` at its size, with the part outside `crop` veiled and the crop outlined. */
function drawPreview(canvas, bitmap, crop) {
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.classList.toggle("is-enlarged", Math.max(bitmap.width, bitmap.height) < canvas.clientWidth);
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  context.fillStyle = "rgba(255, 255, 255, 0.65)";
  context.fillRect(0, 0, canvas.width, crop.y);
  context.fillRect(0, crop.y + crop.height, canvas.width, canvas.height - crop.y - crop.height);
  context.fillRect(0, crop.y, crop.x, crop.height);
  context.fillRect(crop.x + crop.width, crop.y, canvas.width - crop.x - crop.width, crop.height);
  context.strokeStyle = "#0969da";
  context.lineWidth = Math.max(1, canvas.width / 120);
  context.strokeRect(crop.x, crop.y, crop.width, crop.height);
}

/**
 * Build the "Your image" controls in `root` for `network`, whose sample images are `samplePixels` (uint8 H x W x C
 * each). `onImage(pixels)` shows a model input (uint8 H x W x C) and returns a Promise that rejects if it cannot.
 * Photos and drawings are prepared by the network's input.photo recipe (photo.js): like the training images when they
 * are light items on black, else with a plain centre crop and resize. When the page's language scope ends, the
 * picture, the drawing and the settings go into `store` (state.ownPanel), and controls built again (in another
 * language) show them as they were.
 */
export function createOwnImage(root, network, samplePixels, onImage, store) {
  const kept = store.get().ownPanel ?? {};
  const [height, width, channels] = network.input.shape;
  const photo = network.input.photo;
  const likeItems = photo.recipe === "object";
  const lightOnDark = likeItems || darkBackground(samplePixels, height, width, channels);
  const ink = lightOnDark ? "#fff" : "#000";
  const paper = lightOnDark ? "#000" : "#fff";

  const actions = el("div", "own-actions", root);
  actions.setAttribute("role", "group");
  actions.setAttribute("aria-label", t("ownImage.actions"));
  const openButton = button(actions, t("ownImage.open"));
  openButton.title = t("ownImage.open.hint");
  const fileInput = el("input", "", actions);
  fileInput.type = "file";
  fileInput.accept = "image/*";
  fileInput.hidden = true;
  fileInput.dataset.testid = "upload-input";
  const drawButton = button(actions, t("ownImage.draw"), "draw-toggle");
  drawButton.setAttribute("aria-pressed", "false");

  const alert = el("p", "own-error", root);
  alert.setAttribute("role", "alert");
  alert.dataset.testid = "upload-error";

  const panel = el("div", "own-panel", root);
  panel.id = "own-panel";
  panel.hidden = true;
  panel.setAttribute("role", "region");
  panel.setAttribute("aria-label", t("ownImage.panel"));
  drawButton.setAttribute("aria-controls", panel.id);
  const sourceFigure = el("figure", "own-figure own-source", panel);
  const sourceBox = el("div", "own-box", sourceFigure);
  const preview = el("canvas", "own-preview", sourceBox);
  preview.setAttribute("role", "img");
  preview.dataset.testid = "upload-preview";
  const sourceCaption = el("figcaption", "", sourceFigure);
  const arrow = textEl("span", "own-arrow", "→", panel); // turned to point down where the panel stacks (CSS)
  arrow.setAttribute("aria-hidden", "true");
  arrow.dataset.testid = "upload-arrow";
  const inputFigure = el("figure", "own-figure own-seen", panel);
  const inputBox = el("div", "own-box", inputFigure);
  const seenLabel = t("ownImage.input.label");
  const inputCanvas = imageCanvas(inputBox, "own-input", width, height, seenLabel, "upload-preprocessed");
  const inputCaption = textEl("figcaption", "", t("ownImage.input.caption"), inputFigure);
  inputCaption.title = t("ownImage.input.size", { height, width });
  inputCaption.dataset.testid = "upload-caption";

  const options = el("div", "own-options", panel);
  const fileOptions = el("div", "own-options", options);
  let prepare = null;
  if (likeItems) {
    const prepareLabel = el("label", "own-check", fileOptions);
    prepare = el("input", "", prepareLabel);
    prepare.type = "checkbox";
    prepare.checked = true;
    prepare.dataset.testid = "upload-prepare";
    prepareLabel.append(` ${t("ownImage.prepare.label")}`);
  }
  let invert = null;
  let invertLabel = null;
  if (channels === 1) {
    invertLabel = el("label", "own-check", fileOptions);
    invert = el("input", "", invertLabel);
    invert.type = "checkbox";
    invert.dataset.testid = "upload-invert";
    invertLabel.append(` ${t("ownImage.invert.label")}`);
    if (!likeItems) {
      textEl(
        "p",
        "own-hint",
        t(lightOnDark ? "ownImage.invert.hint.lightOnDark" : "ownImage.invert.hint.darkOnLight"),
        fileOptions,
      );
    }
  }
  const drawOptions = el("div", "own-options", options);
  const padControls = el("div", "own-row", drawOptions);
  const pad = createDrawingPad(sourceBox, padControls, {
    size: width,
    ink,
    paper,
    onDraw: () => showDrawing(),
    from: kept.drawing,
  });
  const useButton = button(padControls, t("drawing.use"), "draw-use");
  const plainButton = button(null, t("ownImage.plainCrop"));
  plainButton.title = t("ownImage.plainCrop.hint");
  textEl("p", "own-hint", t(lightOnDark ? "drawing.hint.lightOnDark" : "drawing.hint.darkOnLight"), drawOptions);
  const notes = el("ul", "own-notes", options);
  notes.dataset.testid = "upload-notes";
  textEl("p", "own-hint", t("ownImage.classes.hint", { count: network.classes.length }), options);
  const closeButton = button(panel, "×");
  closeButton.classList.add("own-close");
  closeButton.setAttribute("aria-label", t("ownImage.close"));

  let file = kept.file ?? null; // the last file read: {name, rgba, width, height, sourceWidth, sourceHeight, preview...}
  let inverted = kept.inverted ?? false; // the file's invert setting: from its background, until the visitor sets it
  let mode = null; // what the panel shows: "file", "drawing" or null (closed)
  // what "as the network sees it" shows: the input made from the panel's picture ("made"), the last drawing the
  // network was shown, kept while the pad is empty ("kept"), or nothing ("none"); and the notes about it
  let seen = kept.seen ?? { state: "none", pixels: null };
  let noted = kept.notes ?? [];
  let reading = 0; // counts files being read, so that only the last one is used
  let latest = 0; // counts messages and images shown, so that an image shown late does not clear a newer message
  if (prepare && kept.prepare !== undefined) prepare.checked = kept.prepare;
  onScopeEnd(() =>
    store.set({
      ownPanel: { file, inverted, mode, seen, notes: noted, prepare: prepare?.checked, drawing: pad.snapshot() },
    }),
  );

  function setMode(next) {
    mode = next;
    panel.hidden = mode === null;
    panel.classList.toggle("is-drawing", mode === "drawing");
    preview.hidden = mode !== "file";
    pad.canvas.hidden = mode !== "drawing";
    fileOptions.hidden = mode !== "file";
    drawOptions.hidden = mode !== "drawing";
    // the picture's size written as it is (6000 × 4000), not grouped like a count
    const caption = () =>
      tNodes("ownImage.source.caption", {
        name: file.name,
        width: String(file.sourceWidth),
        height: String(file.sourceHeight),
      });
    sourceCaption.replaceChildren(mode === "file" ? caption() : t("drawing.caption"));
    drawButton.setAttribute("aria-pressed", String(mode === "drawing"));
    // while drawing, messages go below the pad's buttons: above the pad, one appearing or going would move the pad
    // under the pen
    if (mode === "drawing") padControls.after(alert);
    else panel.before(alert);
  }

  /** Show `message` in the alert (none: empty it), then `more` (strings and nodes) on a line of its own. */
  function showError(message, more = null) {
    latest++;
    alert.replaceChildren(...(message ? [message] : []));
    if (more) el("span", "own-error-more", alert).append(...more);
  }

  /** Show `messages` (photo.js's {key, values}) as the notes. */
  function showNotes(messages) {
    noted = messages;
    notes.replaceChildren(...messages.map(({ key, values }) => textEl("li", "", tNodes(key, values))));
  }

  /**
   * Show `state` in "as the network sees it": the model input `pixels` made from the panel's picture ("made"; the
   * arrow leads to it), the last drawing `pixels`, which the network still shows ("kept"), or nothing ("none").
   */
  function showSeen(state, pixels = null) {
    seen = { state, pixels };
    arrow.classList.toggle("is-idle", state !== "made"); // hidden, keeping its room: nothing moves
    inputFigure.classList.toggle("is-empty", state === "none");
    inputCanvas.hidden = state === "none";
    if (pixels) drawImage(inputCanvas, pixels, height, width, channels);
    const empty = mode === "drawing" ? "drawing.none" : "ownImage.input.none";
    const key = { made: "ownImage.input.caption", kept: "drawing.kept", none: empty }[state];
    inputCaption.textContent = t(key);
    inputCanvas.setAttribute("aria-label", state === "made" ? seenLabel : t(key));
  }

  /** The model input made from `source` ({rgba, width, height}), like the training images or not (photo.js). */
  const inputOf = (source, asTraining, invertAs) =>
    modelInput(source, photo, { height, width, channels, asTraining, invert: invertAs });

  /** Show `pixels` on the page; only the last image's outcome changes the alert. */
  function run(pixels) {
    const token = ++latest;
    onImage(pixels).then(
      () => token === latest && showError(""),
      () => token === latest && showError(t("ownImage.error.tfjs")),
    );
  }

  /** Show the file as the model input, and show that on the page unless `show` is false. */
  function showFile(show = true) {
    // prepared, the page inverts by the background (the notes say so); else the visitor chooses, starting from that
    const asTraining = Boolean(prepare?.checked);
    const made = inputOf(file, asTraining, asTraining ? null : inverted);
    inverted = made.inverted;
    if (invert) invert.checked = Boolean(inverted);
    if (invertLabel) invertLabel.hidden = asTraining;
    const k = file.previewScale;
    const crop = made.crop ?? { x: 0, y: 0, width: file.width, height: file.height };
    drawPreview(preview, file.preview, {
      x: crop.x * k,
      y: crop.y * k,
      width: crop.width * k,
      height: crop.height * k,
    });
    const outlined = made.crop ? (prepare?.checked ? "ownImage.preview.item" : "ownImage.preview.crop") : null;
    preview.setAttribute("aria-label", outlined ? tPlain(outlined, { name: file.name }) : file.name);
    showNotes(made.notes);
    if (!made.pixels) {
      // only a photo prepared like the training images has nothing to show: its plain crop always has something
      showSeen("none");
      showError(t("ownImage.error.nothing"), [t("ownImage.error.previous"), plainButton]);
      return;
    }
    showSeen("made", made.pixels);
    if (show) run(made.pixels);
  }

  /**
   * Show the drawing as the model input, and show that on the page unless `show` is false; false when the pad is
   * empty. The network then keeps the last drawing it was shown, said under it, until the next stroke.
   */
  function showDrawing(show = true) {
    const made = inputOf(pad.pixels(), likeItems, false);
    if (!made.pixels || made.blank) {
      if (seen.state !== "none") showSeen("kept", seen.pixels);
      return false;
    }
    showNotes(made.notes.filter(({ key }) => key.startsWith("photo.unlike"))); // how it was cut out shows
    showSeen("made", made.pixels);
    if (show) run(made.pixels);
    return true;
  }

  /** Read `picked` (a File), then show it; a file that cannot be used only sets the alert. */
  async function use(picked) {
    const token = ++reading;
    showError("");
    try {
      const read = await readImageFile(picked, width, height);
      if (token !== reading) {
        read.preview.close();
        return;
      }
      file?.preview.close();
      file = { name: picked.name, ...read };
      inverted = prepare?.checked ? null : Boolean(invert?.checked);
      setMode("file");
      showFile();
    } catch (error) {
      if (token === reading) showError(error.message);
    }
  }

  openButton.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    if (fileInput.files.length) use(fileInput.files[0]);
    fileInput.value = "";
  });
  invert?.addEventListener("change", () => {
    inverted = invert.checked;
    showFile();
  });
  prepare?.addEventListener("change", () => showFile());
  plainButton.addEventListener("click", () => {
    prepare.checked = false;
    prepare.focus(); // the button goes with the alert; the box now says what was done
    showFile();
  });
  drawButton.addEventListener("click", () => {
    if (mode === "drawing") {
      setMode(null);
    } else {
      setMode("drawing");
      showError("");
      showNotes([]);
      showSeen("none");
      showDrawing(); // a drawing already on the pad is shown at once: the network follows the pad
    }
  });
  useButton.addEventListener("click", () => {
    if (!showDrawing()) showError(t("drawing.empty"));
  });
  closeButton.addEventListener("click", () => setMode(null));

  listenForFiles(use);
  // as it was before the page was rebuilt in another language, without showing it again: the page may have moved on
  setMode(kept.mode ?? null);
  showNotes(noted);
  showSeen(seen.state, seen.pixels);
  if (mode === "file") showFile(false);
  if (mode === "drawing") showDrawing(false);
}
