// "Copy link to this": a link on the clipboard, and a word that says it is there. Where the page may not write to
// the clipboard (served over plain http to other machines, say), the link is shown selected for the reader to copy.

import { el } from "./dom.js";
import { t } from "./i18n.js";

const SAID_MS = 2000; // how long the button says "Link copied"

/** Put `link` on the clipboard from `button` (its data-link keeps it), or show it beside the button, selected. */
export async function copyLink(button, link) {
  button.dataset.link = link;
  try {
    await navigator.clipboard.writeText(link);
  } catch {
    showLink(button, link);
    return;
  }
  const status = button.parentElement.querySelector(".link-copied") ?? el("span", "link-copied", null);
  status.setAttribute("role", "status");
  status.textContent = t("link.copied");
  button.after(status);
  clearTimeout(Number(status.dataset.timer));
  status.dataset.timer = String(setTimeout(() => status.remove(), SAID_MS));
}

function showLink(button, link) {
  const field = button.parentElement.querySelector(".link-field") ?? el("input", "link-field", null);
  Object.assign(field, { type: "text", readOnly: true, value: link });
  field.setAttribute("aria-label", t("link.field"));
  button.after(field);
  field.focus();
  field.select();
}
