// Parts far down the page are drawn only when near the screen: redrawing them for every new image would lay the
// whole page out each time.

import { listen, onScopeEnd } from "./scope.js";

let printing = false; // between beforeprint and afterprint: listened to before any part's own listeners
if (typeof window !== "undefined") {
  window.addEventListener("beforeprint", () => (printing = true));
  window.addEventListener("afterprint", () => (printing = false));
}

/**
 * Call `before()` on beforeprint and `after()` on afterprint until the scope ends, and `before()` at once when the
 * page is being printed now: a part built by another part's beforeprint (a section of the article) prints too.
 */
export function whilePrinting(before, after = () => {}) {
  listen(window, "beforeprint", before);
  listen(window, "afterprint", after);
  if (printing) before();
}

/**
 * Keep track of whether `element` is within `margin` of the viewport, until the scope ends; `onNear()` runs each
 * time it comes near. Returns () -> whether it is near now (always true without IntersectionObserver).
 */
export function watchNear(element, onNear, margin = "300px 0px") {
  let near = typeof IntersectionObserver !== "function";
  if (!near) {
    const observer = new IntersectionObserver(
      ([entry]) => {
        near = entry.isIntersecting;
        if (near) onNear();
      },
      { rootMargin: margin },
    );
    observer.observe(element);
    onScopeEnd(() => observer.disconnect());
  }
  return () => near;
}
