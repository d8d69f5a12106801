// What the model looks at, for the image shown: the gradient of a class's logit with respect to the input, and
// Grad-CAM on the last convolution, each drawn on a green scale from 0 to its own largest value, with that range
// written under it and the image's edges traced over it. Per map, and said so: the values of a class the model rules
// out are often larger than those of the class it predicts (for the shipped model's first test image, Grad-CAM of
// Sandal peaks 48 times higher than that of Ankle boot, at 100%), so a scale shared with the predicted class would
// saturate them, and one shared by all classes would wash the predicted class out; the legends' numbers and the class's
// probability, written beside the maps, compare classes instead. Computed by TF.js when the image changes and the
// section is near the screen, and, where that is cheap, in idle time otherwise, so that a printed page shows them too.

import { el, textEl } from "../ui/dom.js";
import { greenLut } from "../ui/colors.js";
import { fillImage } from "../ui/heatmap.js";
import { formatPercent } from "../ui/format.js";
import { t, tNodes } from "../ui/i18n.js";
import { createLegend } from "../ui/legend.js";
import { watchNear } from "../ui/nearScreen.js";
import { listen, onScopeEnd } from "../ui/scope.js";
import { argmax } from "../network/predictions.js";
import { edgePath, gradientStrength, heatPixels, largest, resizeBilinear } from "./attentionMath.js";

const SVG = "http://www.w3.org/2000/svg";
const AWAY_MS = 1500; // how long the image shown stays before its maps are drawn away from the screen

/** A new SVG element `tag` of class `className` in `parent`. */
function svgElement(tag, className, parent) {
  const node = document.createElementNS(SVG, tag);
  if (className) node.setAttribute("class", className);
  parent.append(node);
  return node;
}

/**
 * The section's figures in `root`. `compute(kind, classIndex)` resolves to TF.js's "saliency" ({shape, data}) or
 * "gradCam" ({layer, shape, data}) for the image shown; `store` holds the frame; `timings.saliencyMs` gets the time
 * to compute and draw the gradient (and the image), `timings.attentionMs` that and Grad-CAM. `background()` says
 * whether the maps may be computed in idle time while the section is away from the screen (the gradients are
 * cheap where the whole model runs on TF.js's cpu backend). `root` is aria-busy while its maps are not those of the
 * image and class shown. Returns {update()}: call it when the image changed.
 */
