// The article under the overview: its shell (title, contents bar, each section's heading) is put in the page once the
// overview is first drawn (its formulas would delay the first picture), and the rest of each section when it comes
// near the screen, before a jump, before printing and when the reader searches the page (Ctrl+F): a long article built
// whole at first view cost 3,500 DOM nodes. Jumps between the article and the network (a layer's label, the contents
// bar, "Show me in the network", "The network") are history entries: Back returns to where the reader was. The
// section being read is state.section, which the URL hash mirrors (section=training).

import { copyLink } from "../ui/copyLink.js";
import { prefersReducedMotion } from "../ui/motion.js";
import { listen, onScopeEnd } from "../ui/scope.js";
import { watchScroll } from "../ui/scroll.js";
import { createActivationPlots } from "./activationPlots.js";
import { createPlayground } from "./playground.js";

const SECTION_PREFIX = "article-"; // a section's heading has the id article-<name>
const NEAR = "100% 0px"; // a section is built when it is within a screen's height of the screen

/** The nodes of `html` (markup the builder wrote), parsed inert. */
function parsed(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content;
}

/**
 * Put the article of `text` (a language's, data/language.<code>.js: {lang, article, sections}) at the end of the
 * page's <main>, in place of the one shown before. Each section's rest is built near the screen; then
 * `onSection(section)` mounts what it holds, the playground starts on the conv layer its #playground element
 * names and the activation functions' figure (#activation-plots) is drawn; `activations()` and `weights(name)` come
 * from TF.js. The section being read and the playground's settings go into `store` (state.section,
 * state.playground). Returns {playground() ({update()} or null), buildAll()}.
 */
export function mountArticle(text, { network, activations, weights, store, onSection }) {
  document.querySelector("article.article")?.remove();
  const shell = parsed(text.article);
  const article = shell.querySelector("article");
  // an article in another language than the page's (one not yet written in it) says so
  if (text.lang !== document.documentElement.lang) article.setAttribute("lang", text.lang);
  document.querySelector("main").append(shell);
  markSectionRead(article.querySelector(".article-toc"), store);
  let playground = null;
  const rests = [...article.querySelectorAll(".section-rest")];
  const sections = rests.map((rest) => rest.closest("section"));
  const built = new Set();
  const buildSection = (index) => {
    if (built.has(index)) return;
    built.add(index);
    const section = sections[index];
    rests[index].replaceWith(parsed(text.sections[Number(rests[index].dataset.rest)]));
    // a formula or table wider than a phone scrolls in its box, and its edge fades to say so
    for (const box of section.querySelectorAll(".katex-display, .table-scroll")) watchScroll(box);
    const root = section.querySelector("#playground");
    const layer = root && network.layer(root.dataset.layer);
    if (layer) {
      playground = createPlayground(root, network, layer, activations, weights, store);
      if (store.get().frame?.live) playground.update(); // TF.js has computed the image shown
    }
    const plots = section.querySelector("#activation-plots");
    if (plots) createActivationPlots(plots);
    onSection(section);
  };
  const buildAll = () => sections.forEach((_, index) => buildSection(index));
  // a section whose parts draw in idle time for a print made without scrolling (what the model looks at)
  sections.forEach((section, index) => {
    if (section.dataset.build !== "idle") return;
    const later = typeof requestIdleCallback === "function" ? requestIdleCallback : setTimeout;
    later(() => section.isConnected && buildSection(index));
  });
  if (typeof IntersectionObserver === "function") {
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) if (entry.isIntersecting) buildSection(sections.indexOf(entry.target));
      },
      { rootMargin: NEAR },
    );
    for (const section of sections) observer.observe(section);
    onScopeEnd(() => observer.disconnect());
  } else buildAll();
  listen(window, "beforeprint", buildAll); // every section prints
  listen(document, "keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "f") buildAll(); // the browser's search
  });
  return { playground: () => playground, buildAll };
}

/**
 * Mark the link of the contents bar `toc` to the section being read (aria-current="location"), and keep its name in
 * `store` (state.section): the first of the sections it links to that crosses a band just under the bar; null above
 * the article. Between them (a section without a link of its own) the last one read stays marked. On a phone, where
 * the bar is one row that scrolls, the marked link is scrolled into it.
 */
function markSectionRead(toc, store) {
  if (!toc || typeof IntersectionObserver !== "function") return;
  const links = new Map();
  for (const link of toc.querySelectorAll(`a[href^="#${SECTION_PREFIX}"]`)) {
    const section = document.getElementById(link.getAttribute("href").slice(1))?.closest("section");
    if (section) links.set(section, link);
  }
  const article = toc.closest("article");
  const crossing = new Set();
  let marked = null;
  const mark = (link) => {
    if (link === marked) return;
    marked?.removeAttribute("aria-current");
    marked = link;
    if (!link) return;
    link.setAttribute("aria-current", "location");
    if (toc.scrollWidth > toc.clientWidth)
      toc.scrollTo({ left: link.offsetLeft - (toc.clientWidth - link.offsetWidth) / 2 });
  };
  const observer = new IntersectionObserver(
    (entries) => {
      for (const { target, isIntersecting } of entries) crossing[isIntersecting ? "add" : "delete"](target);
      const reading = [...links.keys()].find((section) => crossing.has(section));
      if (reading) mark(links.get(reading));
      else if (article && article.getBoundingClientRect().top > innerHeight / 3) mark(null); // above the article
      const name = marked ? marked.getAttribute("href").slice(1 + SECTION_PREFIX.length) : null;
      if (store && store.get().section !== name) store.set({ section: name });
    },
    // a band from just under the sticky bar to a third of the way down the window
    { rootMargin: "-100px 0px -66% 0px" },
  );
  for (const section of links.keys()) observer.observe(section);
  onScopeEnd(() => observer.disconnect());
}

