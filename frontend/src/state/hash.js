// The page state as a URL hash, e.g. "#sample=3&view=conv&layer=conv_1_2&neuron=4&pos=5,7", both ways. No DOM.

const INDEX = /^\d{1,9}$/;
const SECTION = /^[a-z][a-z0-9-]{0,40}$/; // an article section's name: its heading's id without "article-"
const OLD_SECTION = "article-"; // links made before the section key: #article-training

function index(text) {
  return text !== undefined && INDEX.test(text) ? Number(text) : undefined;
}

/**
 * The state written in URL hash `hash` (with or without "#"): {sample, testIndex, colorMode, viewScale, view, lang,
 * section}. `sample` is an index, null for an image from elsewhere ("upload") or undefined; `testIndex` a test image's
 * index ("test=N"); `view` is {kind, layer, neuron, pos?, channel?} or null; `section` the article section being read
 * ("section=training", or an old link's "#article-training"). Malformed fields read as missing; whether a layer, kind
 * or section exists is for the caller to check.
 */
export function parseHash(hash) {
  const fields = new Map();
  for (const pair of hash.replace(/^#/, "").split("&")) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const key = at < 0 ? pair : pair.slice(0, at);
    if (at < 0 && key.startsWith(OLD_SECTION)) {
      fields.set("section", key.slice(OLD_SECTION.length));
      continue;
    }
    let value = at < 0 ? "" : pair.slice(at + 1);
    try {
      value = decodeURIComponent(value);
    } catch {
      continue;
    }
    fields.set(key, value);
  }
  const sampleText = fields.get("sample");
  const sample = sampleText === "upload" ? null : index(sampleText);
  const testIndex = index(fields.get("test"));
  const colorMode = fields.get("colors") || undefined;
  const viewScale = fields.get("scale") || undefined;
  let view = null;
  const kind = fields.get("view");
  const layer = fields.get("layer");
  const neuron = index(fields.get("neuron"));
  if (kind && layer && neuron !== undefined) {
    view = { kind, layer, neuron };
    const pos = (fields.get("pos") || "").split(",").map(index);
    if (pos.length === 2 && pos[0] !== undefined && pos[1] !== undefined) view.pos = pos;
    const channel = index(fields.get("channel"));
    if (channel !== undefined) view.channel = channel;
  }
  const lang = fields.get("lang") || undefined;
  const sectionText = fields.get("section");
  const section = sectionText && SECTION.test(sectionText) ? sectionText : undefined;
  return { sample, testIndex, colorMode, viewScale, view, lang, section };
}

/**
 * The URL hash (without "#") of `state` ({sample, testIndex, colorMode, viewScale, view, lang, section}); defaults are
 * left out, and so is `lang` when it is `siteLanguage`, the one the page opens in.
 */
export function serializeHash({ sample, testIndex, colorMode, viewScale, view, lang, section }, siteLanguage) {
  const parts = [];
  if (sample === null && testIndex !== null && testIndex !== undefined) parts.push(`test=${testIndex}`);
  else if (sample === null) parts.push("sample=upload");
  else if (sample !== undefined) parts.push(`sample=${sample}`);
  if (colorMode && colorMode !== "block") parts.push(`colors=${encodeURIComponent(colorMode)}`);
  if (viewScale && viewScale !== "map") parts.push(`scale=${encodeURIComponent(viewScale)}`);
  if (lang && lang !== siteLanguage) parts.push(`lang=${encodeURIComponent(lang)}`);
  if (section && SECTION.test(section)) parts.push(`section=${section}`);
  if (view) {
    parts.push(`view=${encodeURIComponent(view.kind)}`, `layer=${encodeURIComponent(view.layer)}`);
    parts.push(`neuron=${view.neuron}`);
    if (view.channel !== undefined && view.channel !== null) parts.push(`channel=${view.channel}`);
    if (view.pos) parts.push(`pos=${view.pos[0]},${view.pos[1]}`);
  }
  return parts.join("&");
}
