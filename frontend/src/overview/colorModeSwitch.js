// The colour-range switch in the page controls: which maps share one colour scale (store.colorMode).

import { COLOR_MODES } from "../network/ranges.js";
import { t } from "../ui/i18n.js";
import { subscribe } from "../ui/scope.js";

// In the order shown, from the narrowest sharing to the widest, then what changed (messages colorMode.<mode> and
// colorMode.<mode>.hint); that one only while there is something to compare with (frame.base).
const MODES = ["layer", "block", "global", "difference"];

/** Radio buttons in `root` for every colour mode, kept in step with `store` both ways. */
export function createColorModeSwitch(root, store) {
  root.setAttribute("role", "radiogroup");
  root.setAttribute("aria-label", t("colorMode.title"));
  const title = document.createElement("span");
  title.className = "color-mode-title";
  title.textContent = t("colorMode.title");
  title.setAttribute("aria-hidden", "true");
  root.appendChild(title);
  const inputs = MODES.map((mode) => {
    if (!COLOR_MODES.includes(mode)) throw new Error(`unknown colour mode ${mode}`);
    const label = document.createElement("label");
    label.className = "color-mode-option";
    label.title = t(`colorMode.${mode}.hint`);
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "color-mode";
    input.value = mode;
    input.addEventListener("change", () => {
      if (input.checked) store.set({ colorMode: mode });
    });
    label.append(input, ` ${t(`colorMode.${mode}`)}`);
    root.appendChild(label);
    return { mode, input };
  });

  function show(mode) {
    for (const item of inputs) item.input.checked = item.mode === mode;
  }
  const difference = inputs.find((item) => item.mode === "difference").input;
  const compared = (state) => {
    difference.disabled = !state.frame?.base;
    difference.parentElement.classList.toggle("is-disabled", difference.disabled);
  };
  show(store.get().colorMode);
  compared(store.get());
  subscribe(store, (state, previous) => {
    if (state.colorMode !== previous.colorMode) show(state.colorMode);
    if (state.frame !== previous.frame) compared(state);
  });
}
