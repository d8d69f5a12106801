// Scrolling boxes that say they scroll: an element whose content is larger than its box gets data-scroll naming
// the sides with more to see ("left right up down"), kept current as it scrolls and resizes. CSS (ui/page.css)
// fades those edges, so a strip of maps or a long view shows that it goes on.

/** The sides of a (left-to-right) box with more content beyond them, from its scroll metrics: e.g. "right down". */
export function scrollSides({ scrollLeft, scrollTop, scrollWidth, scrollHeight, clientWidth, clientHeight }) {
  const sides = [];
  if (scrollLeft > 1) sides.push("left");
  if (scrollWidth - clientWidth - scrollLeft > 1) sides.push("right");
  if (scrollTop > 1) sides.push("up");
  if (scrollHeight - clientHeight - scrollTop > 1) sides.push("down");
  return sides.join(" ");
}

/**
 * Keep `element`'s data-scroll current (also when its children change size). Returns a function that stops
 * watching.
 */
export function watchScroll(element) {
  let queued = false;
  const mark = () => {
    queued = false;
    const sides = scrollSides(element);
    if (sides) element.dataset.scroll = sides;
    else delete element.dataset.scroll;
  };
  const queue = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(mark);
  };
  element.addEventListener("scroll", queue, { passive: true });
  const resizes = typeof ResizeObserver === "function" ? new ResizeObserver(queue) : null;
  const mutations = typeof MutationObserver === "function" ? new MutationObserver(queue) : null;
  resizes?.observe(element);
  for (const child of element.children) resizes?.observe(child);
  mutations?.observe(element, { childList: true, subtree: true });
  mark();
  return () => {
    element.removeEventListener("scroll", queue);
    resizes?.disconnect();
    mutations?.disconnect();
  };
}
