// Links to the article's sections (#article-...): scroll there and move focus to the heading, without touching
// the URL hash, which holds the page state (urlState.js).

/** Handle clicks on every link to an article section in the document. */
export function followArticleLinks() {
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[href^="#article-"]') : null;
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    const smooth = !(typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches);
    target.scrollIntoView({ behavior: smooth ? "smooth" : "auto", block: "start" });
    target.focus({ preventScroll: true });
  });
}
