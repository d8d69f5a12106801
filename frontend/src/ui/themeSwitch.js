// The theme switch in the page controls: the page's colours as the system has them, light or dark (themes.css reads
// <html data-theme>). The choice is the reader's, not the page's state, so it is kept in this browser's localStorage
// and not in the URL: a link would hand the sender's choice to whoever opens it. From file://, where a browser keeps
// one storage for every page on disk or one per file, the same file still opens in the theme chosen.

import { t } from "./i18n.js";

const KEY = "cnn-explain.theme";
const THEMES = ["system", "light", "dark"]; // in the order shown; messages theme.<name>

/** The theme chosen last in this browser ("system" when none, or when storage is off). */
function remembered() {
  try {
    const theme = localStorage.getItem(KEY);
    return THEMES.includes(theme) ? theme : "system";
  } catch {
    return "system"; // storage is off (a private window, a blocked site)
  }
}

function remember(theme) {
  try {
    if (theme === "system") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme);
  } catch {
    // storage is off: the choice lasts as long as the page
  }
}

/** Give the page the colours of `theme` ("system", "light" or "dark"). */
export function applyTheme(theme) {
  if (!THEMES.includes(theme)) throw new Error(`no theme ${theme}: themes are ${THEMES.join(", ")}`);
  if (theme === "system") delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

/**
 * A labelled list of the themes appended to `root`, set to the one on the page (the one remembered in this browser
 * when the page opens), which it applies; a choice is applied at once and remembered.
 */
export function createThemeSwitch(root) {
  // built again in another language: the page holds the choice (kept there even where storage is off)
  const current = document.documentElement.dataset.theme ?? remembered();
  applyTheme(current);
  const label = document.createElement("label");
  label.className = "theme-switch";
  const title = document.createElement("span");
  title.textContent = t("theme.switch");
  const select = document.createElement("select");
  select.dataset.testid = "theme";
  for (const theme of THEMES) select.append(new Option(t(`theme.${theme}`), theme, false, theme === current));
  select.addEventListener("change", () => {
    applyTheme(select.value);
    remember(select.value);
  });
  label.append(title, select);
  root.append(label);
}
