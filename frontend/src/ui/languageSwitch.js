// The language switch in the page controls: the page's language (store.lang), kept in step both ways.

import { language, languages, t } from "./i18n.js";
import { subscribe } from "./scope.js";

/** A labelled list of the page's languages in `root`, each named in its own language; none with one language. */
export function createLanguageSwitch(root, store) {
  const spoken = languages();
  if (spoken.length < 2) return;
  const label = document.createElement("label");
  label.className = "language-switch";
  const title = document.createElement("span");
  title.textContent = t("language.switch");
  const select = document.createElement("select");
  select.dataset.testid = "language";
  for (const { code, name } of spoken) {
    const option = new Option(name, code, false, code === language());
    option.lang = code;
    select.append(option);
  }
  select.addEventListener("change", () => store.set({ lang: select.value }));
  label.append(title, select);
  root.append(label);
  subscribe(store, (state) => {
    select.value = state.lang;
  });
}
