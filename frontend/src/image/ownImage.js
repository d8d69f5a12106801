// "Your image": a visitor's own picture, opened with a file picker, dropped on the page or pasted, or sketched on
// the drawing pad, shown next to the model input made from it (preprocess.js). A file that cannot be used gets a
// message in an alert and leaves the current view as it is.

import { listenForFiles } from "./dropAndPaste.js";
import { createDrawingPad } from "./drawingPad.js";
import { drawImage } from "../ui/heatmap.js";
import { readImageFile } from "./imageFile.js";
import { darkBackground, toModelPixels } from "./preprocess.js";
import { fill } from "../ui/text.js";
import { el, imageCanvas, textEl } from "../ui/dom.js";

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
 * Build the "Your image" controls in `root` for `spec`, whose sample images are `samplePixels` (uint8 H x W x C
 * each). `onImage(pixels)` shows a model input (uint8 H x W x C) and returns a Promise that rejects if it cannot.
 */
export function createOwnImage(root, spec, samplePixels, onImage) {
  const [height, width, channels] = spec.input.shape;
  const lightOnDark = darkBackground(samplePixels, height, width, channels);
  const ink = lightOnDark ? "#fff" : "#000";
  const paper = lightOnDark ? "#000" : "#fff";

  const actions = el("div", "own-actions", root);
  actions.setAttribute("role", "group");
  actions.setAttribute("aria-label", "Your own image");
  const openButton = button(actions, "Open image…");
  openButton.title = "Open an image file (or drop one on the page, or paste one)";
  const fileInput = el("input", "", actions);
  fileInput.type = "file";
  fileInput.accept = "image/*";
  fileInput.hidden = true;
  fileInput.dataset.testid = "upload-input";
  const drawButton = button(actions, "Draw", "draw-toggle");
  drawButton.setAttribute("aria-pressed", "false");

  const alert = el("p", "own-error", root);
  alert.setAttribute("role", "alert");
  alert.dataset.testid = "upload-error";

  const panel = el("div", "own-panel", root);
  panel.id = "own-panel";
  panel.hidden = true;
  panel.setAttribute("role", "region");
  panel.setAttribute("aria-label", "Your image, and the input the network makes of it");
  drawButton.setAttribute("aria-controls", panel.id);
  const sourceFigure = el("figure", "own-figure", panel);
  const sourceBox = el("div", "own-box", sourceFigure);
  const preview = el("canvas", "own-preview", sourceBox);
  preview.setAttribute("role", "img");
  const sourceCaption = el("figcaption", "", sourceFigure);
  textEl("span", "own-arrow", "→", panel).setAttribute("aria-hidden", "true");
  const inputFigure = el("figure", "own-figure", panel);
  const inputBox = el("div", "own-box", inputFigure);
  const seen = "The image as the network sees it";
  const inputCanvas = imageCanvas(inputBox, "own-input", width, height, seen, "upload-preprocessed");
  textEl("figcaption", "", "As the network sees it", inputFigure).title = `${height} × ${width} pixels`;

  const fileOptions = el("div", "own-options", panel);
  let invert = null;
  if (channels === 1) {
    const invertLabel = el("label", "own-check", fileOptions);
    invert = el("input", "", invertLabel);
    invert.type = "checkbox";
    invert.dataset.testid = "upload-invert";
    invertLabel.append(" Invert colours");
    textEl(
      "p",
      "own-hint",
      lightOnDark
        ? "The samples show light items on black, as Fashion-MNIST does: invert a photo of a dark item on a light background."
        : "The samples show dark items on a light background: invert a picture of a light item on dark.",
      fileOptions,
    );
  }
  const drawOptions = el("div", "own-options", panel);
  const padControls = el("div", "own-row", drawOptions);
  const pad = createDrawingPad(sourceBox, padControls, { size: width, ink, paper, onDraw: showDrawing });
  const useButton = button(padControls, "Use drawing", "draw-use");
  textEl(
    "p",
    "own-hint",
    `Draw ${lightOnDark ? "a light shape on black" : "a dark shape on white"}, like the samples; the network follows as you draw.`,
    drawOptions,
  );
  const closeButton = button(panel, "×");
  closeButton.classList.add("own-close");
  closeButton.setAttribute("aria-label", "Close your image");

  let file = null; // the last file read: {name, rgba, width, height, sourceWidth, sourceHeight}
  let mode = null; // what the panel shows: "file", "drawing" or null (closed)
  let reading = 0; // counts files being read, so that only the last one is used

  function setMode(next) {
    mode = next;
    panel.hidden = mode === null;
    preview.hidden = mode !== "file";
    pad.canvas.hidden = mode !== "drawing";
    fileOptions.hidden = mode !== "file";
    drawOptions.hidden = mode !== "drawing";
    sourceCaption.replaceChildren(
      mode === "file"
        ? fill(`{name}, ${file.sourceWidth} × ${file.sourceHeight}`, { name: file.name })
        : "Your drawing",
    );
    drawButton.setAttribute("aria-pressed", String(mode === "drawing"));
  }

  function showError(message) {
    alert.textContent = message;
  }

  /** The model input made from `source` ({rgba, width, height}), drawn as the network sees it. */
  function modelInput(source, inverted) {
    const options = { outHeight: height, outWidth: width, channels, invert: inverted };
    const pixels = toModelPixels(source.rgba, source.width, source.height, options);
    drawImage(inputCanvas, pixels, height, width, channels);
    return pixels;
  }

  function run(pixels) {
    onImage(pixels).then(
      () => showError(""),
      () => showError("TensorFlow.js could not run the model in this browser, so your image cannot be explained."),
    );
  }

  function showFile() {
    run(modelInput(file, Boolean(invert && invert.checked)));
  }

  function showDrawing() {
    run(modelInput(pad.pixels(), false));
  }

  /** Read `picked` (a File), then show it; a file that cannot be used only sets the alert. */
  async function use(picked) {
    const token = ++reading;
    showError("");
    try {
      const read = await readImageFile(picked, width, height);
      if (token === reading) {
        const { rgba, sourceWidth, sourceHeight } = read;
        file = { name: picked.name, rgba, width: read.width, height: read.height, sourceWidth, sourceHeight };
        setMode("file");
        drawPreview(preview, read.preview, read.previewCrop);
        preview.setAttribute("aria-label", `${picked.name}, with the centre crop the network sees outlined`);
        showFile();
      }
      read.preview.close();
    } catch (error) {
      if (token === reading) showError(error.message);
    }
  }

  openButton.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", () => {
    if (fileInput.files.length) use(fileInput.files[0]);
    fileInput.value = "";
  });
  invert?.addEventListener("change", showFile);
  drawButton.addEventListener("click", () => {
    if (mode === "drawing") {
      setMode(null);
    } else {
      setMode("drawing");
      modelInput(pad.pixels(), false);
    }
  });
  useButton.addEventListener("click", showDrawing);
  closeButton.addEventListener("click", () => setMode(null));

  listenForFiles(use);
  setMode(null);
}
