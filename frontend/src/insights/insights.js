// The part of the page that answers "what did the network learn, and where does it go wrong?": what the model looks
// at for the image shown (always), and, when the site was built with a test set, the training story, the confusion
// matrix, the model's mistakes in the picker and each channel's top examples (data/insights.js, loaded after the
// first picture).

import { loadScript } from "../ui/dom.js";
import { t, tNodes } from "../ui/i18n.js";
import { prefersReducedMotion } from "../ui/motion.js";
import { onScopeEnd } from "../ui/scope.js";
import { bdi } from "../ui/text.js";
import { createAttention } from "./attention.js";
import { createConfusion } from "./confusion.js";
import { createTrainingCurves } from "./curves.js";
import { decodeInsights } from "./data.js";
import { describeTestImage } from "./thumbnails.js";
import { topExamplesPart, tooltipExamples } from "./topExamples.js";

/**
 * Promise of the decoded test-set insights of `payload` (data/insights.js, decodeInsights) for `network`, or of null
 * when the site has none or they cannot be read (said on the console). Loaded when called: after the first picture.
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
 * Mount what the article's placeholders ask for, with `loaded`, the page's loadInsights (loaded once, mounted again
 * in each language). `show(pixels, null, test)` loads a test image (test: {testIndex, label}) into the explainer.
 * Returns {attention ({update()} or null), insights: `loaded`}.
 */
export function mountInsights({ loaded, network, store, session, views, overview, picker, show, timings }) {
  const byId = (id) => document.getElementById(id);
  const attentionRoot = byId("attention");
  const attention = attentionRoot
    ? createAttention(attentionRoot, {
        network,
        store,
        timings,
        compute: session.attention,
        // where the whole model runs on the cpu backend it is small, and so are its gradients: drawn away from the
        // screen too, for print; on WebAssembly they run on the cpu backend, which would be slow, and move weights
        background: () => session.backend() === "cpu",
      })
    : null;
  const insights = loaded;
  let mounted = true; // until the page is mounted again in another language
  onScopeEnd(() => (mounted = false));
  const { classes } = network;
  const shape = network.input.shape;

  function pick(image, scroll = true) {
    show(image.pixels, null, { testIndex: image.testIndex, label: image.label });
    if (scroll) {
      const top = byId("overview");
      top?.scrollIntoView({ behavior: prefersReducedMotion() ? "auto" : "smooth", block: "center" });
    }
  }

  insights.then((decoded) => {
    if (!decoded || !mounted) return;
    const curves = byId("training-curves");
    if (curves && decoded.history) createTrainingCurves(curves, decoded.history);
    const confusion = byId("confusion");
    if (confusion) createConfusion(confusion, decoded, { classes, shape, onPick: pick });
    const leftOut = byId("examples-left-out");
    if (leftOut && decoded.leftOut.length) {
      leftOut.hidden = false;
      // the layers' names, each in its <bdi>, between the language's separators
      const layers = document.createDocumentFragment();
      decoded.leftOut.forEach((name, i) => layers.append(...(i ? [t("insights.leftOut.separator")] : []), bdi(name)));
      leftOut.replaceChildren(tNodes("insights.leftOut", { layers }));
    }
    views.addPart(topExamplesPart(decoded, network, (image) => pick(image, false)));
    overview.setTipExtra((name, index) => tooltipExamples(decoded, network, name, index));
    picker.addMistakes(
      decoded.mistakes.map((ref) => decoded.pool.image(ref)),
      (image) => describeTestImage(image, classes),
      (image) => pick(image, false),
    );
    picker.select(store.get().sample, store.get().testIndex);
  });
  return { attention, insights };
}
