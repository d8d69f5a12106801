// The prediction line above the overview: the top class, how sure the network is, and whether it is right.

import { argmax } from "../network/predictions.js";
import { tNodes } from "../ui/i18n.js";

/** Keep `answer` (the top class's element) and `detail` in step with frames of `network` (network.js). */
export function createPredictionLine(answer, detail, network) {
  return {
    /** Show `frame` ({probabilities, label, showNumbers}, see state/store.js). */
    update({ probabilities, label, showNumbers }) {
      const top = argmax(probabilities);
      if (answer) answer.textContent = network.classes[top];
      if (!detail) return;
      const known = label !== null && network.classes[label] !== undefined;
      // prediction.sure, prediction.sure.correct, prediction.sure.wrong, prediction.correct, prediction.wrong
      const key = showNumbers
        ? `prediction.sure${known ? (label === top ? ".correct" : ".wrong") : ""}`
        : known && (label === top ? "prediction.correct" : "prediction.wrong");
      const values = { percent: (probabilities[top] * 100).toFixed(1), truth: network.classes[label] };
      detail.replaceChildren(key ? tNodes(key, values) : "");
    },
  };
}
