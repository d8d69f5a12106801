// What the model looks at, for the image shown: the gradient of a class's logit with respect to the input, and
// Grad-CAM on the last convolution, each laid over the image; computed by TF.js when the image changes and the
// section is near the screen.

import { el, textEl } from "../ui/dom.js";
import { t, tNodes } from "../ui/i18n.js";
import { watchNear } from "../ui/nearScreen.js";
import { argmax } from "../network/predictions.js";
import { gradientStrength, overlay, relativeToMax, resizeBilinear } from "./attentionMath.js";

const HOT = [255, 64, 0];

/**
 * The section's figures in `root`. `compute(kind, classIndex)` resolves to TF.js's "saliency" ({shape, data}) or
 * "gradCam" ({layer, shape, data}) for the image shown; `store` holds the frame; `timings.saliencyMs` gets the time
 * to compute and draw the gradient (and the image), `timings.attentionMs` that and Grad-CAM. Returns {update()}: call it when the image changed.
 */
export function createAttention(root, { network, store, compute, timings }) {
  const { classes } = network;
  const shape = network.input.shape;
  const [height, width] = shape;
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
  const figure = (testid, caption) => {
    const box = el("figure", "attention-figure", figures);
    const canvas = el("canvas", null, box);
    canvas.width = width;
    canvas.height = height;
    canvas.dataset.testid = testid;
    canvas.style.aspectRatio = `${width} / ${height}`;
    const text = textEl("figcaption", null, caption, box);
    return { canvas, text };
  };
  const input = figure("attention-input", t("attention.image"));
  const saliency = figure("saliency-map", t("attention.saliency.initial"));
  const cam = figure("gradcam-map", "Grad-CAM"); // a name, in every language
  const hasConv = network.gradCamLayer !== null;
  cam.canvas.parentElement.hidden = !hasConv; // Grad-CAM weighs a convolution's maps
  const status = textEl("p", "attention-status", "", root);
  status.setAttribute("aria-live", "polite");

  let stale = true;

  function paint(canvas, rgba) {
    canvas.getContext("2d").putImageData(new ImageData(rgba, width, height), 0, 0);
  }

  let drawing = 0; // the render under way: an older one, overtaken by a new image or class, stops drawing

  async function render() {
    const token = ++drawing;
    const { frame } = store.get();
    if (!frame || !frame.live) return;
    if (!near()) {
      stale = true;
      return;
    }
    stale = false;
    const started = performance.now();
    const predicted = argmax(frame.probabilities);
    const chosen = select.value === "" ? predicted : Number(select.value);
    predictedOption.textContent = t("attention.class.predicted", { class: classes[predicted] }); // no <bdi> in an option
    const pixels = frame.activations.get("input").data;
    const bytes = Uint8Array.from(pixels, (v) => Math.round(v * network.input.pixelDivisor));
    const plain = new Float32Array(height * width);
    paint(input.canvas, overlay(bytes, shape, plain, HOT));
    const gradient = await compute("saliency", chosen);
    if (token !== drawing) return;
    paint(saliency.canvas, overlay(bytes, shape, relativeToMax(gradientStrength(gradient)), HOT));
    timings.saliencyMs = performance.now() - started;
    if (hasConv) {
      const map = await compute("gradCam", chosen);
      if (token !== drawing) return;
      const strength = relativeToMax(resizeBilinear(map.data, map.shape, [height, width]));
      paint(cam.canvas, overlay(bytes, shape, strength, HOT));
      const none = strength.every((v) => v === 0);
      const [mapHeight, mapWidth] = map.shape;
      cam.text.replaceChildren(
        tNodes(none ? "attention.gradCam.none" : "attention.gradCam", {
          layer: map.layer,
          mapHeight,
          mapWidth,
          height,
          width,
        }),
      );
    }
    saliency.text.replaceChildren(tNodes("attention.saliency", { class: classes[chosen] }));
    status.replaceChildren(
      tNodes(chosen === predicted ? "attention.status.predicted" : "attention.status", { class: classes[chosen] }),
    );
    timings.attentionMs = performance.now() - started;
  }

  const draw = () =>
    render().catch((error) => status.replaceChildren(tNodes("attention.error", { error: error.message })));
  select.addEventListener("change", draw);
  const near = watchNear(root, () => {
    if (stale) draw();
  });
  return { update: draw };
}
