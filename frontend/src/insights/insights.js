// The part of the page that answers "what did the network learn, and where does it go wrong?": what the model looks
// at for the image shown (always), and, when the site was built with a test set, the training story, the confusion
// matrix and each channel's top examples (data/insights.js, loaded when the article's sections that show them are
// built or the visitor reaches for the network; the picker's mistakes come with the payload).

import { loadScript } from "../ui/dom.js";
import { t, tNodes } from "../ui/i18n.js";
import { onScopeEnd } from "../ui/scope.js";
import { bdi } from "../ui/text.js";
import { createAttention } from "./attention.js";
import { createConfusion } from "./confusion.js";
import { createTrainingCurves } from "./curves.js";
import { decodeInsights } from "./data.js";
import { topExamplesPart, tooltipExamples } from "./topExamples.js";

/**
 * Promise of the decoded test-set insights of `payload` (data/insights.js, decodeInsights) for `network`, or of null
 * when the site has none or they cannot be read (said on the console). Loaded when called.
 */
export function loadInsights(payload, network) {
  if (!payload.insights) return Promise.resolve(null);
  return loadScript(payload.insights, () => window.CNN_EXPLAIN_INSIGHTS)
    .then((raw) => decodeInsights(raw, network.input.shape))
    .catch((error) => {
      console.warn(`the test-set insights did not load: ${error.message}`);
      return null;
    });
}

/**
 * What the insights add to the page in the current language. `insights()` is the page's loader (loadInsights, started
 * by its first call and shared by every language): once it has them, the views' top examples and the overview's
 * tooltips; and in each section of the article as it is built (`section(element)`), what the model looks at (always)
 * and, with the insights, the training curves, the confusion matrix and the note on left-out layers. `pick(image)`
 * shows a test image in the explainer. Returns {attention() ({update()} or null), section(element), load()}: load()
 * asks for the insights (a visitor reaching for the network: its tooltips and views show them).
 */
export function mountInsights({ insights, network, store, session, views, overview, pick, timings }) {
  let attention = null;
  let mounted = true; // until the page is mounted again in another language
  onScopeEnd(() => (mounted = false));
  const { classes } = network;
  const shape = network.input.shape;
  let loading = null;
  const load = () =>
    (loading ??= insights().then((decoded) => {
      if (!decoded || !mounted) return null;
      views.addPart(topExamplesPart(decoded, network, pick));
      overview.setTipExtra((name, index) => tooltipExamples(decoded, network, name, index));
      return decoded;
    }));

  function fill(section, decoded) {
    const curves = section.querySelector("#training-curves");
    if (curves && decoded.history) createTrainingCurves(curves, decoded.history);
    const confusion = section.querySelector("#confusion");
    if (confusion) createConfusion(confusion, decoded, { classes, shape, onPick: (image) => pick(image, true) });
    const leftOut = section.querySelector("#examples-left-out");
    if (leftOut && decoded.leftOut.length) {
      leftOut.hidden = false;
      // the layers' names, each in its <bdi>, between the language's separators
      const layers = document.createDocumentFragment();
      decoded.leftOut.forEach((name, i) => layers.append(...(i ? [t("insights.leftOut.separator")] : []), bdi(name)));
      leftOut.replaceChildren(tNodes("insights.leftOut", { layers }));
    }
  }

  return {
    attention: () => attention,
    load,
    section(section) {
      const attentionRoot = section.querySelector("#attention");
      if (attentionRoot) {
        attention = createAttention(attentionRoot, {
          network,
          store,
          timings,
          compute: session.attention,
          // where the whole model runs on the cpu backend it is small, and so are its gradients: drawn away from the
          // screen too, for print; on WebAssembly they run on the cpu backend, which would be slow, and move weights
          background: () => session.backend() === "cpu",
        });
        if (store.get().frame?.live) attention.update(); // TF.js has computed the image shown
      }
      if (section.querySelector("#training-curves, #confusion, #examples-left-out"))
        load().then((decoded) => decoded && fill(section, decoded));
    },
  };
}
