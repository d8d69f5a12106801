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
import { parseHash } from "./state/hash.js";
import { createStore, initialState } from "./state/store.js";
import { mirrorUrl } from "./state/url.js";
import { loadInsights, mountInsights } from "./insights/insights.js";
import {
  bindLanguage,
  classNames,
  language,
  pageText,
  siteLanguage,
  speaks,
  t,
  tNodes,
  useCatalogs,
} from "./ui/i18n.js";
import { createLanguageSwitch } from "./ui/languageSwitch.js";
import { createThemeSwitch } from "./ui/themeSwitch.js";
import { showNotice } from "./ui/notice.js";
import { endScope, subscribe } from "./ui/scope.js";
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
  useCatalogs(payload.i18n);
  const speak = pageText(payload.i18n); // puts the page's static text in the current language
  const linked = parseHash(location.hash).lang; // a link's language comes before the site's
  const samples = decodeSamples(payload);
  const timings = { overviewDrawnMs: null, tfReadyMs: null, lastForwardMs: null, lastRedrawMs: null };
  const store = createStore({ ...initialState(), lang: linked && speaks(linked) ? linked : siteLanguage() });
  bindLanguage(() => store.get().lang); // the store holds the page's language; the words follow it
  if (language() !== siteLanguage()) speak();
  let ui = null; // the parts of the page in the current language (mount below)
  let firstPicture = false;
  let failure = null; // why TF.js could not run, once it is known
  let loaded = null; // the test-set insights (insights.js loadInsights), once the article asks for them
  let loadedInsights = null;
  let articleMounted = null;
  const article = new Promise((resolve) => (articleMounted = resolve)); // resolved once the article is in the page
  // the test-set insights (or null), once the article that holds their sections is mounted and they have loaded
  const insights = new Promise((resolve) => (loadedInsights = resolve));
  // the session first: it publishes the first picture in a microtask after start() returns, once all is subscribed
  const model = readNetwork(payload.spec); // the one reading of the spec: its classes named as the model names them
  const session = createSession({
    payload,
    network: model,
    samples,
    store,
    timings,
    onFirstPicture() {
      timings.overviewDrawnMs = performance.now();
      firstPicture = true;
      setTimeout(() => ui.mountArticle(), 0); // before TF.js loads (its turn comes after this one)
    },
    onFailure(error) {
      failure = error;
      ui.failed();
    },
  });
  const show = (pixels, sample, test) => session.show(pixels, sample, test).catch(() => {});

  /** Build every part of the page that has words, in the current language. */
  function mount() {
    // the same network with its classes in the page's language; the session's keeps the model's own names
    const network = model.named(classNames());
    const overview = createOverview(root, network);
    const prediction = createPredictionLine(
      document.querySelector('[data-testid="prediction"]'),
      byId("prediction-detail"),
      network,
    );
    const picker = createPicker(byId("picker"), network, samples, (index) =>
      show(index === null ? store.get().ownPixels : samples.pixels[index], index),
    );
    createOwnImage(byId("own-image"), network, samples.pixels, (pixels) => session.show(pixels, null), store);
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
    let playground = null;
    let attention = null; // what the model looks at (insights/)
    const { frame, colorMode, ownPixels } = store.get();
    if (ownPixels) picker.setOwn(ownPixels);
    picker.select(store.get().sample, store.get().testIndex);
    if (frame) {
      overview.update({ ...frame, colorMode });
      prediction.update(frame);
    }
    subscribe(store, (state, previous) => {
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
    const colorModeRoot = byId("color-mode");
    if (colorModeRoot) createColorModeSwitch(colorModeRoot, store);
    const languageRoot = byId("language");
    if (languageRoot) createLanguageSwitch(languageRoot, store);
    if (languageRoot) createThemeSwitch(languageRoot);
    // fitted once the controls above it are all built: it takes the height they leave
    const relayout = fitOverview(root, overview, document.querySelector(".controls"), () => byId("own-panel"));
    const parts = {
      network,
      views,
      overview,
      mountArticle() {
        const template = document.querySelector(`template.article-template[data-for="${language()}"]`);
        playground = mountArticle(template, network, session.activations, session.weights, store);
        loaded ??= loadInsights(payload, model); // once: mounted again in each language
        const mounted = mountInsights({ loaded, network, store, session, views, overview, picker, show, timings });
        attention = mounted.attention;
        mounted.insights.then(loadedInsights);
        articleMounted();
        if (store.get().frame?.live) {
          playground?.update();
          attention?.update();
        }
      },
      failed() {
        showNotice(
          failure && failure.message
            ? tNodes("notice.tfFailed.detail", { detail: failure.message })
            : t("notice.tfFailed"),
        );
        picker.limit(session.canShow, t("notice.tfFailed.limit"));
        relayout();
      },
    };
    return parts;
  }

  ui = mount();
  store.subscribe((state, previous) => {
    if (state.lang === previous.lang) return;
    // the page again in the new language: the image, the open view and its window position are in the store
    endScope();
    speak();
    for (const id of ["picker", "own-image", "color-mode", "language"]) byId(id)?.replaceChildren();
    root.replaceChildren();
    ui = mount();
    if (firstPicture) ui.mountArticle();
    if (failure) ui.failed();
  });
  const jumps = followJumps({
    top: document.querySelector(".controls"),
    overview: root,
    showLayer(name) {
      const kind = ui.network.info(name)?.view;
      if (!kind) {
        ui.overview.neuronAt(name, 0)?.focus(); // a layer without a view (flatten): its first neuron in the overview
        return;
      }
      // a class's view opens on the class predicted for the image shown, any other on the layer's first neuron
      const values = ui.network.last.name === name ? session.activations()?.get(name)?.data : null;
      const neuron = values ? argmax(values) : 0;
      ui.views.open(kind, { layer: name, neuron });
    },
  });
  // A link's section is gone to once the article is in the page with the test-set insights that fill some of its
  // sections (they would move it down), at once; unless the history entry has a place of its own to return to (a
  // reload): the browser restores that.
  let linkedSection = typeof history.state?.scrollY === "number" ? null : undefined;
  Promise.all([article, insights]).then(() => {
    if (linkedSection) jumps.goToSection(linkedSection, false, false);
    linkedSection = null;
  });
  mirrorUrl(
    store,
    siteLanguage(),
    (index) => {
      const own = store.get().ownPixels;
      if (index === null && !own) {
        showNotice(t("notice.ownImageLink"));
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
          // the index as the link wrote it (digits only, in every language)
          showNotice(tNodes("notice.noTestImage", { testIndex: String(testIndex) }));
          show(samples.pixels[0], 0);
        }
      });
    },
    (section) => {
      if (linkedSection === null) jumps.goToSection(section);
      else if (linkedSection === undefined) linkedSection = section; // gone to once the article is in the page
    },
  );
  const network = ui.network;

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
    /** The class names, in the page's current language. */
    get classes() {
      return [...classNames()];
    },
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
