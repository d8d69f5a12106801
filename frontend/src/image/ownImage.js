// "Your image": a visitor's own picture, opened with a file picker, dropped on the page or pasted, or sketched on
// the drawing pad, shown next to the model input made from it (photo.js modelInput). Its "as the network sees it"
// shows only what the network is shown: a file that cannot be read gets a message in an alert and leaves the page
// as it is; a photo with nothing to cut out is shown with an empty frame beside it, and the alert says the page
// still shows the previous image and offers the photo's plain crop. While drawing, messages go below the pad's
// buttons, so the pad never moves under the pen; Clear empties the pad without a word, and the network keeps the
// last drawing, marked as such, until the next stroke. This module builds the elements and wires their events;
// what they show for each mode and event is worked out without the DOM in ownPanel.js.

import { listenForFiles } from "./dropAndPaste.js";
import { createDrawingPad } from "./drawingPad.js";
import { drawImage } from "../ui/heatmap.js";
import { readImageFile } from "./imageFile.js";
import { fetchImage, imageAddress } from "./imageLink.js";
import {
  drawingView,
  fileView,
  modeView,
  panelLook,
  previewVeil,
  seenView,
  startingInvert,
  startingPanel,
} from "./ownPanel.js";
import { el, imageCanvas, textEl } from "../ui/dom.js";
import { t, tNodes } from "../ui/i18n.js";
import { hides } from "../ui/classroom.js";
import { onScopeEnd } from "../ui/scope.js";

function button(parent, text, testid) {
  const node = textEl("button", "own-button", text, parent);
  node.type = "button";
  if (testid) node.dataset.testid = testid;
  return node;
}

/** A checkbox labelled with message `key` in `parent`: {box, label}. */
function checkbox(parent, key, testid) {
  const label = el("label", "own-check", parent);
  const box = el("input", "", label);
  box.type = "checkbox";
  box.dataset.testid = testid;
  label.append(` ${t(key)}`);
  return { box, label };
}

/** Draw `bitmap` into `canvas` at its size, with the part outside `crop` veiled and the crop outlined. */
function drawPreview(canvas, bitmap, crop) {
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.classList.toggle("is-enlarged", Math.max(bitmap.width, bitmap.height) < canvas.clientWidth);
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  const { veil, line } = previewVeil(canvas.width, canvas.height, crop);
  context.fillStyle = "rgba(255, 255, 255, 0.65)";
  for (const rectangle of veil) context.fillRect(...rectangle);
  context.strokeStyle = "#0969da";
  context.lineWidth = line;
  context.strokeRect(crop.x, crop.y, crop.width, crop.height);
}

/** The field for an image's address, with its button, in `parent`: {linkForm, linkInput}. */
function buildLink(parent) {
  const linkForm = el("form", "own-link", parent);
  linkForm.noValidate = true; // the browser's own check of a url field would stop the submit without a word here
  linkForm.setAttribute("aria-label", t("ownImage.link.label"));
  const linkInput = el("input", "own-link-input", linkForm);
  Object.assign(linkInput, { type: "url", placeholder: t("ownImage.link.placeholder"), spellcheck: false });
  linkInput.setAttribute("aria-label", t("ownImage.link.label"));
  linkInput.setAttribute("autocomplete", "off");
  linkInput.dataset.testid = "image-url";
  button(linkForm, t("ownImage.link.load")).type = "submit";
  return { linkForm, linkInput };
}

/**
 * The buttons above the panel, the address field, and the alert under them, in `root`: {openButton, fileInput,
 * drawButton, linkForm, linkInput, alert}.
 */
function buildActions(root) {
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
  const link = buildLink(actions);
  const alert = el("p", "own-error", root);
  alert.setAttribute("role", "alert");
  alert.dataset.testid = "upload-error";
  return { openButton, fileInput, drawButton, ...link, alert };
}

