// A weight a learner can change (what if): an input in a number cell. Typed into (Enter or leaving it puts the number
// in force, Escape gives the old one back) or dragged up and down; the cell keeps its data-value and its colour, and
// says when its value is an edit.

import { draggedValue, typedNumber } from "../network/edits.js";
import { el } from "../ui/dom.js";

const DRAG_START = 3; // CSS pixels a pointer moves before a press becomes a drag

/**
 * An input in `cell` (a number cell: data-value; its data-row, data-col and data-channel too) with data-testid
 * `testid`, named `label`: `onChange(value,
 * first)` when the learner types a number or drags (`first` false for the later steps of one drag, which are
 * one step to undo), at most once a frame; `step()` is a drag's change per pixel. Returns show(value, format,
 * edited): print `value` (unless it is being typed into), and mark the cell as edited or not.
 */
export function weightInput(cell, { testid, label, step, onChange }) {
  const input = el("input", "weight-input", cell);
  Object.assign(input, { type: "text", inputMode: "decimal", spellcheck: false, autocomplete: "off" });
  input.dataset.testid = testid;
  for (const key of ["row", "col", "channel"]) if (key in cell.dataset) input.dataset[key] = cell.dataset[key];
  input.setAttribute("aria-label", label);
  let shown = "";
  const put = () => {
    const value = typedNumber(input.value);
    if (value === null) input.value = shown;
    else if (input.value !== shown) onChange(value, true);
  };
  input.addEventListener("change", put);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      put();
      input.select();
    } else if (event.key === "Escape" && input.value !== shown) {
      input.value = shown;
      event.stopPropagation(); // the view stays open
    } else return;
    event.preventDefault();
  });
  dragToChange(input, cell, step, onChange);
  return (value, format, edited) => {
    cell.dataset.value = String(value);
    cell.classList.toggle("is-edited", edited);
    shown = format(value);
    if (document.activeElement !== input) input.value = shown;
  };
}

/** Dragging `input` up raises its cell's value, down lowers it; a press without a drag types into it. */
function dragToChange(input, cell, step, onChange) {
  let drag = null; // {y, start, moved, first, frame}
  input.addEventListener("pointerdown", (event) => {
    if (event.button !== 0 || document.activeElement === input) return; // typing: the pointer selects text
    event.preventDefault();
    input.setPointerCapture(event.pointerId);
    drag = { y: event.clientY, start: Number(cell.dataset.value), moved: false, first: true, frame: 0, value: null };
  });
  input.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const pixels = drag.y - event.clientY;
    if (!drag.moved && Math.abs(pixels) < DRAG_START) return;
    drag.moved = true;
    drag.value = draggedValue(drag.start, pixels, step());
    drag.frame ||= requestAnimationFrame(() => {
      drag.frame = 0;
      onChange(drag.value, drag.first);
      drag.first = false;
    });
  });
  const end = () => {
    if (!drag) return;
    if (!drag.moved) {
      input.focus();
      input.select();
    } else if (drag.frame) {
      cancelAnimationFrame(drag.frame);
      onChange(drag.value, drag.first);
    }
    drag = null;
  };
  input.addEventListener("pointerup", end);
  input.addEventListener("pointercancel", end);
}
