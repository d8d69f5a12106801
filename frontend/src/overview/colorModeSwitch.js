// The colour-range switch in the page controls: which maps share one colour scale (store.colorMode).

import { COLOR_MODES } from "../network/ranges.js";
import { t } from "../ui/i18n.js";
import { subscribe } from "../ui/scope.js";

// In the order shown, from the narrowest sharing to the widest (messages colorMode.<mode> and colorMode.<mode>.hint).
const MODES = ["layer", "block", "global"];

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
  show(store.get().colorMode);
  subscribe(store, (state, previous) => {
    if (state.colorMode !== previous.colorMode) show(state.colorMode);
  });
}
