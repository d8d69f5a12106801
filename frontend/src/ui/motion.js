// The visitor's motion preference.

/** Whether the person asked for less motion (then nothing animates by itself). */
export function prefersReducedMotion() {
  return typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
}
