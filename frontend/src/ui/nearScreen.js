// Parts far down the page are drawn only when near the screen: redrawing them for every new image would lay the
// whole page out each time.

import { onScopeEnd } from "./scope.js";

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
