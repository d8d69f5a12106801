// The view of a dropout layer: it only acts while training, so when predicting its output is its input.

import { createMapFigure } from "./mapFigure.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { viewHeader } from "./header.js";
import { t, tNodes } from "../ui/i18n.js";

/** The dropout view of `params.neuron` of dropout layer `params.layer` (see host.js for the interface). */
export function create(context, params) {
  const layer = context.layer(params.layer);
  const { colors } = context;
  const source = context.layer(layer.input);
  const neuron = params.neuron;
  const spatial = layer.shape.length === 3;
  const percent = `${Math.round(layer.rate * 1000) / 10}%`;

  const element = el("section", "vw vw-pair vw-dropout");
  viewHeader(
    uniqueId("vw-title"),
    spatial
      ? tNodes("view.layerChannel", { layer: layer.name, channel: neuron })
      : tNodes("view.layerUnit", { layer: layer.name, unit: neuron }),
    tNodes("view.dropout.summary", { percent, source: source.name }),
    element,
  );
  const maps = [];
  if (spatial) {
    const body = el("div", "pair-body", element);
    const [h, w] = layer.shape;
    for (const name of [source.name, layer.name]) {
      if (maps.length) textEl("span", "pair-equals", "=", body).setAttribute("aria-label", t("view.op.equals"));
      const map = createMapFigure({
        height: h,
        width: w,
        size: `calc(var(--pair-map) * ${w / Math.max(h, w)})`,
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