/**
 * The panel in `root`, opened by `drawButton`, for a model reading `height` x `width` images: the picture (or pad)
 * and the arrow to "as the network sees it". Returns {panel, sourceBox, preview, sourceCaption, arrow, inputFigure,
 * inputCanvas, inputCaption, seenLabel (the canvas's name while it shows the input made)}.
 */
function buildPanel(root, { height, width }, drawButton) {
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
  return { panel, sourceBox, preview, sourceCaption, arrow, inputFigure, inputCanvas, inputCaption, seenLabel };
}

/**
 * The options under the panel's pictures, in `panel`, for a panel that looks as `look` (ownPanel.js panelLook): a
 * file's (prepare, invert), the pad's (its brush and Clear, made by `makePad(canvasRoot, controlsRoot)`, and Use),
 * the notes and the close button. Returns them: {fileOptions, prepare, invert, invertLabel, drawOptions, padControls,
 * pad, useButton, plainButton (detached: the alert shows it), notes, closeButton}.
 */
function buildOptions(panel, look, classCount, makePad) {
  const options = el("div", "own-options", panel);
  const fileOptions = el("div", "own-options", options);
  const prepare = look.likeItems ? checkbox(fileOptions, "ownImage.prepare.label", "upload-prepare").box : null;
  if (prepare) prepare.checked = true;
  const { box: invert = null, label: invertLabel = null } = look.invert
    ? checkbox(fileOptions, "ownImage.invert.label", "upload-invert")
    : {};
  if (look.invertHint) textEl("p", "own-hint", t(look.invertHint), fileOptions);
  const drawOptions = el("div", "own-options", options);
  const padControls = el("div", "own-row", drawOptions);
  const pad = makePad(padControls);
  const useButton = button(padControls, t("drawing.use"), "draw-use");
  const plainButton = button(null, t("ownImage.plainCrop"));
  plainButton.title = t("ownImage.plainCrop.hint");
  textEl("p", "own-hint", t(look.drawingHint), drawOptions);
  const notes = el("ul", "own-notes", options);
  notes.dataset.testid = "upload-notes";
  textEl("p", "own-hint", t("ownImage.classes.hint", { count: classCount }), options);
  const closeButton = button(panel, "×");
  closeButton.classList.add("own-close");
  closeButton.setAttribute("aria-label", t("ownImage.close"));
  return {
    fileOptions,
    prepare,
    invert,
    invertLabel,
    drawOptions,
    padControls,
    pad,
    useButton,
    plainButton,
    notes,
    closeButton,
  };
}

/** Show the panel in `next` mode ("file", "drawing" or null: closed). */
function setMode(own, next) {
  const { ui } = own;
  own.state.mode = next;
  const view = modeView(next, own.state.file);
  ui.panel.hidden = view.hidden;
  ui.panel.classList.toggle("is-drawing", view.drawing);
  ui.preview.hidden = !view.file;
  ui.pad.canvas.hidden = !view.drawing;
  ui.fileOptions.hidden = !view.file;
  ui.drawOptions.hidden = !view.drawing;
  const { key, values } = view.caption;
  ui.sourceCaption.replaceChildren(values ? tNodes(key, values) : t(key));
  ui.drawButton.setAttribute("aria-pressed", String(view.drawing));
  // while drawing, messages go below the pad's buttons: above the pad, one appearing or going would move the pad
  // under the pen
  if (view.drawing) ui.padControls.after(ui.alert);
  else ui.panel.before(ui.alert);
}

/** Show `message` in the alert (none: empty it), then `more` (strings and nodes) on a line of its own. */
function showError(own, message, more = null) {
  own.state.latest++;
  own.ui.alert.replaceChildren(...(message ? [message] : []));
  if (more) el("span", "own-error-more", own.ui.alert).append(...more);
}

/** Show `messages` (photo.js's {key, values}) as the notes. */
function showNotes(own, messages) {
  own.state.notes = messages;
  own.ui.notes.replaceChildren(...messages.map(({ key, values }) => textEl("li", "", tNodes(key, values))));
}

