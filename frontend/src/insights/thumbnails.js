// A test image of the insights pool as a button: its pixels, what it is and what the model says, optionally the
// receptive field of a neuron outlined on it. Clicking it loads it into the explainer.

import { el, textEl } from "../ui/dom.js";
import { drawImage } from "../ui/heatmap.js";
import { formatPercent } from "../ui/format.js";
import { t } from "../ui/i18n.js";

/** "Test image 1234: Shirt, predicted T-shirt/top (87.0%)": what a thumbnail of pool `image` says it is. */
export function describeTestImage(image, classes) {
  const right = image.label === image.predicted;
  return t(right ? "insights.testImage.right" : "insights.testImage.wrong", {
    index: String(image.testIndex), // an index, written as the hash writes it (no thousands separator)
    truth: classes[image.label],
    predicted: classes[image.predicted],
    confidence: formatPercent(image.confidence),
  });
}

/**
 * A button showing pool `image` (decodeInsights) of a model reading `shape` images, appended to `parent`, that calls
 * `onPick(image)` when clicked. `caption` (optional) is printed under it; `box` ({top, left, bottom, right}, input
 * pixels, inclusive) is outlined; `label` replaces the accessible name.
 */
export function testImageButton(parent, image, { shape, classes, onPick, caption, box, label }) {
  const button = el("button", "test-image", parent);
  button.type = "button";
  button.dataset.testIndex = String(image.testIndex);
  const name = label ?? describeTestImage(image, classes);
  button.setAttribute("aria-label", name);
  button.title = name;
  button.classList.toggle("is-mistake", image.label !== image.predicted);
  imageFrame(button, image.pixels, shape, box);
  if (caption) textEl("span", "test-image-caption", caption, button).setAttribute("aria-hidden", "true");
  button.addEventListener("click", () => onPick(image));
  return button;
}

/** A frame appended to `parent` showing uint8 `pixels` of `shape` ([H, W, C]), with `box` (optional) outlined. */
export function imageFrame(parent, pixels, shape, box) {
  const [height, width, channels] = shape;
  const frame = el("span", "test-image-frame", parent);
  const canvas = el("canvas", null, frame);
  canvas.width = width;
  canvas.height = height;
  canvas.setAttribute("aria-hidden", "true");
  canvas.style.aspectRatio = `${width} / ${height}`;
  drawImage(canvas, pixels, height, width, channels);
  if (box) {
    const outline = el("span", "test-image-field", frame);
    outline.style.top = `${(100 * box.top) / height}%`;
    outline.style.left = `${(100 * box.left) / width}%`;
    outline.style.height = `${(100 * (box.bottom - box.top + 1)) / height}%`;
    outline.style.width = `${(100 * (box.right - box.left + 1)) / width}%`;
  }
  return frame;
}
