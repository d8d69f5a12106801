// The article under the overview: kept in a <template> until the overview is first drawn (its formulas would delay
// the first picture), then put into the page with its playground. Jumps between the article and the network (a
// layer's label, the contents bar, "Show me in the network", "The network") scroll without touching the URL hash,
// which holds the page state (state/url.js), and are history entries: Back returns to where the reader was.

import { prefersReducedMotion } from "../ui/motion.js";
import { onScopeEnd } from "../ui/scope.js";
import { watchScroll } from "../ui/scroll.js";
import { createPlayground } from "./playground.js";

/**
 * Put the article of `template` (a <template> element, one per language) in the page, in place of the one shown
 * before, with the playground on the conv layer its #playground element names; `activations()` and
 * `weights(name)` come from TF.js, and `kept` keeps the playground's settings from one language to the next.
 * Returns the playground ({update()}) or null.
 */
export function mountArticle(template, network, activations, weights, kept) {
  document.querySelector("article.article")?.remove();
  if (template) {
    const article = template.content.cloneNode(true);
    // an article in another language than the page's (one not yet written in it) says so
    if (template.dataset.lang !== document.documentElement.lang)
      article.firstElementChild?.setAttribute("lang", template.dataset.lang);
    document.querySelector("template.article-template").before(article); // where the first one is
  }
  // a formula or table wider than a phone scrolls in its box, and its edge fades to say so
  for (const box of document.querySelectorAll(".article .katex-display, .article .table-scroll")) watchScroll(box);
  markSectionRead(document.querySelector(".article-toc"));
  const root = document.getElementById("playground");
  const layer = root && network.layer(root.dataset.layer);
  return layer ? createPlayground(root, network.spec, layer, activations, weights, kept) : null;
}

/**
 * Mark the link of the contents bar `toc` to the section being read (aria-current="location"): the first of the
 * sections it links to that crosses a band just under the bar. Between them (a section without a link of its own)
 * the last one read stays marked. On a phone, where the bar is one row that scrolls, the marked link is scrolled
 * into it.
 */
function markSectionRead(toc) {
  if (!toc || typeof IntersectionObserver !== "function") return;
  const links = new Map();
  for (const link of toc.querySelectorAll('a[href^="#article-"]')) {
    const section = document.getElementById(link.getAttribute("href").slice(1))?.closest("section");
    if (section) links.set(section, link);
  }
  const crossing = new Set();
  let marked = null;
  const observer = new IntersectionObserver(
    (entries) => {
      for (const { target, isIntersecting } of entries) crossing[isIntersecting ? "add" : "delete"](target);
      const reading = [...links.keys()].find((section) => crossing.has(section));
      if (!reading || links.get(reading) === marked) return;
      marked?.removeAttribute("aria-current");
      marked = links.get(reading);
      marked.setAttribute("aria-current", "location");
      if (toc.scrollWidth > toc.clientWidth)
        toc.scrollTo({ left: marked.offsetLeft - (toc.clientWidth - marked.offsetWidth) / 2 });
    },
    // a band from just under the sticky bar to a third of the way down the window
    { rootMargin: "-100px 0px -66% 0px" },
  );
  for (const section of links.keys()) observer.observe(section);
  onScopeEnd(() => observer.disconnect());
}

const SCROLL_SAVED_MS = 200; // the scroll position is saved in the history entry once scrolling has stopped this long

/**
 * Handle every jump in the document: links to article sections (`#article-...`), links to the network
 * (`#overview`: the page scrolls to `top`, the image controls above it, and focuses `overview`), and buttons
 * `[data-show-layer]`, which do the same and then call `showLayer(name)` (it opens the layer's view).
 */
export function followJumps({ top, overview, showLayer }) {
  // Each entry records where the reader was, and Back scrolls there once the view has settled (the browser's own
  // restoration, kept for reloads, can come before a closing view has let the page take its height again).
  let saving = null;
  const save = () => {
    try {
      history.replaceState({ ...history.state, scrollY: window.scrollY }, "");
    } catch {
      // over the browser's rate limit: the next scroll saves it
    }
  };
  window.addEventListener(
    "scroll",
    () => {
      clearTimeout(saving);
      saving = setTimeout(save, SCROLL_SAVED_MS);
    },
    { passive: true },
  );
  window.addEventListener("popstate", (event) => {
    const y = event.state?.scrollY;
    if (typeof y === "number") requestAnimationFrame(() => window.scrollTo({ top: y, behavior: "auto" }));
  });

  /** Leave a history entry where the reader is, then go to `target` and focus `focus` (default: `target`). */
  function jump(target, focus = target) {
    clearTimeout(saving);
    save();
    history.pushState({ scrollY: null }, "", location.href);
    const smooth = !prefersReducedMotion();
    target.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
    focus?.focus({ preventScroll: true });
  }

  document.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const source = event.target instanceof Element ? event.target : null;
    const show = source?.closest("[data-show-layer]");
    if (show) {
      jump(top, null);
      showLayer(show.dataset.showLayer);
      return;
    }
    const link = source?.closest('a[href^="#article-"], a[href="#overview"]');
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    if (target === overview) jump(top, overview);
    else jump(target);
  });
}
