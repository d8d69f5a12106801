// The page state as a URL hash, e.g. "#sample=3&view=conv&layer=conv_1_2&neuron=4&pos=5,7", both ways, from one
// table of the fields a link can hold (FIELDS). No DOM.

import { editsText, readEdits } from "../network/edits.js";

const INDEX = /^\d{1,9}$/;
const NAME = /^[a-z][a-z0-9-]{0,40}$/; // an article section's or a part's name
const OLD_SECTION = "article-"; // links made before the section key: #article-training

/** The whole number written in `text` (digits only), or undefined. */
function index(text) {
  return text !== undefined && INDEX.test(text) ? Number(text) : undefined;
}

/** `text` when it is a plain name (lower-case letters, digits, dashes), else undefined. */
function name(text) {
  return text && NAME.test(text) ? text : undefined;
}

/** The parts of the page a link may hide (classroom mode): the article, the controls that bring an image, the
 * insights, the playground, the colour controls, the language switch, the tour's button. */
export const HIDEABLE = ["article", "colours", "insights", "language", "playground", "tour", "upload"];

/** The known part names in comma-separated `text`, sorted and each once. */
function parts(text) {
  if (!text) return [];
  return [...new Set(text.split(","))].filter((part) => HIDEABLE.includes(part)).sort();
}

/** "key=value" with the value escaped as a URL component. */
const pair = (key, value) => `${key}=${encodeURIComponent(value)}`;

/**
 * Every field of the page state a link holds, in the order they are written: `read(keys, raw)` gives the field's
 * value from the hash's keys (a Map of decoded values; undefined when the hash does not say; `raw` the same before
 * decoding, for a value that escapes its own parts), `write(state, site)` the
 * key=value pairs that say it (none for the default), `example` a value that must read back as written (the round
 * trip test of test/state/hash.test.mjs goes through every field). Malformed values read as missing; whether a
 * layer, kind or section exists is for the page to check.
 */