export function createAttention(root, { network, store, compute, timings, background = () => false }) {
  const { classes } = network;
  const shape = network.input.shape;
  const [height, width, channels] = shape;
  const lut = greenLut();
  const controls = el("div", "attention-controls", root);
  const label = textEl("label", null, t("attention.class"), controls);
  const select = el("select", null, label);
  select.dataset.testid = "attention-class";
  const predictedOption = el("option", null, select);
  predictedOption.value = "";
  classes.forEach((name, i) => {
    const option = textEl("option", null, name, select);
    option.value = String(i);
  });
  const figures = el("div", "attention-figures", root);
  const figure = (testid, caption, legendTitle) => {
    const box = el("figure", "attention-figure", figures);
    const frame = el("span", "attention-frame", box);
    const canvas = el("canvas", null, frame);
    canvas.width = width;
    canvas.height = height;
    canvas.dataset.testid = testid;
    canvas.style.aspectRatio = `${width} / ${height}`;
    let edges = null; // the image's edges over a map, in its pixels
    if (legendTitle) {
      const svg = svgElement("svg", "attention-edges", frame);
      svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
      svg.setAttribute("preserveAspectRatio", "none");
      svg.setAttribute("aria-hidden", "true");
      edges = svgElement("path", "", svg);
    }
    const legend = legendTitle ? createLegend(legendTitle, lut) : null;
    if (legend) {
      legend.element.dataset.testid = `${testid.replace(/-map$/, "")}-legend`;
      box.append(legend.element);
    }
    const text = textEl("figcaption", null, caption, box);
    return { canvas, text, legend, edges };
  };
  const input = figure("attention-input", t("attention.image"));
  const saliency = figure("saliency-map", t("attention.saliency.initial"), t("attention.legend.saliency"));
  const cam = figure("gradcam-map", "Grad-CAM", t("attention.legend.gradCam")); // a name, in every language
  const hasConv = network.gradCamLayer !== null;
  cam.canvas.closest("figure").hidden = !hasConv; // Grad-CAM weighs a convolution's maps
  const scaleNote = textEl("p", "attention-scale", "", root);
  // printed instead of the maps when they are not those of the image shown (themes.css)
  textEl("p", "attention-print-note", t("attention.print.outdated"), root);
  const status = textEl("p", "attention-status", "", root);
  status.setAttribute("aria-live", "polite");

  let shown = { frame: null, chosen: null }; // what the maps are of
  // TF.js's answers for the frame shown, by kind and class: a draw overtaken by another (for print, or idle) asks once
  let cache = { frame: null, results: new Map() };

  const chosenClass = (frame) => (select.value === "" ? argmax(frame.probabilities) : Number(select.value));
  const outdated = () => {
    const { frame } = store.get();
    return !frame || !frame.live || shown.frame !== frame || shown.chosen !== chosenClass(frame);
  };
  const busy = (on) => root.setAttribute("aria-busy", String(on));
  busy(true);

  function paint(canvas, rgba) {
    canvas.getContext("2d").putImageData(new ImageData(rgba, width, height), 0, 0);
  }

  /** TF.js's `kind` of class `classIndex` for `frame`, computed once per frame. */
  function result(frame, kind, classIndex) {
    if (cache.frame !== frame) cache = { frame, results: new Map() };
    const key = `${kind} ${classIndex}`;
    if (!cache.results.has(key)) {
      const { results } = cache;
      const answer = new Promise((resolve) => resolve(compute(kind, classIndex)));
      answer.catch(() => results.delete(key)); // asked again next time
      results.set(key, answer);
    }
    return cache.results.get(key);
  }

  let drawing = 0; // the render under way: an older one, overtaken by a new image or class, stops drawing

  /** Draw the maps of the image and class shown: near the screen, or anywhere with `anywhere`. */
  async function render(anywhere = false) {
    const token = ++drawing;
    const { frame } = store.get();
    if (!frame || !frame.live) return;
    const predicted = argmax(frame.probabilities);
    predictedOption.textContent = t("attention.class.predicted", { class: classes[predicted] }); // no <bdi> in an option
    if (!outdated()) return;
    busy(true);
    if (!anywhere && !near()) {
      drawAway();
      return;
    }
    const chosen = chosenClass(frame);
    const started = performance.now();
    const pixels = frame.activations.get("input").data;
    const bytes = Uint8Array.from(pixels, (v) => Math.round(v * network.input.pixelDivisor));
    paint(input.canvas, fillImage(new Uint8ClampedArray(height * width * 4), bytes, height, width, channels));
    const outline = edgePath(bytes, shape);
    for (const { edges } of [saliency, cam]) edges.setAttribute("d", outline);
    const gradient = await result(frame, "saliency", chosen);
    if (token !== drawing) return;
    const strength = gradientStrength(gradient);
    const gradientRange = { min: 0, max: largest(strength) };
    paint(saliency.canvas, heatPixels(strength, gradientRange.max, lut));
    saliency.legend.update(gradientRange);
    saliency.text.replaceChildren(tNodes("attention.saliency", { class: classes[chosen] }));
    timings.saliencyMs = performance.now() - started;
    if (hasConv) {
      const map = await result(frame, "gradCam", chosen);
      if (token !== drawing) return;
      // the legend's numbers are the map's own, at the last convolution's size; the picture is that map resized
      const camRange = { min: 0, max: largest(map.data) };
      paint(cam.canvas, heatPixels(resizeBilinear(map.data, map.shape, [height, width]), camRange.max, lut));
      cam.legend.update(camRange);
      const [mapHeight, mapWidth] = map.shape;
      cam.text.replaceChildren(
        tNodes(camRange.max === 0 ? "attention.gradCam.none" : "attention.gradCam", {
          layer: map.layer,
          mapHeight,
          mapWidth,
          height,
          width,
        }),
      );
    }
    scaleNote.replaceChildren(t("attention.scale"), t("article.sentenceSpace"), t("attention.edges"));
    const probability = formatPercent(frame.probabilities[chosen]);
    status.replaceChildren(
      tNodes(chosen === predicted ? "attention.status.predicted" : "attention.status", {
        class: classes[chosen],
        probability,
      }),
    );
    shown = { frame, chosen };
    busy(false);
    timings.attentionMs = performance.now() - started;
  }

  const draw = (anywhere = false) =>
    render(anywhere).catch((error) => {
      status.replaceChildren(tNodes("attention.error", { error: error.message }));
      busy(false); // nothing more is coming
    });

  // Away from the screen, drawn in idle time where that is cheap: a printed page shows what it holds when printing
  // starts, and the gradients take too long to be computed then. Not at once: AWAY_MS after the last new image, as the
  // visitor may be choosing images or scrolling (TF.js's first gradient takes a few hundred milliseconds).
  let timer = null;
  let idle = null;
  function drawAway() {
    if (idle !== null || !background()) return;
    clearTimeout(timer); // from the last image on
    const run = () => {
      idle = null;
      if (outdated()) draw(true);
    };
    timer = setTimeout(() => {
      timer = null;
      if (typeof requestIdleCallback === "function") idle = requestIdleCallback(run, { timeout: 2000 });
      else run();
    }, AWAY_MS);
  }
  onScopeEnd(() => {
    clearTimeout(timer);
    if (idle !== null) cancelIdleCallback(idle);
  });
  // printed now, without them if they are not of this image (the note says why): drawn for a print preview made again
  listen(window, "beforeprint", () => {
    if (outdated()) draw(true);
  });

  select.addEventListener("change", () => draw());
  const near = watchNear(root, () => {
    if (outdated()) draw();
  });
  return { update: () => draw() };
}
