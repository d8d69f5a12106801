// The overview fills the window below the controls: laid out again whenever the window or the controls change size.

/**
 * Keep `overview` laid out in `root`, as wide as it is and as tall as the window allows (440 to 1100 CSS pixels),
 * also when `also` (the controls above it, which grow when "Your image" opens) changes size. Returns relayout().
 */
export function fitOverview(root, overview, also) {
  let laidOut = null; // [width, height] of the last layout
  function relayout() {
    const top = root.getBoundingClientRect().top + window.scrollY;
    const height = Math.max(440, Math.min(window.innerHeight - top - 8, 1100));
    const width = root.clientWidth;
    if (laidOut && laidOut[0] === width && laidOut[1] === height) return;
    laidOut = [width, height];
    overview.resize(width, height);
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
  window.addEventListener("resize", queue);
  if (typeof ResizeObserver === "function") {
    const observer = new ResizeObserver(queue);
    observer.observe(root);
    if (also) observer.observe(also);
  }
  relayout();
  return relayout;
}
