// What if, in the overview: the switch of a channel, on the neuron the pointer is over (a conv, activation or pooling
// layer's), and the key S on a neuron that has focus. A switched-off channel is drawn faded and struck through.

import { iconButton } from "../ui/dom.js";
import { t } from "../ui/i18n.js";
import { listen } from "../ui/scope.js";

const NEURON = ".neuron[data-layer][data-neuron]";

/**
 * The switch over `stage` (the overview's): for a neuron whose layer `silenceable(layer)` says can be switched off,
 * `isOff(layer, neuron)` tells whether it is, and `toggle(layer, neuron)` switches it. Returns mark(offs): draw the
 * neurons `offs` (Map layer -> Set of channels) as switched off, every other as on.
 */
export function createSilenceSwitch(stage, { silenceable, isOff, toggle }) {
  const button = iconButton("power", "", stage);
  button.classList.add("ov-silence");
  button.dataset.testid = "silence";
  button.hidden = true;
  let target = null;
  const place = (node) => {
    const { layer, neuron } = node.dataset;
    target = node;
    Object.assign(button.dataset, { forLayer: layer, forNeuron: neuron });
    const off = isOff(layer, Number(neuron));
    const label = t(off ? "view.silence.on" : "view.silence.off", { layer, neuron });
    button.setAttribute("aria-label", label);
    button.title = label;
    button.setAttribute("aria-pressed", String(off));
    button.style.left = `${node.offsetLeft + node.offsetWidth - 9}px`;
    button.style.top = `${node.offsetTop - 9}px`;
    button.hidden = false;
  };
  stage.addEventListener("pointerover", (event) => {
    const node = event.target instanceof Element ? event.target.closest(NEURON) : null;
    if (node && node !== target && silenceable(node.dataset.layer)) place(node);
  });
  stage.addEventListener("pointerleave", () => {
    button.hidden = true;
    target = null;
  });
  button.addEventListener("click", (event) => {
    event.stopPropagation(); // not a click on the neuron under it
    if (!target) return;
    toggle(target.dataset.layer, Number(target.dataset.neuron));
    place(target);
  });
  listen(stage, "keydown", (event) => {
    if (event.key.toLowerCase() !== "s" || event.ctrlKey || event.metaKey || event.altKey) return;
    const node = event.target instanceof Element ? event.target.closest(NEURON) : null;
    if (!node || !silenceable(node.dataset.layer)) return;
    event.preventDefault();
    toggle(node.dataset.layer, Number(node.dataset.neuron));
  });
  return (offs) => {
    for (const node of stage.querySelectorAll(`${NEURON}.is-silenced`)) node.classList.remove("is-silenced");
    for (const [layer, channels] of offs) {
      for (const channel of channels) {
        stage
          .querySelector(`[data-layer="${CSS.escape(layer)}"][data-neuron="${channel}"]`)
          ?.classList.add("is-silenced");
      }
    }
    if (target) place(target);
  };
}
