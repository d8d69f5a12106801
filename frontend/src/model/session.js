// The image the page shows and every layer's values for it: first the values Keras precomputed when the site was
// built for the first sample (the payload), then TF.js's, computed in the browser (runtime.js), which every printed
// number comes from.
// The session publishes them into the store as state.frame; whoever shows them subscribes.

import { classProbabilities } from "../network/predictions.js";
import { decodeActivations, modelArtifacts } from "./payload.js";

function inputValues(pixels, divisor) {
  const values = new Float32Array(pixels.length);
  const d = Math.fround(divisor);
  for (let i = 0; i < pixels.length; i++) values[i] = pixels[i] / d;
  return values;
}

/**
 * The session of `payload` (window.CNN_EXPLAIN) read as `network` (network.js), with `samples` (payload.js
 * decodeSamples), publishing into `store`. `onFirstPicture()` runs once the first frame is published, before TF.js
 * loads; `onFailure(error)` if TF.js cannot run the model. `timings` gets tfReadyMs, lastForwardMs (TF.js's
 * forward pass) and lastRedrawMs (that and the redraw). Returns
 *   show(pixels, sample, test?)  show uint8 `pixels` (sample index `sample`, or null for an image of the visitor's own,
 *                          or a test image of the insights: then `test` is {testIndex, label});
 *                          resolves once they are drawn from TF.js's numbers (rejects if TF.js failed)
 *   ready                  resolves once TF.js has computed the image shown
 *   shows()                how many times show() was called
 *   backend()              the TF.js backend that runs the model ("wasm" or "cpu"), or null before it runs
 *   activations()          the Map of the frame TF.js computed last, or null
 *   attention(kind, c)     what the model looks at for class `c` (runtime.js saliency, gradCam)
 *   weights(name)          a conv or dense layer's {kernel, bias} as TF.js holds them
 *   evaluate(pixels)       Promise of every layer of uint8 `pixels` as TF.js computes them, shown nowhere
 *   canShow(sample)        whether show() can show sample `sample`: always, unless TF.js failed and the payload
 *                          holds no values for it
 *   precomputed(index)     Promise of sample `index`'s Map of precomputed (float16) activations, or null when the
 *                          payload holds none for it (it holds the first sample's)
 */
export function createSession({ payload, network, samples, store, onFirstPicture, onFailure, timings }) {
  let precomputed = null;
  let unreadable = null; // why the payload's precomputed values could not be read
  let runtime = null;
  let failed = false;
  let computed = null; // the activations TF.js computed last
  let generation = 0;

  const labelOf = (sample) => (sample === null ? null : (samples.items[sample]?.label ?? null));
  let shown = null; // {pixels, label} of the image last asked for, once show() was called

  const hasPrecomputed = (sample) => Boolean(precomputed && sample !== null && precomputed.sample(sample));

  function publishPrecomputed(sample, showNumbers) {
    if (!hasPrecomputed(sample)) return;
    const activations = new Map(precomputed.sample(sample));
    activations.set("input", {
      shape: network.input.shape,
      data: inputValues(samples.pixels[sample], network.input.pixelDivisor),
    });
    const probabilities = showNumbers
      ? classProbabilities(network, samples.probabilities[sample])
      : classProbabilities(network, activations.get(network.last.name).data);
    store.set({ frame: { activations, probabilities, label: labelOf(sample), showNumbers, live: false } });
  }

  function compute(pixels, label) {
    const started = performance.now();
    computed = runtime.run(pixels);
    timings.lastForwardMs = performance.now() - started;
    const probabilities = classProbabilities(network, computed.get(network.last.name).data);
    store.set({ frame: { activations: computed, probabilities, label, showNumbers: true, live: true } });
    timings.lastRedrawMs = performance.now() - started;
  }

  // Once whoever shows the frame has subscribed (the caller builds them after the session), in the same task: the
  // browser's first rendering of the page then already holds the first picture.
  const drawn = Promise.resolve().then(() => {
    try {
      precomputed = decodeActivations(payload, network);
    } catch (error) {
      unreadable = error;
    }
    if (!runtime) publishPrecomputed(store.get().sample ?? 0, false);
    onFirstPicture();
  });

  const loaded = drawn
    .then(() => new Promise((resolve) => setTimeout(resolve, 0))) // the first picture gets on screen first
    .then(() => import("./runtime.js"))
    .then(({ loadNetwork }) => loadNetwork(modelArtifacts(payload.model), network, payload.wasm))
    .then((model) => {
      runtime = model;
      timings.tfReadyMs = performance.now();
    })
    .catch((error) => {
      failed = true;
      // show what the payload holds values for: the first sample, if the address asked for another
      const { sample } = store.get();
      const first = hasPrecomputed(sample) ? sample : 0;
      if (first !== sample || store.get().testIndex !== null) store.set({ sample: first, testIndex: null });
      publishPrecomputed(first, true);
      onFailure(error);
      throw error;
    });

  const ready = loaded.then(() => {
    if (computed) return;
    if (shown) compute(shown.pixels, shown.label);
    else {
      const { sample, ownPixels } = store.get();
      compute(sample === null ? ownPixels : samples.pixels[sample], labelOf(sample));
    }
  });
  ready.catch(() => {});

  return {
    async show(pixels, sample, test = null) {
      const token = ++generation;
      if (failed && !hasPrecomputed(sample)) {
        throw new Error("TF.js could not load the model, and the page holds only the first image's values");
      }
      const label = test ? test.label : labelOf(sample);
      shown = { pixels, label };
      if (test) store.set({ sample: null, testIndex: test.testIndex });
      else store.set(sample === null ? { sample, ownPixels: pixels, testIndex: null } : { sample, testIndex: null });
      if (runtime) {
        compute(pixels, label);
        return;
      }
      if (failed) {
        publishPrecomputed(sample, true);
        throw new Error("TF.js could not load the model");
      }
      publishPrecomputed(sample, false); // the first sample's; any other waits for TF.js
      await loaded;
      if (token === generation) compute(pixels, label);
    },
    ready,
    shows: () => generation,
    backend: () => runtime?.backend ?? null,
    canShow: (sample) => !failed || hasPrecomputed(sample),
    activations: () => computed,
    attention(kind, classIndex) {
      if (!runtime || !computed)
        throw new Error("TF.js has not computed the current image yet: await explainer.ready first");
      return runtime[kind](computed.get("input").data, classIndex);
    },
    weights(name) {
      if (!runtime) throw new Error("TF.js has not loaded the model yet: await explainer.ready first");
      return runtime.weights(name);
    },
    evaluate: (pixels) => loaded.then(() => runtime.run(pixels)),
    precomputed: (index) =>
      drawn.then(() => {
        if (unreadable) throw unreadable;
        return precomputed.sample(index);
      }),
  };
}
