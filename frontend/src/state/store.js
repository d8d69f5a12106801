// The page's state in one store; the modules that show it subscribe to it, and state/url.js mirrors part of it to
// the URL hash. No DOM.

/**
 * The state as first shown, and every key the store holds:
 *   sample     the sample image shown (an index), or null for an image of the visitor's own
 *   ownPixels  the visitor's last image (uint8 H x W x C), or null
 *   testIndex  with sample null, the index in the test set of the test image shown (insights/), else null
 *   frame      what the network makes of the image: {activations (Map: "input" and every layer -> {shape, data}),
 *              probabilities, label (the true class index, or null), showNumbers (the values are exact enough to
 *              print: not float16), live (computed by TF.js now: the numbers views print), edited (computed
 *              with the edits in force), base (what it is compared with: {activations, probabilities} of the pinned
 *              image, else of the trained network while edited; or null)}, or null before the first picture
 *   view       the open explanation view, {kind, layer, neuron, pos?, channel?}, or null
 *   colorMode  which maps of the overview share a colour range (network/ranges.js COLOR_MODES)
 *   viewScale  the colour range of a view's maps: "map" (each its own) or "shared" (the overview's)
 *   lang       the page's language (ui/i18n.js), a code such as "en" or "zh"
 *   section    the article section being read (its heading's id without "article-"), or null above the article
 *   ownPanel   what the "Your image" panel held when it was last built again (another language): its picture,
 *              drawing and settings (image/ownImage.js), or null
 *   playground the playground's settings when it was last built again (article/playground.js), or null
 *   tour       the guided tour's stop (0-based, tour/tour.js), or null when it is closed
 *   hide       the parts of the page hidden for a class (state/hash.js HIDEABLE), a sorted list
 *   big        text and numbers enlarged for a projector
 *   edits      the network's edits in force (network/edits.js: changed weights, silenced channels), a sorted list
 *   editHistory the edits lists to undo and redo (network/edits.js emptyHistory)
 *   pinned     the image pinned as A to compare with the one shown (B): {pixels, sample, testIndex, label}, or null
 */
export function initialState() {
  return {
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
    trained: null, // the weights in force: null (the shipped ones), or {epoch} of a run trained in the page
  };
}

/** A store holding `state`: {get() -> state, set(patch) -> state, subscribe(listener(state, previous)) -> unsubscribe}. */
export function createStore(state = initialState()) {
  let current = { ...state };
  const keys = new Set(Object.keys(current));
  const listeners = new Set();
  return {
    get: () => current,
    set(patch) {
      for (const key of Object.keys(patch)) if (!keys.has(key)) throw new Error(`the page state has no ${key}`);
      const previous = current;
      current = { ...current, ...patch };
      for (const listener of listeners) listener(current, previous);
      return current;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
