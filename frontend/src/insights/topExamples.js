// Each channel's top examples: the test images whose largest value anywhere on the channel's map is largest,
// with the input pixels that value sees outlined. In the neuron's view (a part the view host adds) and, smaller,
// in the overview's tooltip.

import { receptiveField } from "../network/receptiveField.js";
import { el, textEl } from "../ui/dom.js";
import { formatNumber } from "../ui/format.js";
import { t } from "../ui/i18n.js";
import { imageFrame, testImageButton } from "./thumbnails.js";

/**
 * The view part of `insights` (decodeInsights) for `network`: (params {layer, neuron}) -> a section listing the
 * neuron's top examples, or null when there are none. `onPick(image)` loads one.
 */
export function topExamplesPart(insights, network, onPick) {
  const { classes } = network;
  const shape = network.input.shape;
  return ({ layer, neuron }) => {
    const examples = insights.examples(layer, neuron);
    if (!examples) return null;
    const section = el("section", "top-examples");
    section.dataset.testid = "top-examples";
    if (!examples.length) {
      textEl("h3", "top-examples-title", t("topExamples.none"), section);
      textEl("p", "top-examples-note", t("topExamples.none.why"), section);
      return section;
    }
    textEl("h3", "top-examples-title", t("topExamples.title", { count: examples.length }), section);
    textEl("p", "top-examples-note", t("topExamples.note"), section);
    const strip = el("div", "test-image-strip", section);
    for (const { ref, value, row, col } of examples) {
      const image = insights.pool.image(ref);
      const button = testImageButton(strip, image, {
        shape,
        classes,
        onPick,
        caption: formatNumber(value),
        box: receptiveField(network, layer, [row, col]),
      });
      button.dataset.value = String(value);
      const name = button.getAttribute("aria-label");
      button.setAttribute("aria-label", t("topExamples.label", { image: name, value: formatNumber(value) }));
    }
    return section;
  };
}

/** The overview tooltip's strip for neuron `index` of layer `name`: its first `count` top examples, or null. */
export function tooltipExamples(insights, network, name, index, count = 4) {
  const examples = insights.examples(name, index);
  if (!examples?.length) return null;
  const strip = el("span", "tip-examples");
  for (const { ref, row, col } of examples.slice(0, count)) {
    imageFrame(strip, insights.pool.image(ref).pixels, network.input.shape, receptiveField(network, name, [row, col]));
  }
  return strip;
}
