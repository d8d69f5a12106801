// Sentences that carry names people chose (class, layer and file names, the model's name): each name sits in an
// element of its own that isolates its direction (<bdi>), so a name written right to left, or holding direction
// controls such as U+202E, cannot reorder the words around it.

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** The pieces of `template` with its {placeholders} filled from `values`: [{text}] and [{name, value}]. No DOM. */
export function templateParts(template, values = {}) {
  const parts = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!(match[1] in values)) throw new Error(`no value for {${match[1]}} in "${template}"`);
    if (match.index > last) parts.push({ text: template.slice(last, match.index) });
    parts.push({ name: match[1], value: values[match[1]] });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  return parts;
}

/**
 * `template` filled from `values` as a DocumentFragment: nodes as they are, numbers written by `written`, any other
 * value as text in a <bdi> of its own.
 */
export function fill(template, values = {}, written = String) {
  const fragment = document.createDocumentFragment();
  const placed = new Set();
  for (const part of templateParts(template, values)) {
    if ("text" in part) fragment.append(part.text);
    // a node the message places twice (a number it repeats) is placed as a copy the second time
    else if (part.value instanceof Node) {
      fragment.append(placed.has(part.value) ? part.value.cloneNode(true) : part.value);
      placed.add(part.value);
    } else if (typeof part.value === "number") fragment.append(written(part.value));
    else fragment.append(bdi(String(part.value)));
  }
  return fragment;
}

/** A <bdi> element holding `text`. */
export function bdi(text) {
  const node = document.createElement("bdi");
  node.textContent = text;
  return node;
}

/** `text` between a first-strong isolate and its pop (U+2068, U+2069): for attributes shown as text (title). */
export function isolate(text) {
  return `\u2068${text}\u2069`;
}

/**
 * `template` filled from `values` as plain text, for attributes: numbers written by `written`, any other value
 * isolated (see isolate).
 */
export function fillText(template, values = {}, written = String) {
  return templateParts(template, values)
    .map((part) =>
      "text" in part ? part.text : typeof part.value === "number" ? written(part.value) : isolate(String(part.value)),
    )
    .join("");
}
