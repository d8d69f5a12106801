// The image the page shows and every layer's values for it: first the values Keras precomputed when the site was
// built for the first sample (the payload), then TF.js's, computed in the browser (runtime.js), which every printed
// number comes from.
// The session publishes them into the store as state.frame; whoever shows them subscribes.

import { fits } from "../network/edits.js";
import { classProbabilities } from "../network/predictions.js";
import { decodeActivations, modelArtifacts } from "./payload.js";
import { loadScript } from "../ui/dom.js";

/**
 * `runtime.run`, remembering the last few results: an edit recomputes the edited network, not the trained one it is
 * compared with (or a pinned image, unchanged). Keyed by the pixels (the same array) and the edits.
 */
function rememberRuns(runtime) {
  const ids = new WeakMap();
  let next = 0;
  const kept = new Map();
  const keyOf = (pixels, edits) => {
    if (!ids.has(pixels)) ids.set(pixels, ++next);
    return `${ids.get(pixels)}|${JSON.stringify(edits)}`;
  };
  const remember = (key, values) => {
    kept.set(key, values);
    if (kept.size > 6) kept.delete(kept.keys().next().value);
    return values;
  };
  const run = (pixels, edits) => {
    const key = keyOf(pixels, edits);
    return kept.has(key) ? kept.get(key) : remember(key, runtime.run(pixels, edits));
  };
  /** The same, a layer per task (runtime.runInTasks): a Promise. */
  run.inTasks = (pixels, edits) => {
    const key = keyOf(pixels, edits);
    if (kept.has(key)) return Promise.resolve(kept.get(key));
    return runtime.runInTasks(pixels, edits, nextTask).then((values) => remember(key, values));
  };
  return run;
}

function inputValues(pixels, divisor) {
  const values = new Float32Array(pixels.length);
  const d = Math.fround(divisor);
  for (let i = 0; i < pixels.length; i++) values[i] = pixels[i] / d;
  return values;
}

/**
 * The session of `payload` (window.CNN_EXPLAIN) read as `network` (network.js), with `samples` (payload.js
 * decodeSamples), publishing into `store`. `onFirstPicture()` runs once the first frame is published, before TF.js
 * loads; `onFailure(error)` if TF.js cannot run the model. `timings` gets overviewDrawnMs and overviewPaintedMs (the
 * first picture), tfReadyMs, lastForwardMs (TF.js's forward pass) and lastRedrawMs (that and the redraw). The frames
 * follow the store's edits (network/edits.js) and pinned image: frame.base is what the image is compared with. Returns
 *   show(pixels, sample, test?)  show uint8 `pixels` (sample index `sample`, or null for an image of the visitor's own,
 *                          or a test image of the insights: then `test` is {testIndex, label});
 *                          resolves once they are drawn from TF.js's numbers (rejects if TF.js failed)
 *   ready                  resolves once TF.js has computed the image shown
 *   painted                resolves once the first picture has been painted (two frames after it was drawn)
 *   shows()                how many times show() was called
 *   backend()              the TF.js backend that runs the model ("wasm" or "cpu"), or null before it runs
 *   activations()          the Map of the frame TF.js computed last, or null
 *   attention(kind, c)     what the model looks at for class `c` (runtime.js saliency, gradCam)
 *   weights(name)          a conv or dense layer's {kernel, bias} as TF.js holds them, with the store's edits
 *   settled()              Promise, resolved once the frame follows the store's edits and pinned image
 *   image()                the image shown: {pixels, label}
 *   original()             the Map of every layer of the image shown in the trained network, without edits
 *   evaluate(pixels)       Promise of every layer of uint8 `pixels` as TF.js computes them (with the store's
 *                          edits), shown nowhere
 *   canShow(sample)        whether show() can show sample `sample`: always, unless TF.js failed and the payload
 *                          holds no values for it
 *   precomputed(index)     Promise of sample `index`'s Map of precomputed (float16) activations, or null when the
 *                          payload holds none for it (it holds the first sample's)
 */
