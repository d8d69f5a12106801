import { test } from "node:test";
import assert from "node:assert/strict";
import { FIELDS, LINKED, parseHash, serializeHash } from "../../src/state/hash.js";

test("a view's hash reads back as the same state", () => {
  const state = {
    sample: 3,
    colorMode: "block",
    view: { kind: "conv", layer: "conv_1_2", neuron: 4, channel: 2, pos: [5, 7] },
  };
  const hash = serializeHash(state);
  assert.equal(hash, "sample=3&view=conv&layer=conv_1_2&neuron=4&channel=2&pos=5,7");
  assert.deepEqual(parseHash(`#${hash}`), {
    ...state,
    testIndex: undefined,
    colorMode: undefined,
    viewScale: undefined,
    lang: undefined,
    section: undefined,
    tour: null,
    hide: [],
    big: false,
    edits: [],
  });
});

test("an uploaded image, another colour mode and layer names needing escapes round-trip", () => {
  const state = {
    sample: null,
    testIndex: undefined,
    colorMode: "global",
    viewScale: "shared",
    view: { kind: "pool", layer: "max pool/1", neuron: 0 },
  };
  const hash = serializeHash(state);
  assert.equal(hash, "sample=upload&colors=global&scale=shared&view=pool&layer=max%20pool%2F1&neuron=0");
  assert.deepEqual(parseHash(hash), {
    ...state,
    lang: undefined,
    section: undefined,
    tour: null,
    hide: [],
    big: false,
    edits: [],
  });
});

test("no view and no sample serialise to nothing", () => {
  assert.equal(serializeHash({ sample: undefined, view: null }), "");
  assert.equal(serializeHash({ sample: undefined, viewScale: "map", view: null }), "", "the default scale is left out");
  assert.deepEqual(parseHash(""), {
    sample: undefined,
    testIndex: undefined,
    colorMode: undefined,
    viewScale: undefined,
    view: null,
    lang: undefined,
    section: undefined,
    tour: null,
    hide: [],
    big: false,
    edits: [],
  });
});

test("malformed fields read as missing", () => {
  assert.deepEqual(parseHash("#sample=-1&test=x&view=conv&layer=c&neuron=x"), {
    sample: undefined,
    testIndex: undefined,
    colorMode: undefined,
    viewScale: undefined,
    view: null,
    lang: undefined,
    section: undefined,
    tour: null,
    hide: [],
    big: false,
    edits: [],
  });
  const { view } = parseHash("#view=conv&layer=c&neuron=2&pos=1&channel=%E0");
  assert.deepEqual(view, { kind: "conv", layer: "c", neuron: 2 });
  assert.deepEqual(parseHash("#sample=2&pos=1,2").sample, 2);
});

test("a test image of the insights is written as its index in the test set, in place of the sample", () => {
  const hash = serializeHash({ sample: null, testIndex: 1017, view: null });
  assert.equal(hash, "test=1017");
  assert.deepEqual(parseHash(hash), {
    sample: undefined,
    testIndex: 1017,
    colorMode: undefined,
    viewScale: undefined,
    view: null,
    lang: undefined,
    section: undefined,
    tour: null,
    hide: [],
    big: false,
    edits: [],
  });
  assert.equal(serializeHash({ sample: 2, testIndex: null, view: null }), "sample=2");
  assert.equal(serializeHash({ sample: null, testIndex: null, view: null }), "sample=upload");
});

test("the language is in the hash unless it is the one the site opens in", () => {
  const state = { sample: 1, lang: "zh", view: { kind: "conv", layer: "c", neuron: 0 } };
  const hash = serializeHash(state, "en");
  assert.equal(hash, "sample=1&lang=zh&view=conv&layer=c&neuron=0");
  assert.equal(parseHash(hash).lang, "zh");
  assert.equal(serializeHash({ sample: 1, lang: "zh", view: null }, "zh"), "sample=1");
  assert.equal(serializeHash({ sample: 1, lang: "en", view: null }, "zh"), "sample=1&lang=en");
});

test("the article section being read round-trips, and an old link to a section's heading reads as that section", () => {
  const hash = serializeHash({ sample: 3, section: "training", view: null });
  assert.equal(hash, "sample=3&section=training");
  assert.equal(parseHash(hash).section, "training");
  assert.equal(parseHash("#article-mistakes").section, "mistakes");
  assert.equal(parseHash("#sample=2&article-pooling").section, "pooling");
  assert.equal(parseHash("#section=../x").section, undefined, "a section is a plain name");
  assert.equal(parseHash("#section=").section, undefined);
  assert.equal(serializeHash({ section: "<b>" }), "", "nothing but a name is written");
});

test("every field a link holds reads back as it was written, alone and together with all the others", () => {
  const all = {};
  for (const { field, example } of FIELDS) {
    const state = { [field]: example };
    if (field === "testIndex") state.sample = null; // a test image is shown in place of a sample
    const hash = serializeHash(state, "en");
    assert.notEqual(hash, "", `${field} is written`);
    assert.deepEqual(parseHash(`#${hash}`)[field], example, `${field}: ${hash}`);
    if (field !== "testIndex") all[field] = example; // a sample and a test image exclude each other
  }
  const together = parseHash(serializeHash(all, "en"));
  for (const [field, value] of Object.entries(all)) assert.deepEqual(together[field], value, field);
  assert.deepEqual(Object.keys(parseHash("")), LINKED, "parseHash gives every field, in the table's order");
});

test("a teacher's flags: the tour's stop, the parts hidden (known ones only, sorted, each once) and the big display", () => {
  const state = parseHash("#tour=5&hide=upload,article,nonsense,upload&big=1");
  assert.equal(state.tour, 5);
  assert.deepEqual(state.hide, ["article", "upload"]);
  assert.equal(state.big, true);
  assert.equal(serializeHash({ ...state, view: null }), "tour=5&hide=article,upload&big=1");
  assert.equal(parseHash("#tour=-1").tour, null);
  assert.equal(parseHash("#big=yes").big, false);
  assert.equal(serializeHash({ tour: null, hide: [], big: false, view: null }), "");
});
