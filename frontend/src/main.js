// The page: reads window.CNN_EXPLAIN, draws the overview from the precomputed activations, then runs the
// model with TF.js and redraws from its numbers. The only module that touches globals (window.explainer).

import { followArticleLinks } from "./article/links.js";
import { createColorModeSwitch } from "./overview/colorModeSwitch.js";
import { decodeActivations, decodeSamples, modelArtifacts } from "./model/payload.js";
import { createOverview } from "./overview/overview.js";
import { createPicker } from "./image/picker.js";
import { createPlayground } from "./article/playground.js";
import { createOwnImage } from "./image/ownImage.js";
import { createStore } from "./state/store.js";
import { argmax, classProbabilities } from "./network/predictions.js";
import { mirrorUrl } from "./state/url.js";
import { createViewHost } from "./views/host.js";
import { fill } from "./ui/text.js";

const timings = { overviewDrawnMs: null, tfReadyMs: null, lastRedrawMs: null };

function byId(id) {
  return document.getElementById(id);
}

function showNotice(text) {
  const notice = byId("notice");
  if (!notice) return;
  notice.textContent = text;
  notice.hidden = false;
}

function inputValues(pixels, divisor) {
  const values = new Float32Array(pixels.length);
  const d = Math.fround(divisor);
  for (let i = 0; i < pixels.length; i++) values[i] = pixels[i] / d;
  return values;
}

