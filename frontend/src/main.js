// The page: wires the parts together. It reads window.CNN_EXPLAIN (docs/format.md), and is the only module that
// touches globals: window.explainer is the page's interface for tests and benchmarks (frontend/README.md).

import { followJumps, mountArticle } from "./article/article.js";
import { createOwnImage } from "./image/ownImage.js";
import { createPicker } from "./image/picker.js";
import { decodeSamples } from "./model/payload.js";
import { createSession } from "./model/session.js";
import { readNetwork, specProblem } from "./network/network.js";
import { argmax } from "./network/predictions.js";
import { createColorModeSwitch } from "./overview/colorModeSwitch.js";
import { fitOverview } from "./overview/fit.js";
import { createOverview } from "./overview/overview.js";
import { createPredictionLine } from "./overview/prediction.js";
import { createStore } from "./state/store.js";
import { mirrorUrl } from "./state/url.js";
import { mountInsights } from "./insights/insights.js";
import { showNotice } from "./ui/notice.js";
import { createViewHost } from "./views/host.js";

const byId = (id) => document.getElementById(id);

function start() {
  const payload = window.CNN_EXPLAIN;
  const root = byId("overview");
  if (!payload || !payload.spec || !root) {
    showNotice("The explainer's data (data/explainer.js) did not load, so there is nothing to show.");
    return null;
  }
  const problem = specProblem(payload.spec);
  if (problem) {
    showNotice(problem);
    return null;
  }
  const network = readNetwork(payload.spec);
  const samples = decodeSamples(payload);
  const timings = { overviewDrawnMs: null, tfReadyMs: null, lastForwardMs: null, lastRedrawMs: null };
  const store = createStore();
  let playground = null;
  let attention = null; // what the model looks at (insights/)
  let loadedInsights = null;
  // the test-set insights (or null), once the article that holds their sections is mounted and they have loaded
  const insights = new Promise((resolve) => (loadedInsights = resolve));
  // the session first: it publishes the first picture in a microtask after start() returns, once all is subscribed
  const session = createSession({
    payload,
    network,
    samples,
    store,
    timings,
    onFirstPicture() {
      timings.overviewDrawnMs = performance.now();
      setTimeout(() => {
        playground = mountArticle(byId("article-template"), network, session.activations, session.weights);
        const mounted = mountInsights({ payload, network, store, session, views, overview, picker, show, timings });
        attention = mounted.attention;
        loadedInsights(mounted.insights);
      }, 0); // before TF.js loads (its turn comes after this one)
    },
    onFailure(error) {
      showNotice(
        "TensorFlow.js could not run the model in this browser, so the page shows only the first image, with the numbers " +
          "computed when the site was built." +
          (error && error.message ? ` (${error.message})` : ""),
      );
      picker.limit(session.canShow, "needs TensorFlow.js, which could not run in this browser");
      relayout();
    },
  });
  const overview = createOverview(root, network);
  const prediction = createPredictionLine(
    document.querySelector('[data-testid="prediction"]'),
    byId("prediction-detail"),
    network,
  );
  const show = (pixels, sample, test) => session.show(pixels, sample, test).catch(() => {});
  const picker = createPicker(byId("picker"), network.spec, samples, (index) =>
    show(index === null ? store.get().ownPixels : samples.pixels[index], index),
  );
  createOwnImage(byId("own-image"), network.spec, samples.pixels, (pixels) => session.show(pixels, null));
  const views = createViewHost({
    root,
    overview,
    network,
    store,
    activations: session.activations,
    weights: session.weights,
    ready: session.ready,
    timings,
  });

  store.subscribe((state, previous) => {
    if (state.ownPixels !== previous.ownPixels && state.ownPixels) picker.setOwn(state.ownPixels);
    if (
      state.sample !== previous.sample ||
      state.ownPixels !== previous.ownPixels ||
      state.testIndex !== previous.testIndex
    )
      picker.select(state.sample, state.testIndex);
    const { frame, colorMode } = state;
    if (!frame || (frame === previous.frame && colorMode === previous.colorMode)) return;
    overview.update({ ...frame, colorMode });
    prediction.update(frame);
    if (frame !== previous.frame && frame.live) {
      views.update();
      playground?.update();
      attention?.update();
    }
  });
  picker.select(store.get().sample);
  const colorMode = byId("color-mode");
  if (colorMode) createColorModeSwitch(colorMode, store);
  // fitted once the controls above it are all built: it takes the height they leave
  const relayout = fitOverview(root, overview, document.querySelector(".controls"), () => byId("own-panel"));
  followJumps({
    top: document.querySelector(".controls"),
    overview: root,
    showLayer(name) {
      const kind = network.info(name)?.view;
      if (!kind) {
        overview.neuronAt(name, 0)?.focus(); // a layer without a view (flatten): its first neuron in the overview
        return;
      }
      // a class's view opens on the class predicted for the image shown, any other on the layer's first neuron
      const values = network.last.name === name ? session.activations()?.get(name)?.data : null;
      const neuron = values ? argmax(values) : 0;
      views.open(kind, { layer: name, neuron });
    },
  });
  mirrorUrl(
    store,
    (index) => {
      const own = store.get().ownPixels;
      if (index === null && !own) {
        showNotice("The link was to an image of your own, which a link cannot hold: showing sample 1 instead.");
        index = 0;
      }
      if (index === null) show(own, null);
      else if (index < samples.count) show(samples.pixels[index], index);
    },
    (testIndex) => {
      const asked = session.shows();
      insights.then((decoded) => {
        if (session.shows() !== asked) return; // another image was chosen while the insights loaded
        const image = decoded?.pool.byTestIndex(testIndex);
        if (image) show(image.pixels, null, { testIndex, label: image.label });
        else {
          showNotice(`This page does not hold test image ${testIndex}: showing sample 1 instead.`);
          show(samples.pixels[0], 0);
        }
      });
    },
  );

  // a class index such as 1.5 or undefined would pick no class, or another, and the answer would look like one
  const checkClass = (index) => {
    if (!(Number.isInteger(index) && index >= 0 && index < network.classes.length))
      throw new Error(`no class ${index}: classes are 0 to ${network.classes.length - 1}`);
    return index;
  };

  return {
    ready: session.ready,
    timings,
    /** The TF.js backend that runs the model, "wasm" or "cpu" (null until explainer.ready). */
    get backend() {
      return session.backend();
    },
    classes: [...network.classes],
    /** Every value of layer `name` (or "input") for the current image, computed by TF.js: {shape, data}. */
    activations(name) {
      const current = session.activations();
      if (!current) throw new Error("TF.js has not computed the current image yet: await explainer.ready first");
      const tensor = current.get(name);
      if (!tensor)
        throw new Error(`no layer named ${name}; layers: input, ${network.layers.map((l) => l.name).join(", ")}`);
      return { shape: [...tensor.shape], data: tensor.data };
    },
    /** The kernel and bias of conv or dense layer `name` as TF.js holds them: {kernel: {shape, data}, bias}. */
    weights: session.weights,
    /** Show sample `index`; resolves when every layer is redrawn from TF.js's numbers. */
    selectSample(index) {
      if (!(index >= 0 && index < samples.count)) return Promise.reject(new Error(`no sample ${index}`));
      return session.show(samples.pixels[index], index);
    },
    /** d logit[classIndex] / d input for the current image, from TF.js: Promise of {shape, data}, laid out as activations("input"). */
    saliency(classIndex) {
      return Promise.resolve(classIndex).then((c) => session.attention("saliency", checkClass(c)));
    },
    /** Grad-CAM of class `classIndex` on the last convolution, from TF.js: Promise of {layer, shape: [h, w], data}. */
    gradCam(classIndex) {
      return Promise.resolve(classIndex).then((c) => session.attention("gradCam", checkClass(c)));
    },
    /** The decoded test-set insights (insights/data.js), or null when the site has none; once loaded. */
    insights: () => insights,
    /** Show any image of the model's input size (uint8 H x W x C); resolves when redrawn from TF.js's numbers. */
    setImage(pixels, height, width, channels) {
      const [h, w, c] = network.input.shape;
      if (height !== h || width !== w || channels !== c) {
        return Promise.reject(
          new Error(`the model reads ${h} x ${w} x ${c} images, not ${height} x ${width} x ${channels}`),
        );
      }
      return session.show(Uint8Array.from(pixels), null);
    },
    /** Layer `name` of sample `index` as Keras computed it at build time (float16 precision): Promise of {shape, data}. */
    precomputed(index, name) {
      return session.precomputed(index).then((layers) => {
        if (!layers)
          throw new Error(`the page holds precomputed values of the first sample only, not of sample ${index}`);
        const layer = layers.get(name);
        if (!layer) throw new Error(`no precomputed layer named ${name}`);
        return { shape: [...layer.shape], data: Array.from(layer.data) };
      });
    },
    state: store,
  };
}

window.explainer = start();
