// What the model looks at, for the image shown: the gradient of a class's logit with respect to the input, and
// Grad-CAM on the last convolution, each drawn on a green scale from 0 to its own largest value, with that range
// written under it and the image's edges traced over it. Per map, and said so: the values of a class the model rules
// out are often larger than those of the class it predicts (for the shipped model's first test image, Grad-CAM of
// Sandal peaks 48 times higher than that of Ankle boot, at 100%), so a scale shared with the predicted class would
// saturate them, and one shared by all classes would wash the predicted class out; the legends' numbers and the class's
// probability, written beside the maps, compare classes instead. Computed by TF.js when the image changes and the
// section is near the screen, and, where that is cheap, in idle time otherwise, so that a printed page shows them too.
// This module builds the figures and wires the events; when and what to draw is attentionPlan.js's, the maps'
// arithmetic attentionMath.js's.

import { el, textEl } from "../ui/dom.js";
import { greenLut } from "../ui/colors.js";
import { fillImage } from "../ui/heatmap.js";
import { t, tNodes } from "../ui/i18n.js";
import { createLegend } from "../ui/legend.js";
import { watchNear, whilePrinting } from "../ui/nearScreen.js";
import { onScopeEnd } from "../ui/scope.js";
import { argmax } from "../network/predictions.js";
import { edgePath, gradientStrength, heatPixels, mapRange, resizeBilinear } from "./attentionMath.js";
import {
  answersByFrame,
  chosenClass,
  gradCamCaption,
  inputBytes,
  isOutdated,
  predictedLabel,
  redrawStep,
  saliencyCaption,
  statusLine,
} from "./attentionPlan.js";

const SVG = "http://www.w3.org/2000/svg";
const AWAY_MS = 1500; // how long the image shown stays before its maps are drawn away from the screen

/** A new SVG element `tag` of class `className` in `parent`. */
function svgElement(tag, className, parent) {
  const node = document.createElementNS(SVG, tag);
  if (className) node.setAttribute("class", className);
  parent.append(node);
  return node;
}

/** The class select in `root`: {select, predictedOption (the first, which follows the prediction)}. */
function buildControls(root, classes) {
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
  return { select, predictedOption };
}

/**
 * A figure in `parent` with a canvas of `width` x `height` (data-testid `testid`) and `caption`; a map's (with
 * `legendTitle`) has the image's edges over it and its legend on `lut` under it. Returns {canvas, text, legend, edges}.
 */
function figure(parent, [height, width], lut, testid, caption, legendTitle) {
  const box = el("figure", "attention-figure", parent);
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
}

/**
 * The figures in `root` (the image, the gradient, Grad-CAM where the network has a convolution) and the lines under
 * them: {input, saliency, cam, scaleNote, status}.
 */
function buildFigures(root, network, lut) {
  const figures = el("div", "attention-figures", root);
  const make = (...args) => figure(figures, network.input.shape, lut, ...args);
  const input = make("attention-input", t("attention.image"));
  const saliency = make("saliency-map", t("attention.saliency.initial"), t("attention.legend.saliency"));
  const cam = make("gradcam-map", "Grad-CAM", t("attention.legend.gradCam")); // a name, in every language
  cam.canvas.closest("figure").hidden = network.gradCamLayer === null; // Grad-CAM weighs a convolution's maps
  const scaleNote = textEl("p", "attention-scale", "", root);
  // printed instead of the maps when they are not those of the image shown (themes.css)
  textEl("p", "attention-print-note", t("attention.print.outdated"), root);
  const status = textEl("p", "attention-status", "", root);
  status.setAttribute("aria-live", "polite");
  return { input, saliency, cam, scaleNote, status };
}

/** Put RGBA `rgba` (`width` x `height`) on `canvas`. */
function paint(canvas, rgba, [height, width]) {
  canvas.getContext("2d").putImageData(new ImageData(rgba, width, height), 0, 0);
}

/** Draw `frame`'s input image, and trace its edges over the maps. */
function drawInput(ui, frame, network) {
  const shape = network.input.shape;
  const [height, width, channels] = shape;
  const bytes = inputBytes(frame.activations.get("input").data, network.input.pixelDivisor);
  paint(ui.input.canvas, fillImage(new Uint8ClampedArray(height * width * 4), bytes, height, width, channels), shape);
  const outline = edgePath(bytes, shape);
  for (const { edges } of [ui.saliency, ui.cam]) edges.setAttribute("d", outline);
}

