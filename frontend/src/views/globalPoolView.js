// The view of global pooling: a whole channel map becomes one number, its mean (GlobalAveragePooling2D) or its
// maximum (GlobalMaxPooling2D, whose position is marked on the map).

import { createMapFigure } from "./mapFigure.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { setNumber } from "../ui/numberCell.js";
import { viewHeader } from "./header.js";
import { t, tNodes } from "../ui/i18n.js";

/** The position [row, col] and value of the largest value of `channel` in `tensor` ({shape: [h, w, c], data}). */
export function largest(tensor, channel) {
  const [h, w, channels] = tensor.shape;
  let best = { row: 0, col: 0, value: -Infinity };
  for (let p = 0; p < h * w; p++) {
    const value = tensor.data[p * channels + channel];
    if (value > best.value) best = { row: Math.floor(p / w), col: p % w, value };
  }
  return best;
}

/** The global pooling view of `params.neuron` of layer `params.layer` (see host.js for the interface). */
export function create(context, params) {
  const layer = context.layer(params.layer);
  const { colors, format } = context;
  const source = context.layer(layer.input);
  const neuron = params.neuron;
  const [h, w] = source.shape;
  const max = layer.op === "max";

  const element = el("section", "vw vw-pair vw-globalpool");
  viewHeader(
    uniqueId("vw-title"),
    tNodes("view.layerUnit", { layer: layer.name, unit: neuron }),
    tNodes(max ? "view.globalpool.summary.max" : "view.globalpool.summary.average", {
      source: source.name,
      channel: neuron,
      height: h,
      width: w,
    }),
    element,
  );
  const body = el("div", "pair-body", element);
  const map = createMapFigure({
    height: h,
    width: w,
    size: `calc(var(--pair-map) * ${w / Math.max(h, w)})`,
    caption: tNodes("view.layerChannel", { layer: source.name, channel: neuron }),
    label: t("view.dropout.map.label", { layer: source.name, channel: neuron }),
    shows: { map: source.name, channel: neuron },
  });
  body.appendChild(map.element);
  const middle = el("div", "pair-formula", body);
  const call = el("p", "pair-call", middle);
  call.tabIndex = 0;
  call.dataset.autofocus = "";
  const output = (testid) => {
    const node = el("output", "pair-number", null);
    node.dataset.testid = testid;
    return node;
  };
  const sum = output("globalpool-sum");
  const result = output("globalpool-output");
  const count = h * w;
  call.append(
    max
      ? tNodes("view.globalpool.call.max", { count, result })
      : tNodes("view.globalpool.call.average", { sum, count, result }),
  );
  const where = max ? textEl("p", "pair-definition", "", middle) : null;

  return {
    element,
    update() {
      const activations = context.activations();
      const maps = activations.get(source.name);
      map.draw(maps, neuron, colors.mapRange(source.name, maps, neuron), colors.lut(source.name));
      const value = activations.get(layer.name).data[neuron];
      setNumber(result, value, format);
      if (max) {
        const best = largest(maps, neuron);
        map.showWindow(best.row, best.col, 1, 1);
        where.dataset.testid = "globalpool-position";
        Object.assign(where.dataset, { row: best.row, col: best.col });
        where.textContent = t("view.globalpool.where", { row: best.row, col: best.col });
      } else {
        let total = 0;
        for (let p = 0; p < count; p++) total += maps.data[p * maps.shape[2] + neuron];
        setNumber(sum, total, format);
      }
    },
    destroy() {},
  };
}
