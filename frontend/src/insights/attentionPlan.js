// When and what "what the model looks at" draws, without the DOM: the class explained (the predicted one unless the
// visitor picks another), whether the maps shown are out of date, what a new image or class leads to (nothing, draw
// now, or later away from the screen), TF.js's answers kept for the frame shown, and the words beside the maps: the
// select's predicted option, the maps' captions and the status line.

import { argmax } from "../network/predictions.js";
import { formatPercent } from "../ui/format.js";
import { t } from "../ui/i18n.js";

/** The class explained: the select's `choice` (a class index as text), or for "" the class `probabilities` predict. */
export function chosenClass(choice, probabilities) {
  return choice === "" ? argmax(probabilities) : Number(choice);
}

/**
 * Whether the maps, of `shown` ({frame, chosen}), are not those of `frame` (the store's; null before any) and the
 * select's `choice`: always when there is no frame computed by TF.js (live).
 */
export function isOutdated(frame, shown, choice) {
  return !frame || !frame.live || shown.frame !== frame || shown.chosen !== chosenClass(choice, frame.probabilities);
}

/**
 * What a redraw does for `frame`, `shown` and `choice` (see isOutdated), drawing anywhere (`anywhere`) or only when
 * `near()` the screen: "none" (no frame computed by TF.js), "drawn" (the maps are of it), "away" (left for later,
 * away from the screen) or "draw".
 */
export function redrawStep(frame, shown, choice, anywhere, near) {
  if (!frame || !frame.live) return "none";
  if (!isOutdated(frame, shown, choice)) return "drawn";
  return !anywhere && !near() ? "away" : "draw";
}

/**
 * TF.js's answers by frame: a function (frame, kind, classIndex) -> Promise of `compute(kind, classIndex)`, asked
 * once per frame, kind and class (a draw overtaken by another, for print or in idle time, asks again for nothing),
 * and asked again after it failed. A new frame forgets the answers of the last.
 */
export function answersByFrame(compute) {
  let cache = { frame: null, results: new Map() };
  return (frame, kind, classIndex) => {
    if (cache.frame !== frame) cache = { frame, results: new Map() };
    const key = `${kind} ${classIndex}`;
    if (!cache.results.has(key)) {
      const { results } = cache;
      const answer = new Promise((resolve) => resolve(compute(kind, classIndex)));
      answer.catch(() => results.delete(key)); // asked again next time
      results.set(key, answer);
    }
    return cache.results.get(key);
  };
}

/** The uint8 pixels of the model's input `values` (pixel / `divisor`, as the network reads them). */
export function inputBytes(values, divisor) {
  return Uint8Array.from(values, (v) => Math.round(v * divisor));
}

/** The select's first option, which follows the prediction: its text for class `predicted` of `classes`. */
export function predictedLabel(classes, predicted) {
  return t("attention.class.predicted", { class: classes[predicted] }); // no <bdi> in an option
}

/** The gradient's caption for class `chosen` of `classes`: {key, values}. */
export function saliencyCaption(classes, chosen) {
  return { key: "attention.saliency", values: { class: classes[chosen] } };
}

/**
 * Grad-CAM's caption for `map` ({layer, shape: [h, w]}) whose largest value is `max`, resized to `height` x `width`:
 * {key, values}; it says so when no region speaks for the class (max 0).
 */
export function gradCamCaption(map, max, [height, width]) {
  const [mapHeight, mapWidth] = map.shape;
  return {
    key: max === 0 ? "attention.gradCam.none" : "attention.gradCam",
    values: { layer: map.layer, mapHeight, mapWidth, height, width },
  };
}

/** The status line for class `chosen` of `classes` under `probabilities`: its probability, and if predicted. */
export function statusLine(classes, chosen, probabilities) {
  const predicted = argmax(probabilities);
  return {
    key: chosen === predicted ? "attention.status.predicted" : "attention.status",
    values: { class: classes[chosen], probability: formatPercent(probabilities[chosen]) },
  };
}
