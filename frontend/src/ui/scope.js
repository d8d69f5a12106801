// What the page mounts in one language lives in one scope: switching language ends it (its window and document
// listeners, observers, store subscriptions and added elements end with it) and mounts the page again (main.js).

let controller = new AbortController();

/** `target.addEventListener(type, handler, options)` until the scope ends. */
export function listen(target, type, handler, options = {}) {
  target.addEventListener(type, handler, { ...options, signal: controller.signal });
}

/** Call `cleanup()` when the scope ends. */
export function onScopeEnd(cleanup) {
  controller.signal.addEventListener("abort", cleanup, { once: true });
}

/** A ResizeObserver calling `callback` for `nodes` until the scope ends (null where there is none). */
export function observeResize(callback, ...nodes) {
  if (typeof ResizeObserver !== "function") return null;
  const observer = new ResizeObserver(callback);
  for (const node of nodes) observer.observe(node);
  onScopeEnd(() => observer.disconnect());
  return observer;
}

/** `store.subscribe(listener)` until the scope ends. */
export function subscribe(store, listener) {
  onScopeEnd(store.subscribe(listener));
}

/** End the scope and start a new one. */
export function endScope() {
  const ending = controller;
  controller = new AbortController();
  ending.abort();
}
