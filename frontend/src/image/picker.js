// The sample picker: one button per sample image, drawn from the payload's pixels, then one for the visitor's own.

import { drawImage } from "../ui/heatmap.js";
import { fillText, templateParts } from "../ui/text.js";

/**
 * Build the picker in `root` for `samples` ({items, pixels}) of `spec`; `onSelect(index)` is called on a click,
 * with null for the visitor's own image. Returns {select(index), setOwn(pixels)}.
 */
export function createPicker(root, spec, samples, onSelect) {
  const [height, width, channels] = spec.input.shape;
  const thumbnail = (label, pixels, index, title = label) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sample";
    button.setAttribute("aria-label", label);
    button.title = title;
    button.setAttribute("aria-pressed", "false");
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    canvas.setAttribute("aria-hidden", "true");
    if (pixels) drawImage(canvas, pixels, height, width, channels);
    button.appendChild(canvas);
    button.addEventListener("click", () => onSelect(index));
    root.appendChild(button);
    return button;
  };
  const buttons = samples.pixels.map((pixels, index) => {
    const item = samples.items[index] || {};
    const known = item.label !== null && item.label !== undefined;
    const truth = known ? spec.classes[item.label] : undefined;
    const predicted = spec.classes[item.predicted];
    let template = `Sample ${index + 1}`;
    if (item.file) template += " ({file})";
    if (truth !== undefined) template += ": {truth}";
    const wrong = truth !== undefined && predicted !== undefined && item.predicted !== item.label;
    if (wrong) template += ", but the model says {predicted}";
    const names = { file: item.file, truth, predicted };
    const label = templateParts(template, names)
      .map((part) => part.text ?? part.value)
      .join("");
    const button = thumbnail(label, pixels, index, fillText(template, names));
    button.dataset.sample = String(index);
    button.classList.toggle("is-misclassified", wrong);
    return button;
  });
  const own = thumbnail("Your image", null, null);
  own.classList.add("sample-own");
  own.hidden = true;
  return {
    /** Mark sample `index` as the one shown (null: the visitor's own image). */
    select(index) {
      buttons.forEach((button, i) => button.setAttribute("aria-pressed", String(i === index)));
      own.setAttribute("aria-pressed", String(index === null));
    },
    /** Disable the samples for which `canShow(index)` is false, saying why in their tooltips. */
    limit(canShow, why) {
      buttons.forEach((button, i) => {
        if (canShow(i)) return;
        button.disabled = true;
        button.title += ` (${why})`;
      });
    },
    /** Show `pixels` (uint8 H x W x C) as the visitor's own image, the last entry. */
    setOwn(pixels) {
      drawImage(own.firstChild, pixels, height, width, channels);
      own.hidden = false;
    },
  };
}