export function createSession({ payload, network, samples, store, onFirstPicture, onFailure, timings }) {
  // precomputed: the payload's values (unreadable: why they could not be read); runtime and run: TF.js's model and
  // rememberRuns of it; computed: the activations TF.js computed last; shown: {pixels, label} of the image last
  // asked for, once show() was called; generation counts show() calls
  const s = { payload, network, samples, store, timings, precomputed: null, unreadable: null, runtime: null };
  Object.assign(s, { run: null, failed: false, computed: null, shown: null, generation: 0 });

  // Once whoever shows the frame has subscribed (the caller builds them after the session), in the same task: the
  // browser's first rendering of the page then already holds the first picture.
  const drawn = Promise.resolve().then(() => {
    try {
      s.precomputed = decodeActivations(payload, network);
    } catch (error) {
      s.unreadable = error;
    }
    if (!s.runtime) publishPrecomputed(s, store.get().sample ?? 0, false);
    timings.overviewDrawnMs = performance.now();
    onFirstPicture();
  });
  // two frames later the first one with the picture has been painted: nothing else runs before
  const painted = drawn.then(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
  painted.then(() => (timings.overviewPaintedMs = performance.now()));
  const loaded = loadRuntime(s, painted, onFailure);
  // the first image's forward pass a layer per task, its drawing in the next: the page answers input between
  const ready = loaded
    .then(() => !s.computed && s.run.inTasks(current(s).pixels, store.get().edits))
    .then(nextTask)
    .then(() => {
      if (!s.computed) {
        const { pixels, label } = current(s);
        compute(s, pixels, label);
      }
      timings.readyMs = performance.now();
    });
  ready.catch(() => {});
  const settled = followEdits(s, ready);

  return {
    show: (pixels, sample, test = null) => show(s, loaded, pixels, sample, test),
    ready,
    painted,
    shows: () => s.generation,
    backend: () => s.runtime?.backend ?? null,
    canShow: (sample) => !s.failed || hasPrecomputed(s, sample),
    activations: () => s.computed,
    attention(kind, classIndex) {
      if (!s.runtime || !s.computed)
        throw new Error("TF.js has not computed the current image yet: await explainer.ready first");
      return s.runtime[kind](s.computed.get("input").data, classIndex, store.get().edits);
    },
    weights(name) {
      if (!s.runtime) throw new Error("TF.js has not loaded the model yet: await explainer.ready first");
      return s.runtime.weights(name, store.get().edits);
    },
    settled,
    /**
     * Promise: run the network with `values` ({layer: {kernel, bias}}, weights trained in the page) in place of the
     * shipped weights, or with the shipped ones again (null), and draw the image shown with it.
     */
    useWeights: (values) =>
      loaded.then(() => {
        s.runtime.useWeights(values);
        s.run = rememberRuns(s.runtime);
        const { pixels, label } = current(s);
        compute(s, pixels, label);
      }),
    image: () => current(s),
    original: () => s.run(current(s).pixels, []),
    evaluate: (pixels) => loaded.then(() => s.run(pixels, store.get().edits)),
    precomputed: (index) =>
      drawn.then(() => {
        if (s.unreadable) throw s.unreadable;
        return s.precomputed.sample(index);
      }),
  };
}

const labelOf = (s, sample) => (sample === null ? null : (s.samples.items[sample]?.label ?? null));

const hasPrecomputed = (s, sample) => Boolean(s.precomputed && sample !== null && s.precomputed.sample(sample));

/** Publish the payload's values of sample `sample`, if it holds them. */
function publishPrecomputed(s, sample, showNumbers) {
  if (!hasPrecomputed(s, sample)) return;
  const { network, samples } = s;
  const activations = new Map(s.precomputed.sample(sample));
  activations.set("input", {
    shape: network.input.shape,
    data: inputValues(samples.pixels[sample], network.input.pixelDivisor),
  });
  const probabilities = showNumbers
    ? classProbabilities(network, samples.probabilities[sample])
    : classProbabilities(network, activations.get(network.last.name).data);
  const frame = { activations, probabilities, label: labelOf(s, sample), showNumbers, live: false, base: null };
  s.store.set({ frame });
}

/**
 * Compute `pixels` in the network with the store's edits, and what it is compared with (frame.base): the pinned
 * image in the same network, else the trained network on the same image when it is edited, else nothing.
 */
function compute(s, pixels, label) {
  const { network, store, timings, run } = s;
  const started = performance.now();
  const { edits, pinned } = store.get();
  s.computed = run(pixels, edits);
  timings.lastForwardMs = performance.now() - started;
  const scores = (activations) => classProbabilities(network, activations.get(network.last.name).data);
  const reference = pinned ? run(pinned.pixels, edits) : edits.length ? run(pixels, []) : null;
  const base = reference && { activations: reference, probabilities: scores(reference) };
  const probabilities = scores(s.computed);
  const edited = edits.length > 0;
  store.set({ frame: { activations: s.computed, probabilities, label, showNumbers: true, live: true, base, edited } });
  timings.lastRedrawMs = performance.now() - started;
}

/** The image shown: {pixels, label}. */
function current(s) {
  if (s.shown) return s.shown;
  const { sample, ownPixels } = s.store.get();
  return { pixels: sample === null ? ownPixels : s.samples.pixels[sample], label: labelOf(s, sample) };
}

/**
 * A Promise that resolves after the next frame is painted: a requestAnimationFrame callback runs before the frame is
 * laid out and painted, a task it queues after (a bare setTimeout can run before the frame).
 */
export function afterPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/**
 * A Promise that resolves in a task of its own: long work split by it lets the page answer input in between. Not a
 * bare setTimeout: after five nested ones the browser waits at least 4 ms before each (HTML's timer clamping), which
 * a pass of a layer per task would spend idle, 50 ms and more for a small network.
 */
export function nextTask() {
  if (typeof scheduler !== "undefined" && typeof scheduler.yield === "function") return scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * Load TF.js and the model once the first picture is on screen (`painted`): a Promise; on failure, show what the
 * payload holds.
 */
function loadRuntime(s, painted, onFailure) {
  const { payload, network, store } = s;
  return (
    painted
      // TF.js and the model's code (runtime.js: half the page's code) are a script of their own, run only now, and set
      // up in tasks of their own (runtimeScript.js)
      .then(() => loadScript(payload.runtime, () => window.cnnExplain.features.runtime))
      .then((script) => nextTask().then(() => script.load(nextTask)))
      .then((engine) => nextTask().then(() => engine)) // TF.js set up, then the model (in tasks too: runtime.js)
      .then(({ loadNetwork }) => loadNetwork(modelArtifacts(payload.model), network, payload.wasm, nextTask))
      .then((model) => {
        s.runtime = model;
        s.run = rememberRuns(model);
        s.timings.tfReadyMs = performance.now();
      })
      .catch((error) => {
        s.failed = true;
        // show what the payload holds values for: the first sample, if the address asked for another
        const { sample } = store.get();
        const first = hasPrecomputed(s, sample) ? sample : 0;
        if (first !== sample || store.get().testIndex !== null) store.set({ sample: first, testIndex: null });
        publishPrecomputed(s, first, true);
        onFailure(error);
        throw error;
      })
  );
}

/**
 * Compute the image again whenever the store's edits or pinned image change (edits a link gave that do not fit the
 * network are dropped first). Returns settled(): a Promise resolved once the frame follows them.
 */
function followEdits(s, ready) {
  const { store, network } = s;
  let settled = ready;
  store.subscribe((state, previous) => {
    if (state.edits === previous.edits && state.pinned === previous.pinned) return;
    const usable = state.edits.filter((edit) => fits(network, edit)); // a link may name layers this model lacks
    if (usable.length !== state.edits.length) {
      store.set({ edits: usable });
      return;
    }
    settled = Promise.all([ready, settled]).then(() => {
      const { pixels, label } = current(s);
      compute(s, pixels, label);
    });
    settled.catch(() => {});
  });
  return () => settled;
}

/** session.show: see createSession. */
async function show(s, loaded, pixels, sample, test) {
  const token = ++s.generation;
  if (s.failed && !hasPrecomputed(s, sample)) {
    throw new Error("TF.js could not load the model, and the page holds only the first image's values");
  }
  const label = test ? test.label : labelOf(s, sample);
  s.shown = { pixels, label };
  const { store } = s;
  if (test) store.set({ sample: null, testIndex: test.testIndex });
  else store.set(sample === null ? { sample, ownPixels: pixels, testIndex: null } : { sample, testIndex: null });
  if (s.runtime) {
    compute(s, pixels, label);
    return;
  }
  if (s.failed) {
    publishPrecomputed(s, sample, true);
    throw new Error("TF.js could not load the model");
  }
  publishPrecomputed(s, sample, false); // the first sample's; any other waits for TF.js
  await loaded;
  if (token === s.generation) compute(s, pixels, label);
}
