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

// Every box to mark is marked in one animation frame, all measured first and then all written: marking one box at
// a time would make the browser lay the page out again for each (the article alone has dozens of formulas).
const pending = new Set();

function markAll() {
  const boxes = [...pending].filter((element) => element.isConnected);
  pending.clear();
  const sides = boxes.map(scrollSides);
  boxes.forEach((element, i) => {
    if (sides[i]) element.dataset.scroll = sides[i];
    else delete element.dataset.scroll;
  });
}

function queue(element) {
  if (pending.size === 0) requestAnimationFrame(markAll);
  pending.add(element);
}

/**
 * Keep `element`'s data-scroll current (also when its children change size). Returns a function that stops
 * watching.
 */
export function watchScroll(element) {
  const mark = () => queue(element);
  element.addEventListener("scroll", mark, { passive: true });
  const resizes = typeof ResizeObserver === "function" ? new ResizeObserver(mark) : null;
  const mutations = typeof MutationObserver === "function" ? new MutationObserver(mark) : null;
  resizes?.observe(element);
  for (const child of element.children) resizes?.observe(child);
  mutations?.observe(element, { childList: true, subtree: true });
  mark();
  return () => {
    element.removeEventListener("scroll", mark);
    resizes?.disconnect();
    mutations?.disconnect();
    pending.delete(element);
  };
}
