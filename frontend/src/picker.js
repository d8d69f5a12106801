// The sample picker: one button per sample image, drawn from the payload's pixels.

import { drawImage } from "./heatmap.js";

/**
 * Build the picker in `root` for `samples` ({items, pixels}) of `spec`; `onSelect(index)` is called on a click.
 * Returns {select(index)} to mark the chosen sample (or none, with -1).
 */
export function createPicker(root, spec, samples, onSelect) {
  const [height, width, channels] = spec.input.shape;
  const buttons = samples.pixels.map((pixels, index) => {
    const item = samples.items[index] || {};
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sample";
    const known = item.label !== null && item.label !== undefined;
    const truth = known ? spec.classes[item.label] : undefined;
    const predicted = spec.classes[item.predicted];
    let label = `Sample ${index + 1}`;
    if (item.file) label += ` (${item.file})`;
    if (truth !== undefined) label += `: ${truth}`;
    if (truth !== undefined && predicted !== undefined && item.predicted !== item.label) {
      label += `, but the model says ${predicted}`;
      button.classList.add("is-misclassified");
    }
    button.setAttribute("aria-label", label);
    button.title = label;
    button.setAttribute("aria-pressed", "false");
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    canvas.setAttribute("aria-hidden", "true");
    drawImage(canvas, pixels, height, width, channels);
    button.appendChild(canvas);
    button.addEventListener("click", () => onSelect(index));
    root.appendChild(button);
    return button;
  });
  return {
    /** Mark sample `index` as the one shown (-1: none, for an image from elsewhere). */
    select(index) {
      buttons.forEach((button, i) => button.setAttribute("aria-pressed", String(i === index)));
    },
  };
}
