// The prediction line above the overview: the top class, how sure the network is, and whether it is right.

import { argmax } from "../network/predictions.js";
import { fill } from "../ui/text.js";

/** Keep `answer` (the top class's element) and `detail` in step with frames of `network` (network.js). */
export function createPredictionLine(answer, detail, network) {
  return {
    /** Show `frame` ({probabilities, label, showNumbers}, see state/store.js). */
    update({ probabilities, label, showNumbers }) {
      const top = argmax(probabilities);
      if (answer) answer.textContent = network.classes[top];
      if (!detail) return;
      const parts = [];
      if (showNumbers) parts.push(`${(probabilities[top] * 100).toFixed(1)}% sure`);
      if (label !== null && network.classes[label] !== undefined) {
        parts.push(label === top ? "correct" : "true class: {truth}");
      }
      detail.replaceChildren(parts.length ? fill(`(${parts.join(", ")})`, { truth: network.classes[label] }) : "");
    },
  };
}
