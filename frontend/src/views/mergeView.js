// The view of a layer that joins paths of the network: an addition (a residual block's shortcut meets its main path:
// each input's channel, then their sum, value by value at the position shown) or a concatenation (the channel is one
// channel of one input, unchanged; the channels' origins listed).

import { createMapFigure } from "./mapFigure.js";
import { createSweep } from "./sweep.js";
import { el, textEl, uniqueId } from "../ui/dom.js";
import { setNumber } from "../ui/numberCell.js";
import { prefersReducedMotion } from "../ui/motion.js";
import { viewHeader } from "./header.js";
import { concatenated } from "../network/kinds.js";
import { t, tNodes } from "../ui/i18n.js";

/** The maps the view shows for channel `channel` of merge layer `layer`: [{name, channel}], its inputs, then it. */
export function mergeTerms(layer, channel) {
  if (layer.kind === "add") return layer.inputs.map((name) => ({ name, channel }));
  const from = concatenated(layer, channel);
  return [{ name: from.input, channel: from.channel }];
}

/** The list of where a concatenation's channels come from: "channels 0 to 3: a", ... */
function channelList(layer, parent) {
  const list = el("ul", "merge-channels", parent);
  let first = 0;
  layer.inputs.forEach((source, position) => {
    const last = first + layer.channels[position] - 1;
    textEl("li", "", tNodes("view.concatenate.channels", { first, last, source }), list);
    first = last + 1;
  });
}

function summary(layer, channel) {
  const sources = layer.inputs.join(layer.kind === "add" ? " + " : ", ");
  if (layer.kind === "add") return tNodes("view.add.summary", { layer: layer.name, channel, sources });
  const from = concatenated(layer, channel);
  return tNodes("view.concatenate.summary", {
    layer: layer.name,
    channel,
    sources,
    source: from.input,
    sourceChannel: from.channel,
  });
}

/** The view of channel `params.neuron` of an add or concatenate layer `params.layer` (see host.js). */
export function create(context, params) {
  const layer = context.layer(params.layer);
  const { colors, format } = context;
  const neuron = params.neuron;
  const [h, w, channels] = layer.shape;
  const terms = mergeTerms(layer, neuron);

  const element = el("section", "vw vw-pair vw-merge");
  viewHeader(
    uniqueId("vw-title"),
    tNodes("view.layerChannel", { layer: layer.name, channel: neuron }),
    summary(layer, neuron),
    element,
  );
  if (layer.kind === "concatenate") channelList(layer, element);
  const toolbar = el("div", "vw-toolbar", element);
  const body = el("div", "pair-body", element);
  const mapOf = ({ name, channel }) =>
    createMapFigure({
      height: h,
      width: w,
      size: `calc(var(--pair-map) * ${w / Math.max(h, w)})`,
      caption: tNodes("view.layerChannel", { layer: name, channel }),
      label: t("view.merge.map.label", { layer: name, channel }),
      shows: { map: name, channel },
    });
  const sign = (text, label) => textEl("span", "pair-equals", text, body).setAttribute("aria-label", t(label));
  const maps = terms.map((term, i) => {
    if (i) sign("+", "view.op.plus");
    const map = mapOf(term);
    body.appendChild(map.element);
    return { ...term, map };
  });
  sign("=", "view.op.equals");
  const result = mapOf({ name: layer.name, channel: neuron });
  body.appendChild(result.element);
  result.element.tabIndex = 0;
  result.element.dataset.autofocus = "";

  // the numbers at the position shown: a + b = y
  const call = el("p", "pair-call merge-call", element);
  const output = (testid) => {
    const node = el("output", "pair-number", null);
    node.dataset.testid = testid;
    return node;
  };
  const cells = terms.map(() => output("merge-term"));
  const sum = output("merge-output");
  cells.forEach((cell, i) => call.append(...(i ? [" + ", cell] : [cell])));
  call.append(" = ", sum);

  let values = null; // the activations drawn
  function showPosition(pos, animated) {
    const at = (name, channel) => {
      const tensor = values.get(name);
      return tensor.data[(pos[0] * w + pos[1]) * tensor.shape[2] + channel];
    };
    maps.forEach(({ name, channel, map }, i) => {
      setNumber(cells[i], at(name, channel), format);
      map.showWindow(pos[0], pos[1], 1, 1);
    });
    setNumber(sum, values.get(layer.name).data[(pos[0] * w + pos[1]) * channels + neuron], format);
    result.showWindow(pos[0], pos[1], 1, 1);
    call.setAttribute("aria-live", animated ? "off" : "polite");
    context.report({ pos: [...pos] });
  }

  const sweep = createSweep({
    dims: [h, w],
    pos: params.pos,
    play: !params.pos && !prefersReducedMotion(),
    onMove: (pos, animated) => values && showPosition(pos, animated),
  });
  toolbar.appendChild(sweep.element);
  for (const { map } of maps) map.onPoint(sweep.moveTo);
  result.onPoint(sweep.moveTo);

  return {
    element,
    update() {
      values = context.activations();
      for (const { name, channel, map } of [...maps, { name: layer.name, channel: neuron, map: result }]) {
        const tensor = values.get(name);
        map.draw(tensor, channel, colors.mapRange(name, tensor, channel), colors.lut(name));
      }
      showPosition(sweep.position(), sweep.playing());
    },
    setPosition(pos) {
      sweep.moveTo(pos);
    },
    onKey(event) {
      return sweep.onKey(event);
    },
    destroy() {
      sweep.destroy();
    },
  };
}
