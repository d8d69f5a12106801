import { test } from "node:test";
import assert from "node:assert/strict";
import { createStore, initialState } from "../../src/state/store.js";

test("the page starts on sample 0, no view, colours per block, each view map on its own range, in English, above the article, with the trained network and nothing pinned", () => {
  assert.deepEqual(initialState(), {
    sample: 0,
    ownPixels: null,
    testIndex: null,
    frame: null,
    view: null,
    colorMode: "block",
    viewScale: "map",
    lang: "en",
    section: null,
    ownPanel: null,
    playground: null,
    tour: null,
    hide: [],
    big: false,
    edits: [],
    editHistory: { past: [], future: [] },
    pinned: null,
    trained: null,
  });
  assert.notEqual(initialState(), initialState(), "a fresh object each time");
});

test("set merges a patch, tells every listener the new and the previous state, and keeps the old state intact", () => {
  const store = createStore();
  const first = store.get();
  const heard = [];
  const a = store.subscribe((state, previous) => heard.push(["a", state.sample, previous.sample]));
  store.subscribe((state, previous) => heard.push(["b", state.view, previous.view]));
  const returned = store.set({ sample: 3 });
  assert.equal(returned, store.get());
  assert.equal(store.get().sample, 3);
  assert.equal(store.get().colorMode, "block", "keys not in the patch stay");
  assert.equal(first.sample, 0, "the previous state object is not changed");
  assert.deepEqual(heard, [
    ["a", 3, 0],
    ["b", null, null],
  ]);
  a();
  store.set({ view: { kind: "conv" } });
  assert.deepEqual(heard.slice(2), [["b", { kind: "conv" }, null]], "an unsubscribed listener hears nothing");
});

test("a key the page state does not declare is refused, and nothing changes", () => {
  const store = createStore({ sample: 1, view: null });
  let calls = 0;
  store.subscribe(() => calls++);
  assert.throws(() => store.set({ sample: 2, zoom: 2 }), /the page state has no zoom/);
  assert.equal(store.get().sample, 1);
  assert.equal(calls, 0);
  const given = { sample: 5 };
  const own = createStore(given);
  own.set({ sample: 6 });
  assert.equal(given.sample, 5, "the state given is copied, not changed");
});
