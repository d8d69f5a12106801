// The article under the overview: kept in a <template> until the overview is first drawn (its formulas would delay
// the first picture), then put into the page with its playground; links to its sections scroll there without
// touching the URL hash, which holds the page state (state/url.js).

import { prefersReducedMotion } from "../ui/motion.js";
import { watchScroll } from "../ui/scroll.js";
import { createPlayground } from "./playground.js";

/**
 * Put the article of `template` (a <template> element) in its place, with the playground on the conv layer its
 * #playground element names; `activations()` and `weights(name)` come from TF.js. Returns the playground
 * ({update()}) or null.
 */
export function mountArticle(template, network, activations, weights) {
  if (template) template.replaceWith(template.content);
  // a formula or table wider than a phone scrolls in its box, and its edge fades to say so
  for (const box of document.querySelectorAll(".article .katex-display, .article .table-scroll")) watchScroll(box);
  const root = document.getElementById("playground");
  const layer = root && network.layer(root.dataset.layer);
  return layer ? createPlayground(root, network.spec, layer, activations, weights) : null;
}

/** Handle clicks on every link to an article section in the document. */
export function followArticleLinks() {
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href^="#article-"]') : null;
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    const smooth = !prefersReducedMotion();
    target.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
    target.focus({ preventScroll: true });
  });
}
