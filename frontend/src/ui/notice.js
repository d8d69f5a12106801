// The page's notice line: what went wrong, in a sentence, where everyone sees it.

/** Show `text` (a string, or nodes such as ui/i18n.js's tNodes) in the page's #notice element. */
export function showNotice(text) {
  const notice = document.getElementById("notice");
  if (!notice) return;
  notice.replaceChildren(text);
  notice.hidden = false;
}