function start() {
  const payload = window.CNN_EXPLAIN;
  const overviewRoot = byId("overview");
  if (!payload || !payload.spec || !overviewRoot) {
    showNotice("The explainer's data (data/explainer.js) did not load, so there is nothing to show.");
    return null;
  }
  const spec = payload.spec;
  const lastLayer = spec.layers[spec.layers.length - 1].name;
  const samples = decodeSamples(payload);
  const decoding = decodeActivations(payload); // runs while the overview is built
  const store = createStore();
  const overview = createOverview(overviewRoot, spec);
  const prediction = document.querySelector('[data-testid="prediction"]');
  const predictionDetail = byId("prediction-detail");
  let network = null;
  let networkFailed = false;
  let current = null; // activations shown now, from TF.js
  let generation = 0;
  let ownPixels = null; // the last image from elsewhere (sample null)
  let views = null; // the explanation views (views/viewHost.js)
  let playground = null; // the article's hyper-parameter playground (playground.js)
  let lastFrame = null; // what render() drew last, drawn again when the colour mode changes

  function render(activations, probabilities, showNumbers, label) {
    lastFrame = [activations, probabilities, showNumbers, label];
    const colorMode = store.get().colorMode;
    overview.update({ activations, probabilities, showNumbers, colorMode, label: label ?? null });
    const top = argmax(probabilities);
    if (prediction) prediction.textContent = spec.classes[top];
    if (predictionDetail) {
      const parts = [];
      if (showNumbers) parts.push(`${(probabilities[top] * 100).toFixed(1)}% sure`);
      if (label !== undefined && label !== null && spec.classes[label] !== undefined) {
        parts.push(label === top ? "correct" : "true class: {truth}");
      }
      predictionDetail.replaceChildren(
        parts.length ? fill(`(${parts.join(", ")})`, { truth: spec.classes[label] }) : "",
      );
    }
  }

  function labelOf(sample) {
    return sample === null ? null : samples.items[sample]?.label;
  }

  function drawPrecomputed(sample, showNumbers) {
    if (!precomputed || sample === null) return false;
    const activations = new Map(precomputed.sample(sample));
    activations.set("input", {
      shape: spec.input.shape,
      data: inputValues(samples.pixels[sample], spec.input.pixel_divisor),
    });
    const probabilities = showNumbers
      ? classProbabilities(spec, samples.probabilities[sample])
      : classProbabilities(spec, activations.get(lastLayer).data);
    render(activations, probabilities, showNumbers, labelOf(sample));
    return true;
  }

  function compute(pixels, sample) {
    const started = performance.now();
    const activations = network.run(pixels);
    current = activations;
    render(activations, classProbabilities(spec, activations.get(lastLayer).data), true, labelOf(sample));
    views.update();
    playground?.update();
    timings.lastRedrawMs = performance.now() - started;
  }

  /** Show `pixels` (sample index `sample`, or null): resolves once drawn from TF.js's numbers. */
  async function show(pixels, sample) {
    const token = ++generation;
    store.set({ sample });
    if (sample === null) {
      ownPixels = pixels;
      picker.setOwn(pixels);
    }
    picker.select(sample);
    if (network) {
      compute(pixels, sample);
      return;
    }
    if (networkFailed) {
      drawPrecomputed(sample, true);
      throw new Error("TF.js could not load the model");
    }
    drawPrecomputed(sample, false);
    await networkReady;
    if (token === generation) compute(pixels, sample);
  }

  const picker = createPicker(byId("picker"), spec, samples, (index) => {
    show(index === null ? ownPixels : samples.pixels[index], index).catch(() => {});
  });
  createOwnImage(byId("own-image"), spec, samples.pixels, (pixels) => show(pixels, null));

  let laidOut = null; // [width, height] of the last layout
  function resize() {
    const top = overviewRoot.getBoundingClientRect().top + window.scrollY;
    const height = Math.max(440, Math.min(window.innerHeight - top - 8, 1100));
    const width = overviewRoot.clientWidth;
    if (laidOut && laidOut[0] === width && laidOut[1] === height) return;
    laidOut = [width, height];
    overview.resize(width, height);
  }

  let precomputed = null;
  let resizeQueued = false;
  const queueResize = () => {
    if (resizeQueued) return;
    resizeQueued = true;
    requestAnimationFrame(() => {
      resizeQueued = false;
      resize();
    });
  };
  window.addEventListener("resize", queueResize);
  if (typeof ResizeObserver === "function") {
    const observer = new ResizeObserver(queueResize);
    observer.observe(overviewRoot);
    const controls = document.querySelector(".controls"); // grows when "Your image" opens
    if (controls) observer.observe(controls);
  }
  resize();

  const drawn = decoding
    .then((decoded) => {
      precomputed = decoded;
    })
    .catch(() => {
      precomputed = null;
    })
    .then(() => {
      if (!network) drawPrecomputed(store.get().sample ?? 0, false);
      timings.overviewDrawnMs = performance.now();
      setTimeout(mountArticle, 0); // before TF.js loads (its turn comes after this one)
    });

  const networkReady = drawn
    .then(() => new Promise((resolve) => setTimeout(resolve, 0)))
    .then(() => import("./model/runtime.js"))
    .then(({ loadNetwork }) => loadNetwork(modelArtifacts(payload.model), spec))
    .then((loaded) => {
      network = loaded;
      timings.tfReadyMs = performance.now();
    })
    .catch((error) => {
      networkFailed = true;
      drawPrecomputed(store.get().sample ?? 0, true);
      showNotice(
        "TensorFlow.js could not run the model in this browser, so the numbers shown were computed when the site was built." +
          (error && error.message ? ` (${error.message})` : ""),
      );
      resize();
      throw error;
    });

  const ready = networkReady.then(() => {
    if (!current) {
      const sample = store.get().sample ?? 0;
      compute(samples.pixels[sample], sample);
    }
  });
  ready.catch(() => {});
  views = createViewHost({
    root: overviewRoot,
    overview,
    spec,
    store,
    activations: () => current,
    weights: (name) => network.weights(name),
    ready,
    timings,
  });
  store.subscribe((state, previous) => {
    if (state.colorMode !== previous.colorMode && lastFrame) render(...lastFrame);
  });
  const colorMode = byId("color-mode");
  if (colorMode) createColorModeSwitch(colorMode, store);
  /** Put the article (kept in a <template> while the overview is first drawn) into the page, with its playground. */
  function mountArticle() {
    const template = byId("article-template");
    if (template) template.replaceWith(template.content);
    const playgroundRoot = byId("playground");
    const playgroundLayer = playgroundRoot && spec.layers.find((layer) => layer.name === playgroundRoot.dataset.layer);
    if (playgroundLayer) {
      playground = createPlayground(
        playgroundRoot,
        spec,
        playgroundLayer,
        () => current,
        (name) => network.weights(name),
      );
    }
  }
  followArticleLinks();
  mirrorUrl(store, (index) => {
    if (index === null && !ownPixels) {
      showNotice("The link was to an image of your own, which a link cannot hold: showing sample 1 instead.");
      index = 0;
    }
    if (index === null) show(ownPixels, null).catch(() => {});
    else if (index < samples.count) show(samples.pixels[index], index).catch(() => {});
  });

  return {
    ready,
    timings,
    classes: [...spec.classes],
    /** Every value of layer `name` (or "input") for the current image, computed by TF.js: {shape, data}. */
    activations(name) {
      if (!current) throw new Error("TF.js has not computed the current image yet: await explainer.ready first");
      const tensor = current.get(name);
      if (!tensor)
        throw new Error(`no layer named ${name}; layers: input, ${spec.layers.map((l) => l.name).join(", ")}`);
      return { shape: [...tensor.shape], data: tensor.data };
    },
    /** The kernel and bias of conv or dense layer `name` as TF.js holds them: {kernel: {shape, data}, bias}. */
    weights(name) {
      if (!network) throw new Error("TF.js has not loaded the model yet: await explainer.ready first");
      return network.weights(name);
    },
    /** Show sample `index`; resolves when every layer is redrawn from TF.js's numbers. */
    selectSample(index) {
      if (!(index >= 0 && index < samples.count)) return Promise.reject(new Error(`no sample ${index}`));
      return show(samples.pixels[index], index);
    },
    /** Show any image of the model's input size (uint8 H x W x C); resolves when redrawn from TF.js's numbers. */
    setImage(pixels, height, width, channels) {
      const [h, w, c] = spec.input.shape;
      if (height !== h || width !== w || channels !== c) {
        return Promise.reject(
          new Error(`the model reads ${h} x ${w} x ${c} images, not ${height} x ${width} x ${channels}`),
        );
      }
      return show(Uint8Array.from(pixels), null);
    },
    /** Layer `name` of sample `index` as Keras computed it at build time (float16 precision): Promise of {shape, data}. */
    precomputed(index, name) {
      return decoding.then((decoded) => {
        const layer = decoded.sample(index).get(name);
        if (!layer) throw new Error(`no precomputed layer named ${name}`);
        return { shape: [...layer.shape], data: Array.from(layer.data) };
      });
    },
    state: store,
  };
}

window.explainer = start();
