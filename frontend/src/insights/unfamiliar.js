// "This does not look like anything it was trained on": the note under the prediction line when the image shown is
// far from the training images as the network sees them (network/familiarity.js, with the recipe the insights
// carry). An image of the visitor's own loads the insights for it; a sample is judged once they are loaded anyway.

import { judgeFamiliarity } from "../network/familiarity.js";
import { t } from "../ui/i18n.js";
import { subscribe } from "../ui/scope.js";

/**
 * Keep `note` (hidden unless the image is unfamiliar) in step with the store's frames. `insights()` loads the
 * insights (a Promise of them or null), `loaded()` is that Promise once something asked for them, else null;
 * `original()` the trained network's activations of the image shown (session.js), which the judgement uses while
 * the network is edited. Returns {judge()}: a Promise of {score, threshold, unfamiliar} for the image shown, or of
 * null for a site without training images.
 */
export function createUnfamiliarNote(note, { store, insights, loaded, original }) {
  const judgement = (decoded, frame) => {
    const recipe = decoded?.familiarity;
    if (!recipe || !frame) return null;
    if (store.get().trained) return null; // the recipe measures the shipped network, not one trained in the page
    return judgeFamiliarity(recipe, frame.edited ? original() : frame.activations);
  };
  const show = (judged, decoded) => {
    note.hidden = !judged?.unfamiliar;
    if (!judged?.unfamiliar) return;
    const { rate, heldOut } = decoded.familiarity;
    const percent = Math.max(1, Math.round(rate * 100));
    note.textContent = t(heldOut === "test" ? "unfamiliar.note" : "unfamiliar.note.train", { percent });
    note.dataset.score = String(judged.score);
    note.dataset.threshold = String(judged.threshold);
  };
  const judge = (frame = store.get().frame) =>
    insights().then((decoded) => {
      if (store.get().frame !== frame) return judge(); // another image came meanwhile
      const judged = judgement(decoded, frame);
      show(judged, decoded);
      return judged;
    });
  const own = (state) => state.sample === null && state.testIndex === null;
  const follow = (state) => {
    if (!state.frame) return;
    if (own(state) || loaded()) judge(state.frame).catch(() => {});
    else note.hidden = true;
  };
  follow(store.get());
  subscribe(store, (state, previous) => state.frame !== previous.frame && follow(state));
  return { judge };
}
