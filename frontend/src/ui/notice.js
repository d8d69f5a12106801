// The page's notice line: what went wrong, in a sentence, where everyone sees it.

/** Show `text` in the page's #notice element. */
export function showNotice(text) {
  const notice = document.getElementById("notice");
  if (!notice) return;
  notice.textContent = text;
  notice.hidden = false;
}
