// What a batch normalisation view adds under its formula: the channel's four numbers, and the layer folded into the
// convolution it reads, which is what an inference engine does with it.

import { el, textEl } from "../ui/dom.js";
import { setNumber } from "../ui/numberCell.js";
import { t, tNodes } from "../ui/i18n.js";

/** A line "<symbol> = <number>" in `parent`, its number an output with `testid` and its unrounded value. */
function fact(parent, symbol, words, value, testid, format) {
  const line = el("li", "bn-fact", parent);
  textEl("span", "bn-symbol", `${symbol} = `, line);
  const number = el("output", "pair-number", line);
  number.dataset.testid = testid;
  setNumber(number, value, format);
  textEl("span", "bn-words", ` ${words}`, line);
}

/**
 * The facts of channel `channel` of batch normalisation `layer` in `parent`: `numbers` (elementwise.js
 * batchnormFormula), and, when it reads convolution `source` directly, the fold into it with that convolution's
 * bias for the channel (`convBias`, 0 without one).
 */
export function batchnormFacts(parent, { layer, source, channel, numbers, convBias, format }) {
  const list = el("ul", "bn-facts", parent);
  fact(list, "μ", t("view.batchnorm.mean"), numbers.mean, "bn-mean", format);
  fact(list, "σ²", t("view.batchnorm.variance"), numbers.variance, "bn-variance", format);
  fact(list, "γ", t("view.batchnorm.gamma"), numbers.gamma, "bn-gamma", format);
  fact(list, "β", t("view.batchnorm.beta"), numbers.beta, "bn-beta", format);
  if (source.kind !== "conv") return;
  const fold = el("details", "bn-fold", parent);
  textEl("summary", "", t("view.batchnorm.fold", { conv: source.name }), fold);
  const number = (value, testid) => {
    const node = el("output", "pair-number", null);
    node.dataset.testid = testid;
    setNumber(node, value, format);
    return node;
  };
  const folded = convBias * numbers.scale + numbers.shift;
  el("p", "", fold).append(
    tNodes("view.batchnorm.folded", {
      layer: layer.name,
      conv: source.name,
      channel,
      scale: number(numbers.scale, "bn-fold-scale"),
      shift: number(numbers.shift, "bn-fold-shift"),
      bias: number(convBias, "bn-conv-bias"),
      folded: number(folded, "bn-fold-bias"),
    }),
  );
}