/**
 * Show `state` in "as the network sees it": the model input `pixels` made from the panel's picture ("made"; the
 * arrow leads to it), the last drawing `pixels`, which the network still shows ("kept"), or nothing ("none").
 */
function showSeen(own, state, pixels = null) {
  const { ui } = own;
  own.state.seen = { state, pixels };
  const view = seenView(state, own.state.mode);
  ui.arrow.classList.toggle("is-idle", view.arrowIdle); // hidden, keeping its room: nothing moves
  ui.inputFigure.classList.toggle("is-empty", view.empty);
  ui.inputCanvas.hidden = view.empty;
  const { height, width, channels } = own.shape;
  if (pixels) drawImage(ui.inputCanvas, pixels, height, width, channels);
  ui.inputCaption.textContent = t(view.caption);
  ui.inputCanvas.setAttribute("aria-label", view.label ? t(view.label) : ui.seenLabel);
}

/** Show `pixels` on the page; only the last image's outcome changes the alert. */
function run(own, pixels) {
  const token = ++own.state.latest;
  own.onImage(pixels).then(
    () => token === own.state.latest && showError(own, ""),
    () => token === own.state.latest && showError(own, t("ownImage.error.tfjs")),
  );
}

/** Show the file as the model input, and show that on the page unless `show` is false. */
function showFile(own, show = true) {
  const { ui, state } = own;
  const view = fileView(state.file, own.photo, own.shape, ui.prepare?.checked, state.inverted);
  state.inverted = view.inverted;
  if (ui.invert) ui.invert.checked = Boolean(view.inverted);
  if (ui.invertLabel) ui.invertLabel.hidden = view.invertHidden;
  drawPreview(ui.preview, state.file.preview, view.crop);
  ui.preview.setAttribute("aria-label", view.label);
  showNotes(own, view.notes);
  if (view.seen === "none") {
    showSeen(own, "none");
    showError(own, t("ownImage.error.nothing"), [t("ownImage.error.previous"), ui.plainButton]);
    return;
  }
  showSeen(own, "made", view.pixels);
  if (show) run(own, view.pixels);
}

/**
 * Show the drawing as the model input, and show that on the page unless `show` is false; false when the pad is
 * empty. The network then keeps the last drawing it was shown, said under it, until the next stroke.
 */
function showDrawing(own, show = true) {
  const { seen } = own.state;
  const view = drawingView(own.ui.pad.pixels(), own.photo, own.shape, own.look.likeItems, seen.state);
  if (!view.pixels) {
    if (view.seen) showSeen(own, view.seen, seen.pixels);
    return false;
  }
  showNotes(own, view.notes);
  showSeen(own, "made", view.pixels);
  if (show) run(own, view.pixels);
  return true;
}

/**
 * Fetch the image at `address` (imageLink.js) and use it as a file that was opened; an image that cannot be fetched
 * only sets the alert. The field shows the address meanwhile, busy.
 */
async function useLink(own, address) {
  const { state, ui } = own;
  const token = ++state.reading;
  const fetching = ++state.fetching; // the field is busy while the last address asked for is being fetched
  ui.linkInput.value = address;
  showError(own, "");
  ui.linkForm.setAttribute("aria-busy", "true");
  try {
    const file = await fetchImage(address);
    if (token === state.reading) await use(own, file, token);
  } catch (error) {
    if (token === state.reading) showError(own, error.message);
  } finally {
    if (fetching === state.fetching) ui.linkForm.setAttribute("aria-busy", "false");
  }
}

/**
 * Read `picked` (a File), then show it; a file that cannot be used only sets the alert. `token` is the reading it
 * continues (an image fetched by its address), if any.
 */
async function use(own, picked, token = ++own.state.reading) {
  const { state, ui } = own;
  showError(own, "");
  try {
    const read = await readImageFile(picked, own.shape.width, own.shape.height);
    if (token !== state.reading) {
      read.preview.close();
      return;
    }
    state.file?.preview.close();
    state.file = { name: picked.name, ...read };
    state.inverted = startingInvert(ui.prepare?.checked, ui.invert?.checked);
    setMode(own, "file");
    showFile(own);
  } catch (error) {
    if (token === state.reading) showError(own, error.message);
  }
}

