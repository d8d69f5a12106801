// The overview fills the window below the controls: laid out again when the window or the controls change size, but
// not for your own image's panel or the note that an image is unfamiliar (coming above it, they move the network
// down instead of squeezing it).
// A network wider than the window scrolls sideways, and says so: its edges fade and a hint above it says how.

import { t } from "../ui/i18n.js";
import { listen, observeResize, onScopeEnd } from "../ui/scope.js";
import { watchScroll } from "../ui/scroll.js";

const PRINT_WIDTH = 680; // CSS pixels across an A4 or Letter page within its margins (ui/themes.css @page)

/**
 * Keep `overview` laid out in `root`, as wide as it is and as tall as the window allows (440 to 1100 CSS pixels)
 * below `controls`, not counting `aside()` (elements among the controls, each on a row of its own, that push it down
 * instead; null ones left out).
 * Returns refit(): fit it to the window again (something above it changed for good, such as a notice).
 */
export function fitOverview(root, overview, controls, aside) {
  const hint = document.createElement("p");
  hint.className = "ov-hint";
  hint.textContent = t(matchMedia("(pointer: coarse)").matches ? "overview.hint.swipe" : "overview.hint.scroll");
  hint.hidden = true; // shown while the network is wider than the window
  root.before(hint);
  onScopeEnd(() => hint.remove());
  watchScroll(root);
  function asideHeight() {
    const gap = parseFloat(getComputedStyle(controls).rowGap) || 0; // each takes a row of its own in the controls
    let height = 0;
    for (const element of aside()) {
      const shown = element && !element.hidden && element.isConnected ? element.getBoundingClientRect().height : 0;
      if (shown) height += shown + gap; // an empty alert is not drawn, and takes no row
    }
    return height;
  }
  let laidOut = null; // [width, height] of the last layout
  let windowChanged = true; // the window or the controls changed: the height is computed again
  let settling = false;
  function relayout() {
    let height = laidOut ? laidOut[1] : 0;
    if (windowChanged) {
      const top = root.getBoundingClientRect().top + window.scrollY - asideHeight();
      height = Math.max(440, Math.min(window.innerHeight - top - 8, 1100));
      windowChanged = false;
    }
    const width = root.clientWidth;
    if (laidOut && laidOut[0] === width && laidOut[1] === height) return;
    laidOut = [width, height];
    overview.resize(width, height);
    const wide = overview.layout().width > width + 1;
    if (wide !== hint.hidden) return;
    hint.hidden = !wide;
    if (settling) return; // once: a network that fits only without the hint keeps its size
    settling = true; // the hint moved the overview: fit it again below it
    windowChanged = true;
    relayout();
    settling = false;
  }
  let queued = false;
  const queue = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      relayout();
    });
  };
  const refit = () => {
    windowChanged = true;
    queue();
  };
  listen(window, "resize", refit);
  // on paper, which does not scroll sideways, the whole network is shrunk to the page's width
  listen(window, "beforeprint", () => {
    const width = overview.layout().width;
    root.style.zoom = width > PRINT_WIDTH ? String(PRINT_WIDTH / width) : "";
  });
  listen(window, "afterprint", () => (root.style.zoom = ""));
  observeResize(refit, controls);
  // the overview's own width also changes without the window's (a page scroll bar comes or goes)
  observeResize(queue, root);
  relayout();
  return () => {
    windowChanged = true;
    relayout();
  };
}
