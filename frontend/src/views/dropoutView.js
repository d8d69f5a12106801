// The view of a dropout layer: it only acts while training, so when predicting its output is its input.

import { createMapFigure } from "./mapFigure.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { viewHeader } from "./header.js";
import { fill } from "../ui/text.js";

/** The dropout view of `params.neuron` of dropout layer `params.layer` (see host.js for the interface). */
export function create(context, params) {
  const layer = context.layer(params.layer);
  if (layer.kind !== "dropout") throw new Error(`${params.layer} is not a dropout layer`);
  const { colors } = context;
  const source = context.layer(layer.input);
  const neuron = params.neuron;
  const spatial = layer.shape.length === 3;
  const what = spatial ? `channel ${neuron}` : `unit ${neuron}`;
  const percent = `${Math.round(layer.rate * 1000) / 10}%`;

  const element = el("section", "vw vw-pair vw-dropout");
  viewHeader(
    uniqueId("vw-title"),
    fill(`{layer} · ${what}`, { layer: layer.name }),
    fill(
      `While the model trains, dropout sets a random ${percent} of {source}'s values to 0 (and scales the rest up) so that no neuron can rely on any single input. When the model predicts, as here, dropout is inactive: its output equals its input.`,
      { source: source.name },
    ),
    element,
  );
  const maps = [];
  if (spatial) {
    const body = el("div", "pair-body", element);
    const [h, w] = layer.shape;
    for (const name of [source.name, layer.name]) {
      if (maps.length) textEl("span", "pair-equals", "=", body).setAttribute("aria-label", "equals");
      const map = createMapFigure({
        height: h,
        width: w,
        size: `calc(var(--pair-map) * ${w / Math.max(h, w)})`,
        caption: fill(`{name} · ${what}`, { name }),
        label: `${what} of ${name}`,
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
