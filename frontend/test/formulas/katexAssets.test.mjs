import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  fontFacesUsed,
  moveStylesToClasses,
  pruneRules,
  renderFormula,
  styleRules,
  trimFontFaces,
} from "../../formulas/katexAssets.mjs";
import { FORMULAS } from "../../formulas/formulas.mjs";

const katexCss = readFileSync(new URL("../../node_modules/katex/dist/katex.css", import.meta.url), "utf8");

test("style attributes become shared classes, merged into existing class lists", () => {
  const styles = new Map();
  const { html } = moveStylesToClasses(
    '<span class="strut" style="height:1em;"></span><span style="top:-2em;margin-right:0.05em;">x</span><span class="a" style="height:1em">y</span>',
    styles,
  );
  assert.equal(html, '<span class="strut kx0"></span><span class="kx1">x</span><span class="a kx0">y</span>');
  assert.equal(
    styleRules(styles),
    ".katex .kx0{height:1em !important}\n.katex .kx1{top:-2em !important;margin-right:0.05em !important}",
  );
});

test("every article formula renders without a style attribute (the page's CSP forbids them)", () => {
  const styles = new Map();
  for (const [name, { tex, display }] of Object.entries(FORMULAS)) {
    const html = renderFormula(tex, { display }, styles);
    assert.ok(html.includes('class="katex'), name);
    assert.ok(!/\sstyle=/.test(html), name);
    assert.ok(html.includes("<math"), `${name} has MathML for screen readers`);
  }
  assert.ok(styles.size > 0);
});

test("fonts are picked from the classes the formulas use", () => {
  const plain = renderFormula("x = 1", { display: false });
  assert.deepEqual([...fontFacesUsed(plain, katexCss)].sort(), ["KaTeX_Main-Regular", "KaTeX_Math-Italic"]);
  const big = renderFormula(String.raw`\sum_i x_i`, { display: true });
  assert.ok(fontFacesUsed(big, katexCss).has("KaTeX_Size2-Regular"), "a display sum uses the large operator font");
  const bold = renderFormula(String.raw`\mathbf{W}`, { display: false });
  assert.ok(fontFacesUsed(bold, katexCss).has("KaTeX_Main-Bold"));
});

test("only the used font faces stay, each as one woff2 file", () => {
  const css = trimFontFaces(katexCss, new Set(["KaTeX_Main-Regular", "KaTeX_Math-Italic"]));
  const faces = [...css.matchAll(/@font-face\s*\{([^}]*)\}/g)].map((m) => m[1]);
  assert.equal(faces.length, 2);
  for (const face of faces) {
    assert.match(face, /src:url\(fonts\/KaTeX_(Main-Regular|Math-Italic)\.woff2\) format\("woff2"\)/);
    assert.ok(!face.includes(".woff)") && !face.includes(".ttf"));
  }
  assert.ok(css.includes(".katex .mathnormal"), "the rest of the stylesheet is kept");
});

test("rules for classes the formulas never use are dropped", () => {
  const css =
    "/* c */ .katex .mord{a:1} .katex .mfrac .frac-line{b:2} .katex .sqrt,.katex .mord .x{c:3} .katex .mord:not(.y){e:5} @font-face{d:4}";
  const pruned = pruneRules(css, '<span class="katex"><span class="mord x">1</span></span>');
  for (const kept of [".katex .mord{a:1}", ".katex .mord .x{c:3}", ".katex .mord:not(.y){e:5}", "@font-face{d:4}"])
    assert.ok(pruned.includes(kept), kept);
  for (const dropped of ["frac-line", "sqrt", "/*"]) assert.ok(!pruned.includes(dropped), dropped);
});
