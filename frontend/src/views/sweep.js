// A view's window position and its animation: play / pause / step buttons, arrow keys and a readout.

import { clampPosition, positionAfterKey, stepDelay, stepPosition } from "../network/windowMath.js";
import { el, icon, iconButton, textEl } from "../ui/dom.js";
import { t } from "../ui/i18n.js";

/**
 * The window position on an [h, w] grid of output cells, starting at `pos` and playing if `play`. `onMove(pos,
 * animated)` is called on every move. Returns {element (the controls), position(), moveTo(pos) (pauses),
 * onKey(event) -> handled, playing(), destroy()}.
 */
export function createSweep({ dims, pos, play, onMove }) {
  let position = clampPosition(pos, dims);
  let timer = null;
  const element = el("div", "sweep");
  element.setAttribute("role", "group");
  element.setAttribute("aria-label", t("view.sweep.label"));
  const previous = iconButton("previous", t("view.sweep.previous"), element);
  const toggle = iconButton("play", t("view.sweep.play"), element);
  const next = iconButton("next", t("view.sweep.next"), element);
  const readout = textEl("span", "sweep-readout", "", element);
  const touch = matchMedia("(pointer: coarse)").matches;
  textEl("span", "sweep-hint", t(touch ? "view.sweep.hint.touch" : "view.sweep.hint.pointer"), element);

  function show() {
    readout.textContent = t("view.position", { row: position[0], col: position[1] });
  }

  function move(to, animated) {
    position = to;
    show();
    onMove(position, animated);
  }

  function setPlaying(on) {
    if (on === (timer !== null)) return;
    if (on) timer = setInterval(() => move(stepPosition(position, dims, 1), true), stepDelay(dims[0] * dims[1]));
    else {
      clearInterval(timer);
      timer = null;
    }
    toggle.replaceChildren(icon(on ? "pause" : "play"));
    const label = t(on ? "view.sweep.pause" : "view.sweep.play");
    toggle.setAttribute("aria-label", label);
    toggle.title = label;
    element.classList.toggle("is-playing", on);
  }

  function moveTo(to) {
    setPlaying(false);
    const clamped = clampPosition(to, dims);
    if (clamped[0] !== position[0] || clamped[1] !== position[1]) move(clamped, false);
  }

  previous.addEventListener("click", () => moveTo(stepPosition(position, dims, -1)));
  next.addEventListener("click", () => moveTo(stepPosition(position, dims, 1)));
  toggle.addEventListener("click", () => setPlaying(timer === null));
  show();
  setPlaying(Boolean(play));

  return {
    element,
    /** The current [row, col]. */
    position: () => position,
    /** Pause and move the window to `pos` (clamped to the grid). */
    moveTo,
    /** Arrow keys, Home and End move the window; returns whether `event` was handled. */
    onKey(event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return false;
      const to = positionAfterKey(position, dims, event.key);
      if (!to) return false;
      moveTo(to);
      return true;
    },
    /** Whether the window is animating. */
    playing: () => timer !== null,
    /** Stop the animation. */
    destroy() {
      setPlaying(false);
    },
  };
}