/** Wire the controls' events, and files dropped on or pasted into the page. */
function wire(own) {
  const { ui } = own;
  ui.openButton.addEventListener("click", () => ui.fileInput.click());
  ui.fileInput.addEventListener("change", () => {
    if (ui.fileInput.files.length) use(own, ui.fileInput.files[0]);
    ui.fileInput.value = "";
  });
  ui.invert?.addEventListener("change", () => {
    own.state.inverted = ui.invert.checked;
    showFile(own);
  });
  ui.prepare?.addEventListener("change", () => showFile(own));
  ui.plainButton.addEventListener("click", () => {
    ui.prepare.checked = false;
    ui.prepare.focus(); // the button goes with the alert; the box now says what was done
    showFile(own);
  });
  ui.drawButton.addEventListener("click", () => {
    if (own.state.mode === "drawing") {
      setMode(own, null);
    } else {
      setMode(own, "drawing");
      showError(own, "");
      showNotes(own, []);
      showSeen(own, "none");
      showDrawing(own); // a drawing already on the pad is shown at once: the network follows the pad
    }
  });
  ui.useButton.addEventListener("click", () => {
    if (!showDrawing(own)) showError(own, t("drawing.empty"));
  });
  ui.closeButton.addEventListener("click", () => setMode(own, null));
  ui.linkForm.addEventListener("submit", (event) => {
    event.preventDefault(); // the page stays: the form only names the address
    const address = imageAddress(ui.linkInput.value);
    if (address) useLink(own, address);
    else if (!ui.linkInput.value.trim()) showError(own, t("ownImage.link.empty"));
    else showError(own, t("ownImage.link.invalid", { address: ui.linkInput.value.trim() }));
  });
  listenForFiles(
    (picked) => use(own, picked),
    (address) => useLink(own, address),
    () => !hides(own.store, "upload"),
  );
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
  const start = startingPanel(kept);
  const [height, width, channels] = network.input.shape;
  const look = panelLook(network.input, samplePixels);
  // state: the panel's (ownPanel.js startingPanel); reading counts files being read, so that only the last one is
  // used; fetching counts addresses fetched; latest counts messages and images shown, so that an image shown late
  // does not clear a newer message
  const own = { photo: network.input.photo, shape: { height, width, channels }, look, onImage, store };
  own.state = {
    file: start.file,
    inverted: start.inverted,
    mode: null,
    seen: start.seen,
    notes: start.notes,
    reading: 0,
    fetching: 0,
    latest: 0,
  };
  const actions = buildActions(root);
  const panel = buildPanel(root, own.shape, actions.drawButton);
  const padOptions = {
    size: width,
    ink: look.ink,
    paper: look.paper,
    onDraw: () => showDrawing(own),
    from: kept.drawing,
  };
  const makePad = (controls) => createDrawingPad(panel.sourceBox, controls, padOptions);
  own.ui = { ...actions, ...panel, ...buildOptions(panel.panel, look, network.classes.length, makePad) };
  if (own.ui.prepare && start.prepare !== undefined) own.ui.prepare.checked = start.prepare;
  onScopeEnd(() => {
    const { file, inverted, mode, seen, notes } = own.state;
    const drawing = own.ui.pad.snapshot();
    store.set({ ownPanel: { file, inverted, mode, seen, notes, prepare: own.ui.prepare?.checked, drawing } });
  });
  wire(own);
  // as it was before the page was rebuilt in another language, without showing it again: the page may have moved on
  setMode(own, start.mode);
  showNotes(own, own.state.notes);
  showSeen(own, own.state.seen.state, own.state.seen.pixels);
  if (own.state.mode === "file") showFile(own, false);
  if (own.state.mode === "drawing") showDrawing(own, false);
}