/** Draw the input `gradient` ({shape, data}) of class `chosen` on `lut`, its legend and caption. */
function drawSaliency({ saliency }, gradient, lut, classes, chosen, shape) {
  const strength = gradientStrength(gradient);
  const range = mapRange(strength);
  paint(saliency.canvas, heatPixels(strength, range.max, lut), shape);
  saliency.legend.update(range);
  const { key, values } = saliencyCaption(classes, chosen);
  saliency.text.replaceChildren(tNodes(key, values));
}

/** Draw Grad-CAM's `map` ({layer, shape, data}) on `lut` at the image's `shape`, its legend and caption. */
function drawGradCam({ cam }, map, lut, shape) {
  // the legend's numbers are the map's own, at the last convolution's size; the picture is that map resized
  const range = mapRange(map.data);
  paint(cam.canvas, heatPixels(resizeBilinear(map.data, map.shape, shape.slice(0, 2)), range.max, lut), shape);
  cam.legend.update(range);
  const { key, values } = gradCamCaption(map, range.max, shape);
  cam.text.replaceChildren(tNodes(key, values));
}

/** Write how the maps are scaled, and the class `chosen` with its probability in `frame`. */
function writeStatus({ scaleNote, status }, frame, classes, chosen) {
  scaleNote.replaceChildren(t("attention.scale"), t("article.sentenceSpace"), t("attention.edges"));
  const { key, values } = statusLine(classes, chosen, frame.probabilities);
  status.replaceChildren(tNodes(key, values));
  if (frame.edited) status.append(t("article.sentenceSpace"), t("attention.edited"));
}

/**
 * Call `draw()` away from the screen where `background()` allows, in idle time: a printed page shows what it holds
 * when printing starts, and the gradients take too long to be computed then. Not at once: AWAY_MS after the last
 * call, as the visitor may be choosing images or scrolling (TF.js's first gradient takes a few hundred
 * milliseconds). Returns the function that asks for it.
 */
function drawLater(background, draw) {
  let timer = null;
  let idle = null;
  onScopeEnd(() => {
    clearTimeout(timer);
    if (idle !== null) cancelIdleCallback(idle);
  });
  return () => {
    if (idle !== null || !background()) return;
    clearTimeout(timer); // from the last image on
    const run = () => {
      idle = null;
      draw();
    };
    timer = setTimeout(() => {
      timer = null;
      if (typeof requestIdleCallback === "function") idle = requestIdleCallback(run, { timeout: 2000 });
      else run();
    }, AWAY_MS);
  };
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
  const lut = greenLut();
  const { select, predictedOption } = buildControls(root, classes);
  const ui = buildFigures(root, network, lut);
  const hasConv = network.gradCamLayer !== null;

  let shown = { frame: null, chosen: null }; // what the maps are of
  const result = answersByFrame(compute); // TF.js's answers for the frame shown, by kind and class
  const outdated = () => isOutdated(store.get().frame, shown, select.value);
  const busy = (on) => root.setAttribute("aria-busy", String(on));
  busy(true);
  let drawing = 0; // the render under way: an older one, overtaken by a new image or class, stops drawing

  /** Draw the maps of the image and class shown: near the screen, or anywhere with `anywhere`. */
  async function render(anywhere = false) {
    const token = ++drawing;
    const { frame } = store.get();
    const step = redrawStep(frame, shown, select.value, anywhere, near);
    if (step === "none") return;
    predictedOption.textContent = predictedLabel(classes, argmax(frame.probabilities));
    if (step === "drawn") return;
    busy(true);
    if (step === "away") {
      drawAway();
      return;
    }
    const chosen = chosenClass(select.value, frame.probabilities);
    const started = performance.now();
    drawInput(ui, frame, network);
    const gradient = await result(frame, "saliency", chosen);
    if (token !== drawing) return;
    drawSaliency(ui, gradient, lut, classes, chosen, shape);
    timings.saliencyMs = performance.now() - started;
    if (hasConv) {
      const map = await result(frame, "gradCam", chosen);
      if (token !== drawing) return;
      drawGradCam(ui, map, lut, shape);
    }
    writeStatus(ui, frame, classes, chosen);
    shown = { frame, chosen };
    busy(false);
    timings.attentionMs = performance.now() - started;
  }

  const draw = (anywhere = false) =>
    render(anywhere).catch((error) => {
      ui.status.replaceChildren(tNodes("attention.error", { error: error.message }));
      busy(false); // nothing more is coming
    });
  const drawAway = drawLater(background, () => {
    if (outdated()) draw(true);
  });
  // printed now, without them if they are not of this image (the note says why): drawn for a print preview made again
  whilePrinting(() => {
    if (outdated()) draw(true);
  });

  select.addEventListener("change", () => draw());
  const near = watchNear(root, () => {
    if (outdated()) draw();
  });
  return { update: () => draw() };
}
