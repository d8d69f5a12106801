// The sample picker: one button per sample image, drawn from the payload's pixels, then one for the visitor's own.

import { drawImage } from "../ui/heatmap.js";
import { t, tPlain } from "../ui/i18n.js";

/**
 * Build the picker in `root` for `samples` ({items, pixels}) of `network`; `onSelect(index)` is called on a click,
 * with null for the visitor's own image. Returns {select(index), setOwn(pixels)}.
 */
export function createPicker(root, network, samples, onSelect) {
  const [height, width, channels] = network.input.shape;
  const thumbnail = (label, pixels, onClick, title = label) => {
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
    button.addEventListener("click", onClick);
    root.appendChild(button);
    return button;
  };
  const buttons = samples.pixels.map((pixels, index) => {
    const item = samples.items[index] || {};
    const known = item.label !== null && item.label !== undefined;
    const truth = known ? network.classes[item.label] : undefined;
    const predicted = network.classes[item.predicted];
    const wrong = truth !== undefined && predicted !== undefined && item.predicted !== item.label;
    // picker.sample, picker.sample.truth, picker.sample.wrong, and each .file (the sample's file name in brackets)
    const key = `picker.sample${wrong ? ".wrong" : truth !== undefined ? ".truth" : ""}${item.file ? ".file" : ""}`;
    const names = { number: index + 1, file: item.file, truth, predicted };
    const button = thumbnail(tPlain(key, names), pixels, () => onSelect(index), t(key, names));
    button.dataset.sample = String(index);
    button.classList.toggle("is-misclassified", wrong);
    return button;
  });
  const own = thumbnail(t("picker.own"), null, () => onSelect(null));
  own.classList.add("sample-own");
  own.hidden = true;
  let tests = []; // [{button, testIndex}]: the model's mistakes on test images (insights/), after the samples
  let unavailable = null; // why images the payload holds no values for cannot be shown (limit)
  const disable = (button) => {
    button.disabled = true;
    button.title = tPlain("picker.unavailable", { title: button.title, why: unavailable });
  };
  return {
    /** Mark sample `index` as the one shown (null: the visitor's own image, or test image `testIndex`). */
    select(index, testIndex = null) {
      buttons.forEach((button, i) => button.setAttribute("aria-pressed", String(i === index)));
      own.setAttribute("aria-pressed", String(index === null && testIndex === null));
      for (const test of tests) test.button.setAttribute("aria-pressed", String(test.testIndex === testIndex));
    },
    /**
     * Offer test images after the samples, before "Your image": `images` ({testIndex, pixels, label, predicted}),
     * each named by `describe(image)`; `onPick(image)` on a click. They are marked as the model's mistakes.
     */
    addMistakes(images, describe, onPick) {
      if (!images.length) return;
      const note = document.createElement("span");
      note.className = "picker-note";
      note.textContent = t("picker.mistakes");
      root.insertBefore(note, own);
      tests = images.map((image) => {
        const label = tPlain("picker.mistake", { image: describe(image) });
        const button = thumbnail(label, image.pixels, () => onPick(image));
        button.dataset.testIndex = String(image.testIndex);
        button.classList.add("is-misclassified", "is-test-mistake");
        root.insertBefore(button, own);
        if (unavailable) disable(button); // TF.js computes them, and it could not run
        return { button, testIndex: image.testIndex };
      });
    },
    /** Disable the samples for which `canShow(index)` is false, and the test images, saying `why` in their tooltips. */
    limit(canShow, why) {
      unavailable = why;
      buttons.forEach((button, i) => {
        if (!canShow(i)) disable(button);
      });
      for (const test of tests) disable(test.button);
    },
    /** Show `pixels` (uint8 H x W x C) as the visitor's own image, the last entry. */
    setOwn(pixels) {
      drawImage(own.firstChild, pixels, height, width, channels);
      own.hidden = false;
    },
  };
}