/**
 * Lay out every section of `article` now, and from now on: off screen they skip layout (content-visibility) and stand
 * in with estimated heights, so a jump measured against them lands in the wrong place; laid out once, each keeps its
 * real height even when skipped again.
 */
function layOutSections(article) {
  if (!article || article.classList.contains("is-laid-out")) return;
  article.classList.add("is-laid-out");
  void article.offsetHeight; // lay it out before anything is measured against it
}

const SCROLL_SAVED_MS = 200; // the scroll position is saved in the history entry once scrolling has stopped this long
const KEEP_MS = 3000; // how long a jump keeps its target in place while the article above it settles
const REST_MS = 200; // a jump's scrolling has come to rest once no scroll event came for this long

/**
 * Handle every jump in the document: links to article sections (`#article-...`, once `prepare()` has built every
 * section and resolved), links to the network
 * (`#overview`: the page scrolls to `top`, the image controls above it, and focuses `overview`), and buttons
 * `[data-show-layer]`, which do the same and then call `showLayer(name)` (it opens the layer's view); and buttons
 * `[data-copy-link]`, which copy `linkTo(name)`, the address of the page at their section (ui/copyLink.js); and
 * buttons `[data-compare-shift="n"]`, which go to the network and `compareShifted(n)` (what if). Returns
 * {goToSection(name, remember, smooth)}: go to the section named (its heading's id without "article-"), as a history
 * entry when `remember`; false when the page has no such section (yet).
 */
export function followJumps({ top, overview, prepare, showLayer, linkTo, compareShifted }) {
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

  /**
   * Go to `target` and focus `focus` (default: `target`), leaving a history entry where the reader was if `remember`;
   * smoothly, unless the reader prefers less motion or `smooth` is false.
   */
  function jump(target, focus = target, remember = true, smooth = !prefersReducedMotion()) {
    clearTimeout(saving);
    if (remember) {
      save();
      history.pushState({ scrollY: null }, "", location.href);
    }
    const go = () => {
      layOutSections(target.closest("article"));
      target.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
      focus?.focus({ preventScroll: true });
      landOn(target);
    };
    if (target.closest("article")) prepare().then(go);
    else go();
  }

  /**
   * Once the scroll to `target` has come to rest, put it in place again if parts drawn on the way (those drawn when
   * they come near the screen) moved it, unless the reader has taken over the scrolling meanwhile.
   */
  function landOn(target) {
    const start = target.getBoundingClientRect().top + window.scrollY;
    let taken = false;
    const take = () => (taken = true);
    const inputs = ["wheel", "touchstart", "keydown", "pointerdown"];
    for (const type of inputs) window.addEventListener(type, take, { passive: true });
    let resting = null;
    const wait = () => {
      clearTimeout(resting);
      resting = setTimeout(settle, REST_MS); // no scroll event for that long: the jump is over
    };
    const place = () => {
      const moved = Math.abs(target.getBoundingClientRect().top + window.scrollY - start) > 1;
      if (!taken && moved && target.isConnected) target.scrollIntoView({ behavior: "auto", block: "start" });
    };
    const settle = () => {
      window.removeEventListener("scroll", wait);
      place();
      // what is above may still grow a little later (a font its formulas use arrives): keep the place a while
      const article = target.closest("article");
      const growing = article && new ResizeObserver(place);
      growing?.observe(article);
      setTimeout(() => {
        growing?.disconnect();
        for (const type of inputs) window.removeEventListener(type, take);
      }, KEEP_MS);
    };
    window.addEventListener("scroll", wait, { passive: true });
    wait();
  }

  document.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const source = event.target instanceof Element ? event.target : null;
    const shift = source?.closest("[data-compare-shift]");
    if (shift) {
      jump(top, overview);
      compareShifted(Number(shift.dataset.compareShift));
      return;
    }
    const copy = source?.closest("[data-copy-link]");
    if (copy) {
      const heading = copy.closest("section")?.querySelector(`[id^="${SECTION_PREFIX}"]`);
      if (heading) copyLink(copy, linkTo(heading.id.slice(SECTION_PREFIX.length)));
      return;
    }
    const show = source?.closest("[data-show-layer]");
    if (show) {
      jump(top, null);
      showLayer(show.dataset.showLayer);
      return;
    }
    const link = source?.closest(`a[href^="#${SECTION_PREFIX}"], a[href="#overview"]`);
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    if (!target.checkVisibility()) return; // a part a classroom link hides
    if (target === overview) jump(top, overview);
    else jump(target);
  });

  return {
    goToSection(name, remember = false, smooth = !prefersReducedMotion()) {
      const heading = document.getElementById(`${SECTION_PREFIX}${name}`);
      if (!heading || !heading.closest("article") || !heading.checkVisibility()) return false;
      jump(heading, heading, remember, smooth);
      return true;
    },
  };
}
