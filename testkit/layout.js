// What a person sees of a part of the page, checked in the browser (tests/browser/test_layout.py): figures that
// overlap, text that is cut, boxes that scroll sideways without saying so. Evaluated with {selector (the part: e.g.
// the open view's panel), across (where one may scroll sideways at all, as selectors; with none given, anywhere that
// says so)}; returns a list of problems, each a sentence naming the elements.
({ selector, across = [] }) => {
  const root = document.querySelector(selector);
  if (!root) return [`nothing matches ${selector}`];
  const problems = [];
  const name = (element) => {
    const id = element.dataset?.testid ? `[data-testid=${element.dataset.testid}]` : "";
    const classes = typeof element.className === "string" ? element.className.trim().split(/\s+/).join(".") : "";
    const text = (element.textContent || "").trim().slice(0, 30);
    return `${element.tagName.toLowerCase()}${classes ? "." + classes : ""}${id}${text ? ` "${text}"` : ""}`;
  };
  const shown = (element) => {
    for (let e = element; e && e !== document.documentElement; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === "none" || style.visibility === "hidden" || Number(style.opacity) === 0) return false;
      if (e.classList.contains("visually-hidden") || e.hidden) return false;
    }
    return true;
  };
  // The boxes that clip what is inside them, innermost first: overflow other than visible, or paint containment, up
  // to a box fixed to the window (a phone's sheet), which the boxes around it do not clip.
  const clippers = (element) => {
    const found = [];
    for (let e = element.parentElement; e && e !== document.documentElement; e = e.parentElement) {
      const style = getComputedStyle(e);
      // paint containment (and content-visibility, which implies it) clips as overflow does
      const paints = /paint|strict|content/.test(style.contain) || (style.contentVisibility || "visible") !== "visible";
      if (style.overflowX !== "visible" || style.overflowY !== "visible" || paints) found.push(e);
      if (style.position === "fixed") break;
    }
    return found;
  };
  const visible = (rect, element) => {
    // `rect` cut to what the boxes around `element` and the window let one see
    let { left, top, right, bottom } = rect;
    for (const box of clippers(element)) {
      const r = box.getBoundingClientRect();
      left = Math.max(left, r.left);
      top = Math.max(top, r.top);
      right = Math.min(right, r.right);
      bottom = Math.min(bottom, r.bottom);
    }
    return { left, top, right, bottom };
  };
  const area = (r) => Math.max(0, r.right - r.left) * Math.max(0, r.bottom - r.top);

  // 1. Boxes that scroll sideways say so (data-scroll, ui/scroll.js), and boxes that say so do scroll.
  const boxes = [root, ...root.querySelectorAll("*")].filter(shown);
  for (const box of boxes) {
    const style = getComputedStyle(box);
    const sideways = box.scrollWidth - box.clientWidth > 1;
    const hint = /\b(left|right)\b/.test(box.dataset.scroll || "");
    const scrolls = sideways && (style.overflowX === "auto" || style.overflowX === "scroll");
    if (scrolls && !hint)
      problems.push(`${name(box)} scrolls sideways (${box.scrollWidth} in ${box.clientWidth}) without a hint`);
    else if (scrolls && across.length && !across.some((allowed) => box.matches(allowed)))
      problems.push(`${name(box)} scrolls sideways (${box.scrollWidth} in ${box.clientWidth}): its parts should stack`);
    if (hint && !sideways) problems.push(`${name(box)} fades a side (${box.dataset.scroll}) but does not scroll`);
  }
  if (document.documentElement.scrollWidth > innerWidth + 1)
    problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${innerWidth} px window`);

  // 2. Text is never cut: each run of text lies inside the area its innermost clipping box can show (scrolling
  //    included, with the hint above), that box inside what the next one can show, and so on out to the window;
  //    text-overflow never shortens it.
  const scrollArea = (box) => {
    const r = box.getBoundingClientRect();
    const left = r.left + box.clientLeft - box.scrollLeft;
    const top = r.top + box.clientTop - box.scrollTop;
    return {
      left: Math.min(r.left, left),
      top: Math.min(r.top, top),
      right: Math.max(r.right, left + box.scrollWidth),
      bottom: Math.max(r.bottom, top + box.scrollHeight),
    };
  };
  const outside = (rect, area) =>
    rect.left < area.left - 1 || rect.right > area.right + 1 || rect.top < area.top - 1 || rect.bottom > area.bottom + 1;
  const cutBy = (rect, element) => {
    let inner = rect;
    for (const box of clippers(element)) {
      if (outside(inner, scrollArea(box))) return box;
      inner = box.getBoundingClientRect();
    }
    const fixed = { left: 0, top: -Infinity, right: innerWidth, bottom: Infinity }; // the page scrolls down, not across
    return outside(inner, fixed) ? document.documentElement : null;
  };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || !shown(node.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    // one rectangle per line: a paragraph's bounding box would cover the words beside it
    for (const line of range.getClientRects()) if (line.width && line.height) texts.push({ element: node.parentElement, rect: line });
    const box = cutBy(rect, node.parentElement);
    if (box) problems.push(`text "${node.textContent.trim().slice(0, 40)}" is cut by ${name(box)}`);
    const style = getComputedStyle(node.parentElement);
    if (style.textOverflow === "ellipsis" && node.parentElement.scrollWidth > node.parentElement.clientWidth + 1)
      problems.push(`text "${node.textContent.trim().slice(0, 40)}" is shortened with an ellipsis`);
  }

  // 3. No two figures or runs of text overlap: maps, kernels, canvases and text, as far as they can be seen.
  const overlays = ".vo-overlay, .vmap-window, .vmap-image, .fx, [aria-hidden='true'] svg";
  const figures = [...root.querySelectorAll(".vmap-frame, .conv-kernel-image, canvas, img")]
    .filter((e) => shown(e) && !e.closest(overlays))
    .map((element) => ({ element, rect: element.getBoundingClientRect() }));
  for (const { element, rect } of figures) {
    const box = rect.width && rect.height ? cutBy(rect, element) : null;
    if (box) problems.push(`${name(element)} is cut by ${name(box)}`);
  }
  const items = [...figures, ...texts.filter(({ element }) => !element.closest(overlays))].map((item) => ({
    ...item,
    seen: visible(item.rect, item.element),
  }));
  for (let i = 0; i < items.length; i++) {
    if (area(items[i].seen) < 1) continue;
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i];
      const b = items[j];
      if (a.element === b.element || a.element.contains(b.element) || b.element.contains(a.element)) continue;
      const overlap = {
        left: Math.max(a.seen.left, b.seen.left),
        top: Math.max(a.seen.top, b.seen.top),
        right: Math.min(a.seen.right, b.seen.right),
        bottom: Math.min(a.seen.bottom, b.seen.bottom),
      };
      if (overlap.right - overlap.left > 1.5 && overlap.bottom - overlap.top > 1.5)
        problems.push(`${name(a.element)} and ${name(b.element)} overlap`);
    }
  }
  // 4. Nothing is covered by what is drawn over it (a card's background over the map of the card before it): at a
  //    few points of each figure and text, what the window shows on top is it, or what it holds, or what holds it.
  for (const item of items) {
    const { left, top, right, bottom } = item.seen;
    if (right - left < 3 || bottom - top < 3) continue;
    // inside by two pixels at least: where two boxes meet, the window rounds to whole pixels
    const inside = (from, to, at) => Math.min(Math.max(from + (to - from) * at, from + 2), to - 2);
    const points = [
      [(left + right) / 2, (top + bottom) / 2],
      [inside(left, right, 0.2), inside(top, bottom, 0.3)],
      [inside(left, right, 0.8), inside(top, bottom, 0.7)],
    ];
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const onTop = document.elementFromPoint(x, y);
      if (!onTop || onTop === item.element || item.element.contains(onTop) || onTop.contains(item.element)) continue;
      if (getComputedStyle(onTop).display === "inline") continue; // text beside text: the overlap check above
      problems.push(`${name(item.element)} is covered by ${name(onTop)}`);
      break;
    }
  }
  return [...new Set(problems)];
};