export const FIELDS = [
  {
    // the sample shown by its index, counted from 0; "upload" for an image of the visitor's own, which a link
    // cannot hold (null); with a test image ("test=N", the field testIndex) it is not written
    field: "sample",
    read: (keys) => (keys.get("sample") === "upload" ? null : index(keys.get("sample"))),
    write({ sample, testIndex }) {
      if (sample === undefined || (sample === null && testIndex !== null && testIndex !== undefined)) return [];
      return [sample === null ? "sample=upload" : `sample=${sample}`];
    },
    example: 3,
  },
  {
    field: "testIndex", // a test image by its index in the test set
    read: (keys) => index(keys.get("test")),
    write: ({ sample, testIndex }) =>
      sample === null && testIndex !== null && testIndex !== undefined ? [`test=${testIndex}`] : [],
    example: 1234,
  },
  {
    field: "colorMode", // the overview's colour range: network/ranges.js COLOR_MODES ("block" is the default)
    read: (keys) => keys.get("colors") || undefined,
    write: ({ colorMode }) => (colorMode && colorMode !== "block" ? [pair("colors", colorMode)] : []),
    example: "global",
  },
  {
    field: "viewScale", // a view's colour range: "map" (the default) or "shared"
    read: (keys) => keys.get("scale") || undefined,
    write: ({ viewScale }) => (viewScale && viewScale !== "map" ? [pair("scale", viewScale)] : []),
    example: "shared",
  },
  {
    field: "lang", // the page's language, left out when it is the site's own
    read: (keys) => keys.get("lang") || undefined,
    write: ({ lang }, site) => (lang && lang !== site ? [pair("lang", lang)] : []),
    example: "zh",
  },
  {
    field: "section", // the article section being read: section=training, or an old link's #article-training
    read: (keys) => name(keys.get("section")),
    write: ({ section }) => (name(section) ? [`section=${section}`] : []),
    example: "training",
  },
  {
    field: "tour", // the guided tour's stop, counted from 0 (tour/tour.js), or null when it is closed
    read: (keys) => index(keys.get("tour")) ?? null,
    write: ({ tour }) => (Number.isInteger(tour) && tour >= 0 ? [`tour=${tour}`] : []),
    example: 4,
  },
  {
    field: "hide", // the parts of the page a teacher hid (classroom mode): names in HIDEABLE, as a sorted list
    read: (keys) => parts(keys.get("hide")),
    write: ({ hide }) => (hide && hide.length ? [`hide=${hide.join(",")}`] : []),
    example: ["article", "upload"],
  },
  {
    field: "big", // text and numbers enlarged for a projector
    read: (keys) => keys.get("big") === "1",
    write: ({ big }) => (big ? ["big=1"] : []),
    example: true,
  },
  {
    field: "edits", // the network's edits in force (network/edits.js), a sorted list
    // written as it is (its layer names escaped within it), so that a teacher can read it: edits=conv_1_2:s3
    read: (keys, raw) => readEdits(raw.get("edits")),
    write: ({ edits }) => (edits && edits.length ? [`edits=${editsText(edits)}`] : []),
    example: [
      { layer: "conv 1/2", weight: "kernel", index: 12, value: -0.125 },
      { layer: "conv 1/2", weight: "bias", index: 3, value: 2e-7 },
      { layer: "conv 1/2", silence: 4 },
      { layer: "relu_1_1", silence: 0 },
    ],
  },
  {
    field: "view", // the open view: {kind, layer, neuron, pos?, channel?}, or null
    read(keys) {
      const kind = keys.get("view");
      const layer = keys.get("layer");
      const neuron = index(keys.get("neuron"));
      if (!kind || !layer || neuron === undefined) return null;
      const view = { kind, layer, neuron };
      const pos = (keys.get("pos") || "").split(",").map(index);
      if (pos.length === 2 && pos[0] !== undefined && pos[1] !== undefined) view.pos = pos;
      const channel = index(keys.get("channel"));
      if (channel !== undefined) view.channel = channel;
      return view;
    },
    write({ view }) {
      if (!view) return [];
      const pairs = [pair("view", view.kind), pair("layer", view.layer), `neuron=${view.neuron}`];
      if (view.channel !== undefined && view.channel !== null) pairs.push(`channel=${view.channel}`);
      if (view.pos) pairs.push(`pos=${view.pos[0]},${view.pos[1]}`);
      return pairs;
    },
    example: { kind: "conv", layer: "conv 1/2", neuron: 4, pos: [5, 7], channel: 2 },
  },
];

/**
 * The state written in URL hash `hash` (with or without "#"): one value per field of FIELDS (undefined where the hash
 * does not say; `view` null).
 */
export function parseHash(hash) {
  const keys = new Map();
  const raw = new Map();
  for (const text of hash.replace(/^#/, "").split("&")) {
    if (!text) continue;
    const at = text.indexOf("=");
    const key = at < 0 ? text : text.slice(0, at);
    if (at < 0 && key.startsWith(OLD_SECTION)) {
      keys.set("section", key.slice(OLD_SECTION.length));
      continue;
    }
    raw.set(key, at < 0 ? "" : text.slice(at + 1));
    try {
      keys.set(key, decodeURIComponent(at < 0 ? "" : text.slice(at + 1)));
    } catch {
      // a malformed escape: the key reads as missing
    }
  }
  return Object.fromEntries(FIELDS.map(({ field, read }) => [field, read(keys, raw)]));
}

/**
 * The URL hash (without "#") of `state`: the fields of FIELDS it holds, defaults left out, and `lang` when it is
 * `siteLanguage`, the one the page opens in.
 */
export function serializeHash(state, siteLanguage) {
  return FIELDS.flatMap(({ write }) => write(state, siteLanguage)).join("&");
}

/** The state fields a link holds (state/url.js mirrors them). */
export const LINKED = FIELDS.map(({ field }) => field);
