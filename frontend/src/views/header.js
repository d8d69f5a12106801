// The heading every explanation view starts with.

import { el, textEl } from "../ui/dom.js";

/** A view's heading: its title (the id is for aria-labelledby) and a sentence saying what it shows. */
export function viewHeader(id, title, summary, parent) {
  const header = el("header", "vw-head", parent);
  const heading = textEl("h2", "vw-title", title, header);
  heading.id = id;
  textEl("p", "vw-summary", summary, header);
  return header;
}
