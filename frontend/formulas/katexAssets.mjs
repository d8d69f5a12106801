// Build-time KaTeX: formulas rendered to HTML that obeys the page's Content-Security-Policy (no style attributes),
// and the part of KaTeX's stylesheet and fonts those formulas use. Pure string work; build.mjs does the files.

import katex from "katex";

/** The class given to the elements that KaTeX styled inline with the `index`-th distinct style. */
export function styleClass(index) {
  return `kx${index.toString(36)}`;
}

/**
 * `html` with every style="..." attribute replaced by a class (the page's CSP forbids style attributes):
 * {html, rules: CSS for those classes}. Identical styles share a class; `styles` (Map style -> class) is
 * shared across calls so several formulas share one stylesheet. The rules are !important, as inline styles
 * win over KaTeX's own rules.
 */
export function moveStylesToClasses(html, styles = new Map()) {
  const out = html.replace(
    /<([a-z][\w-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*(\/?)>/gi,
    (tag, name, attributes, close) => {
      const style = /\sstyle="([^"]*)"/.exec(attributes);
      if (!style) return tag;
      const text = style[1].trim().replace(/;$/, "");
      if (!styles.has(text)) styles.set(text, styleClass(styles.size));
      let rest = attributes.replace(style[0], "");
      const existing = /\sclass="([^"]*)"/.exec(rest);
      rest = existing
        ? rest.replace(existing[0], ` class="${existing[1]} ${styles.get(text)}"`)
        : `${rest} class="${styles.get(text)}"`;
      return `<${name}${rest}${close}>`;
    },
  );
  return { html: out, styles };
}

/** The CSS rules for `styles` (Map style -> class), one per class, !important like the inline styles they replace. */
export function styleRules(styles) {
  return [...styles]
    .map(([style, name]) => {
      const declarations = style
        .split(";")
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => `${d} !important`);
      return `.katex .${name}{${declarations.join(";")}}`;
    })
    .join("\n");
}

/** `tex` rendered by KaTeX (HTML for the eye, MathML for screen readers) with its styles moved to classes. */
export function renderFormula(tex, { display = true } = {}, styles = new Map()) {
  const html = katex.renderToString(tex, { displayMode: display, output: "htmlAndMathml", throwOnError: true });
  return moveStylesToClasses(html, styles).html;
}

/** The set of class names used anywhere in `html`, and one class list per element. */
function classLists(html) {
  const lists = [...html.matchAll(/\sclass="([^"]*)"/g)].map((m) => m[1].split(/\s+/).filter(Boolean));
  return { lists, all: new Set(lists.flat()) };
}

function faceName(family, weight, style) {
  const bold = weight === "700" || weight === "bold";
  const italic = style === "italic";
  return `${family}-${bold ? "Bold" : ""}${italic ? "Italic" : ""}` + (bold || italic ? "" : "Regular");
}

function declaration(block, property) {
  const match = new RegExp(`(?:^|;)\\s*${property}\\s*:\\s*([^;]+)`).exec(block);
  return match ? match[1].trim().replace(/^"(.*)"$/, "$1") : null;
}

/**
 * The KaTeX font faces (e.g. "KaTeX_Main-Regular", "KaTeX_Math-Italic") that `html` needs, judged from the
 * font rules of KaTeX's stylesheet `css`: a rule counts when one element has every class of the rule's last
 * compound selector and the document has its other classes. KaTeX_Main-Regular, the base font, always counts.
 */
export function fontFacesUsed(html, css) {
  const { lists, all } = classLists(html);
  const used = new Set(["KaTeX_Main-Regular"]);
  for (const [, selectors, block] of css.matchAll(/([^{}@]+)\{([^{}]*font-family:\s*"?KaTeX_[^{}]*)\}/g)) {
    const family = declaration(block, "font-family");
    const face = faceName(family, declaration(block, "font-weight"), declaration(block, "font-style"));
    for (const selector of selectors.split(",")) {
      const compounds = selector
        .trim()
        .split(/[\s>+~]+/)
        .map((compound) => [...compound.matchAll(/\.([\w-]+)/g)].map((m) => m[1]).filter((c) => c !== "katex"))
        .filter((classes) => classes.length > 0);
      if (compounds.length === 0) continue;
      const key = compounds[compounds.length - 1];
      const others = compounds.slice(0, -1).flat();
      const keyMatches = lists.some((list) => key.every((c) => list.includes(c)));
      if (keyMatches && others.every((c) => all.has(c))) used.add(face);
    }
  }
  return used;
}

/**
 * KaTeX's stylesheet `css` without the rules no element of `html` can match: a selector stays when every class it
 * requires (outside :not()) is used somewhere in `html`; a rule stays while one of its selectors does. Comments
 * go; @-rules stay.
 */
export function pruneRules(css, html) {
  const { all } = classLists(html);
  return css.replace(/\/\*[\s\S]*?\*\//g, "").replace(/([^{}]+)\{([^{}]*)\}/g, (rule, selectors, block) => {
    if (selectors.trim().startsWith("@")) return rule;
    const kept = selectors
      .split(",")
      .filter((selector) =>
        [...selector.replace(/:not\([^)]*\)/g, "").matchAll(/\.([\w-]+)/g)].every(
          ([, name]) => name === "katex" || all.has(name),
        ),
      );
    return kept.length > 0 ? `${kept.join(",")}{${block}}` : "";
  });
}

/**
 * KaTeX's stylesheet `css` keeping only the @font-face rules of `faces`, each reduced to its woff2 file under
 * `fontFolder`/ (every browser that runs the explainer reads woff2).
 */
export function trimFontFaces(css, faces, fontFolder = "fonts") {
  return css.replace(/@font-face\s*\{([^{}]*)\}/g, (rule, block) => {
    const family = declaration(block, "font-family");
    const face = faceName(family, declaration(block, "font-weight"), declaration(block, "font-style"));
    if (!faces.has(face)) return "";
    const src = `src:url(${fontFolder}/${face}.woff2) format("woff2")`;
    return `@font-face{${block.replace(/src\s*:[^;}]*(;|$)/, `${src}$1`)}}`;
  });
}
