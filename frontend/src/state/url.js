// The URL hash mirrors the page state (hash.js): reloading or sharing the link restores the image, the open
// view and its window position. The only module that reads or writes the location.

import { COLOR_MODES, VIEW_SCALES } from "../network/ranges.js";
import { speaks } from "../ui/i18n.js";
import { LINKED, parseHash, serializeHash } from "./hash.js";

// The hash is written once the state has been still for SETTLE_MS, and at least every MAX_WAIT_MS while it keeps
// changing: an animated window moves 25 times a second, and browsers limit history rewrites (Safari: 100 per 30 s).
const SETTLE_MS = 300;
const MAX_WAIT_MS = 2000;

/**
 * Apply the current URL hash to `store` (a hash without lang= means `siteLanguage`, the one the page opens in), and
 * act on what it asks for: show its sample with `selectSample(index)` (index null for the visitor's own image,
 * "sample=upload", which a link cannot hold), or its test image with `selectTest(testIndex)`, and go to the article
 * section it names with `goToSection(name)`. Then keep the hash in step with the store (replacing the history entry,
 * so Back leaves the page as before) and apply hashes typed or pasted.
 */
export function mirrorUrl(store, siteLanguage, selectSample, selectTest, goToSection) {
  function apply(hash, go = true) {
    const { sample, testIndex, colorMode, viewScale, view, lang, section, tour, hide, big, edits } = parseHash(hash);
    const moved = section !== undefined && section !== store.get().section;
    const sameEdits = JSON.stringify(edits) === JSON.stringify(store.get().edits);
    store.set({
      view,
      tour,
      hide,
      big,
      ...(sameEdits ? {} : { edits }),
      lang: lang && speaks(lang) ? lang : siteLanguage,
      ...(COLOR_MODES.includes(colorMode) ? { colorMode } : {}),
      ...(VIEW_SCALES.includes(viewScale) ? { viewScale } : {}),
    });
    if (testIndex !== undefined) {
      if (testIndex !== store.get().testIndex) selectTest(testIndex);
    } else if (sample !== undefined && sample !== store.get().sample) selectSample(sample);
    if (moved && go) goToSection(section);
  }

  let written = location.hash.replace(/^#/, "");
  apply(written);
  let timer = null;
  let waiting = null; // when the oldest change not yet written was made
  function write() {
    waiting = null;
    const hash = serializeHash(store.get(), siteLanguage);
    if (hash === written) return;
    try {
      history.replaceState(history.state, "", hash ? `#${hash}` : `${location.pathname}${location.search}`);
      written = hash;
    } catch {
      // over the browser's rate limit: the next change writes it
    }
  }
  store.subscribe((state, previous) => {
    if (LINKED.every((key) => state[key] === previous[key])) return; // a new frame, say: nothing the hash holds
    clearTimeout(timer);
    const now = performance.now();
    waiting ??= now;
    if (now - waiting >= MAX_WAIT_MS) write();
    else timer = setTimeout(write, SETTLE_MS);
  });
  // Back and Forward bring the scroll position of their history entry (article.js), not the top of its section:
  // popstate comes first, then the hashchange it causes.
  let traversed = false;
  window.addEventListener("popstate", () => (traversed = true));
  window.addEventListener("hashchange", () => {
    const go = !traversed;
    traversed = false;
    const hash = location.hash.replace(/^#/, "");
    if (hash === written) return;
    written = hash;
    apply(hash, go);
  });
}

/** The address of the page in `state`, as its hash would write it: what "Copy link to this" gives. */
export function linkTo(state, siteLanguage) {
  const hash = serializeHash(state, siteLanguage);
  return `${location.href.replace(/#.*$/, "")}${hash ? `#${hash}` : ""}`;
}
