// The colour-range switch in the page controls: which maps share one colour scale (store.colorMode).

import { COLOR_MODES } from "../network/ranges.js";

// In the order shown, from the narrowest sharing to the widest.
const LABELS = {
  layer: ["per layer", "each layer has its own scale: detail in quiet layers"],
  block: ["per block", "a convolution and the layers after it share a scale"],
  global: ["whole network", "one scale for every layer: compare sizes across layers"],
};

/** Radio buttons in `root` for every colour mode, kept in step with `store` both ways. */
export function createColorModeSwitch(root, store) {
  root.setAttribute("role", "radiogroup");
  root.setAttribute("aria-label", "Colour range");
  const title = document.createElement("span");
  title.className = "color-mode-title";
  title.textContent = "Colour range";
  title.setAttribute("aria-hidden", "true");
  root.appendChild(title);
  const inputs = Object.keys(LABELS).map((mode) => {
    if (!COLOR_MODES.includes(mode)) throw new Error(`unknown colour mode ${mode}`);
    const label = document.createElement("label");
    label.className = "color-mode-option";
    label.title = LABELS[mode][1];
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "color-mode";
    input.value = mode;
    input.addEventListener("change", () => {
      if (input.checked) store.set({ colorMode: mode });
    });
    label.append(input, ` ${LABELS[mode][0]}`);
    root.appendChild(label);
    return { mode, input };
  });

  function show(mode) {
    for (const item of inputs) item.input.checked = item.mode === mode;
  }
  show(store.get().colorMode);
  store.subscribe((state, previous) => {
    if (state.colorMode !== previous.colorMode) show(state.colorMode);
  });
}
