// The view of a layer that passes its input through when the model predicts (dropout, noise, augmentation: they act
// only while training), and of zero padding, which puts a border of zeros around it: the map beside the map it came
// from.

import { createMapFigure } from "./mapFigure.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { viewHeader } from "./header.js";
import { t, tNodes } from "../ui/i18n.js";

/** The view's summary of what `layer` does to `source`. */
function summary(layer, source) {
  if (layer.kind === "padding") {
    const [[top, bottom], [left, right]] = layer.padding;
    return tNodes("view.padding.summary", { source: source.name, top, bottom, left, right });
  }
  if (layer.layer_class) {
    return tNodes("view.passThrough.summary", { source: source.name, layerClass: layer.layer_class });
  }
  const percent = `${Math.round(layer.rate * 1000) / 10}%`;
  return tNodes("view.dropout.summary", { percent, source: source.name });
}

/** The view of `params.neuron` of a dropout, pass-through or padding layer `params.layer` (see host.js). */
export function create(context, params) {
  const layer = context.layer(params.layer);
  const { colors } = context;
  const source = context.layer(layer.input);
  const neuron = params.neuron;
  const spatial = layer.shape.length === 3;

  const element = el("section", "vw vw-pair vw-dropout");
  viewHeader(
    uniqueId("vw-title"),
    spatial
      ? tNodes("view.layerChannel", { layer: layer.name, channel: neuron })
      : tNodes("view.layerUnit", { layer: layer.name, unit: neuron }),
    summary(layer, source),
    element,
  );
  const maps = [];
  if (spatial) {
    const body = el("div", "pair-body", element);
    const padding = layer.kind === "padding";
    const largest = Math.max(...layer.shape.slice(0, 2));
    for (const { name, shape } of [source, layer]) {
      if (maps.length) {
        const sign = textEl("span", "pair-equals", padding ? "→" : "=", body);
        sign.setAttribute("aria-label", t(padding ? "view.op.becomes" : "view.op.equals"));
      }
      const [h, w] = shape;
      const map = createMapFigure({
        height: h,
        width: w,
        size: `calc(var(--pair-map) * ${w / largest})`,
        caption: tNodes("view.layerChannel", { layer: name, channel: neuron }),
        label: t("view.dropout.map.label", { layer: name, channel: neuron }),
        shows: { map: name, channel: neuron },
      });
      body.appendChild(map.element);
      maps.push({ name, map });
    }
  }

  return {
    element,
    update() {
      const activations = context.activations();
      for (const { name, map } of maps) {
        const tensor = activations.get(name);
        map.draw(tensor, neuron, colors.mapRange(name, tensor, neuron), colors.lut(name));
      }
    },
    destroy() {},
  };
}
