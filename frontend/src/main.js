// The page: wires the parts together. It reads window.CNN_EXPLAIN (docs/format.md), and is the only module that
// touches globals: window.explainer is the page's interface for tests and benchmarks (frontend/README.md).

import { createOwnImage } from "./image/ownImage.js";
import { createPicker } from "./image/picker.js";
import { shiftedPixels } from "./image/preprocess.js";
import { decodeSamples } from "./model/payload.js";
import { afterPaint, createSession } from "./model/session.js";
import { editsOf, fits } from "./network/edits.js";
import { readNetwork, specProblem } from "./network/network.js";
import { argmax } from "./network/predictions.js";
import { differences } from "./network/ranges.js";
import { createColorModeSwitch } from "./overview/colorModeSwitch.js";
import { fitOverview } from "./overview/fit.js";
import { createOverview } from "./overview/overview.js";
import { createPredictionLine } from "./overview/prediction.js";
import { createSilenceSwitch } from "./overview/silenceSwitch.js";
import { parseHash } from "./state/hash.js";
import { createStore, initialState } from "./state/store.js";
import { applyEdit, resetEdits } from "./state/editing.js";
import { linkTo, mirrorUrl } from "./state/url.js";
import { decodeMistakes } from "./insights/data.js";
import { describeTestImage } from "./insights/thumbnails.js";
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
import { followTheRoom } from "./ui/classroom.js";
import { showNotice } from "./ui/notice.js";
import { prefersReducedMotion } from "./ui/motion.js";
import { endScope, listen, onScopeEnd, subscribe } from "./ui/scope.js";
import { panelLook } from "./image/ownPanel.js";
import { loadScript, loadStyle } from "./ui/dom.js";
import pageModules from "page-modules";

const byId = (id) => document.getElementById(id);

/** window.CNN_EXPLAIN when the page can read it; else null, having said why in the notice. */
function readPayload() {
  const payload = window.CNN_EXPLAIN;
  if (!payload || !payload.spec || !byId("overview")) {
    showNotice("The explainer's data (data/explainer.js) did not load, so there is nothing to show.");
    return null;
  }
  const problem = specProblem(payload.spec);
  if (problem) {
    showNotice(problem);
    return null;
  }
  return payload;
}

/**
 * The page of `payload`: its state (the store, in the language a link asks for or the site's), the model read once,
 * the samples, the session that computes them, and what the parts built in each language share. The session
 * publishes the first picture in a microtask after start() returns, once every part has subscribed.
 */
function openPage(payload) {
  useCatalogs(payload.i18n);
  const linked = parseHash(location.hash); // a link's language comes before the site's
  const lang = linked.lang && speaks(linked.lang) ? linked.lang : siteLanguage();
  const store = createStore({ ...initialState(), lang, hide: linked.hide, big: linked.big });
  followTheRoom(store); // before the first layout: the parts a link hides, the text it enlarges
  bindLanguage(() => store.get().lang); // the store holds the page's language; the words follow it
  const page = {
    payload,
    store,
    root: byId("overview"),
    speak: pageText(payload.i18n), // puts the page's static text in the current language
    samples: decodeSamples(payload),
    timings: {
      overviewDrawnMs: null,
      overviewPaintedMs: null,
      tfReadyMs: null,
      readyMs: null,
      lastForwardMs: null,
      lastRedrawMs: null,
    },
    model: readNetwork(payload.spec), // the one reading of the spec: its classes named as the model names them
    ui: null, // the parts of the page in the current language (mountParts)
    firstPicture: false,
    failure: null, // why TF.js could not run, once it is known
    loaded: null, // the test-set insights (insights.js loadInsights), once something needs them
    texts: new Map(), // language code -> Promise of its header and article (data/language.<code>.js), or null
    // the mistakes the picker offers (in the payload: they are on the first screen, the other insights are not)
    mistakes: decodeMistakes(payload.mistakes, payload.spec.input.shape),
  };
  /** Promise of the decoded test-set insights, or null: loaded by the first call (the article, a view, a link). */
  page.needInsights = () =>
    (page.loaded ??= page.explore.then(
      ({ loadInsights }) => loadInsights(payload, page.model),
      () => null, // explore.js did not load, as the notice says
    ));
  /** Promise of language `code`'s header and article, or of null when they cannot be read (said on the console). */
  page.text = (code) => {
    if (!page.texts.has(code)) {
      const src = payload.i18n.languages[code]?.text;
      const loaded = src
        ? loadScript(src, () => window.CNN_EXPLAIN_LANGUAGES?.[code]).catch((error) => {
            console.warn(`the page's text in ${code} did not load: ${error.message}`);
            return null;
          })
        : Promise.resolve(null);
      page.texts.set(code, loaded);
    }
    return page.texts.get(code);
  };
  if (language() !== siteLanguage()) {
    const code = language();
    page.text(code).then((text) => language() === code && page.speak(text));
  }
  let articleMounted = null;
  page.article = new Promise((resolve) => (articleMounted = resolve)); // once the article's shell is in the page
  page.articleMounted = articleMounted;
  page.session = createSession({
    payload,
    network: page.model,
    samples: page.samples,
    store,
    timings: page.timings,
    onFirstPicture() {
      page.firstPicture = true;
    },
    onFailure(error) {
      page.failure = error;
      page.ui.failed();
    },
  });
  page.show = (pixels, sample, test) => page.session.show(pixels, sample, test).catch(() => {});
  // the views, the insights and the article (explore.js): a script of their own, asked for once TF.js has computed
  // the image (or could not): run sooner it would hold that up, and on a slow network fetched sooner it would share
  // the bandwidth with the first picture
  page.explore = page.session.ready
    .catch(() => {})
    .then(() => loadScript(payload.explore, () => window.cnnExplain.features.explore));
  page.explore.catch((error) => showNotice(t("notice.exploreFailed", { detail: error.message })));
  // the article below the network then too
  page.explore.then(
    () => page.ui.mountArticle(),
    () => {},
  );
  return page;
}

/**
 * Build every part of `page` that has words, in the current language: {network, overview, views, unfamiliar,
 * mountArticle(), buildArticle(), failed()}. The first picture's parts are built at once; the views, the insights and
 * the unfamiliar note once explore.js has run (views and unfamiliar are null until then).
 */
function mountParts(page) {
  const { store, session, samples, root, show, timings } = page;
  let live = true; // until the page is mounted again in another language
  onScopeEnd(() => (live = false));
  // the same network with its classes in the page's language; the session's keeps the model's own names
  const network = page.model.named(classNames());
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
  followTheEdits(store, network, overview);
  // a test image: shown in the explainer, which comes into sight when `scroll`
  const pick = (image, scroll = false) => {
    show(image.pixels, null, { testIndex: image.testIndex, label: image.label });
    if (scroll) root.scrollIntoView({ behavior: prefersReducedMotion() ? "auto" : "smooth", block: "center" });
  };
  picker.addMistakes(page.mistakes, (image) => describeTestImage(image, network.classes), pick);
  let explored = null; // explore.js's parts: {views, insights}
  let mounted = null; // the article, once its text has loaded (article.js mountArticle)
  let article = null; // Promise of it (of null without its text), once asked for
  followTheImage(store, {
    picker,
    overview,
    prediction,
    update() {
      explored?.views.update();
      mounted?.playground()?.update();
      explored?.insights.attention()?.update();
    },
  });
  const colorModeRoot = byId("color-mode");
  if (colorModeRoot) createColorModeSwitch(colorModeRoot, store);
  const languageRoot = byId("language");
  if (languageRoot) createLanguageSwitch(languageRoot, store);
  if (languageRoot) createThemeSwitch(languageRoot);
  // fitted once the controls above it are all built: it takes the height they leave
  const aside = () => [byId("own-panel"), byId("unfamiliar"), document.querySelector("#own-image .own-error")];
  const relayout = fitOverview(root, overview, document.querySelector(".controls"), aside);
  const ui = {
    network,
    overview,
    views: null,
    unfamiliar: null,
    /** Put the article in the page once its text has loaded and explore.js has run; Promise of it, asked once. */
    mountArticle() {
      article ??= Promise.all([page.explore, page.text(language())]).then(([explore, text]) => {
        if (!live || !text) return null;
        const { activations, weights } = session;
        const onSection = explored.insights.section;
        // each section's parts start from the image shown when the section is built (article.js, insights.js)
        mounted = explore.mountArticle(text, { network, activations, weights, store, onSection });
        page.articleMounted();
        return mounted;
      });
      return article;
    },
    /**
     * Build every section of the article now (a jump measures against them); resolves once what fills them from the
     * insights is in (at once when nothing is loading).
     */
    buildArticle() {
      mounted?.buildAll();
      return page.loaded ?? Promise.resolve();
    },
    failed() {
      const { failure } = page;
      showNotice(
        failure && failure.message
          ? tNodes("notice.tfFailed.detail", { detail: failure.message })
          : t("notice.tfFailed"),
      );
      picker.limit(session.canShow, t("notice.tfFailed.limit"));
      relayout();
    },
  };
  page.explore.then(
    (explore) => {
      if (!live) return;
      const views = explore.createViewHost({
        root,
        overview,
        network,
        store,
        activations: session.activations,
        weights: session.weights,
        ready: session.ready,
        timings,
      });
      const insights = explore.mountInsights({
        insights: page.needInsights,
        network,
        store,
        session,
        views,
        overview,
        pick,
        timings,
      });
      reachingForTheNetwork(root, store, insights.load);
      ui.unfamiliar = explore.createUnfamiliarNote(byId("unfamiliar"), {
        store,
        insights: page.needInsights,
        loaded: () => page.loaded,
        original: session.original,
      });
      ui.views = views;
      explored = { views, insights };
    },
    () => {},
  );
  return ui;
}

/** What if, in the overview: its switches of the channels, and the channels switched off drawn so. */
function followTheEdits(store, network, overview) {
  const offs = (edits) => new Map(network.layers.map((info) => [info.name, editsOf(edits, info.name).silenced]));
  const mark = createSilenceSwitch(overview.stage, {
    silenceable: (layer) => fits(network, { layer, silence: 0 }),
    isOff: (layer, neuron) => editsOf(store.get().edits, layer).silenced.has(neuron),
    toggle(layer, neuron) {
      const off = editsOf(store.get().edits, layer).silenced.has(neuron);
      applyEdit(store, { layer, silence: neuron, on: !off });
    },
  });
  mark(offs(store.get().edits));
  subscribe(store, (state, previous) => state.edits !== previous.edits && mark(offs(state.edits)));
}

/**
 * What the overview draws of `frame` in `colorMode`: in the difference mode, every layer minus what it is compared
 * with (frame.base), or, while there is none yet, the frame itself per block.
 */
function drawnFrame(frame, colorMode) {
  if (colorMode !== "difference") return { ...frame, colorMode };
  if (!frame.base) return { ...frame, colorMode: "block" };
  return { ...frame, activations: differences(frame.activations, frame.base.activations), colorMode };
}

/**
 * Keep the parts in step with the image the store holds: the picker's choice, the overview and the prediction, and
 * with `update()` the open view and the article's live parts.
 */
function followTheImage(store, { picker, overview, prediction, update }) {
  const { frame, colorMode, ownPixels } = store.get();
  if (ownPixels) picker.setOwn(ownPixels);
  picker.select(store.get().sample, store.get().testIndex);
  if (frame) {
    overview.update(drawnFrame(frame, colorMode));
    prediction.update(frame);
  }
  subscribe(store, (state, previous) => {
    if (state.ownPixels !== previous.ownPixels && state.ownPixels) picker.setOwn(state.ownPixels);
    const image = ["sample", "ownPixels", "testIndex"].some((key) => state[key] !== previous[key]);
    if (image) picker.select(state.sample, state.testIndex);
    const { frame, colorMode } = state;
    if (!frame || (frame === previous.frame && colorMode === previous.colorMode)) return;
    overview.update(drawnFrame(frame, colorMode));
    prediction.update(frame);
    if (frame !== previous.frame && frame.live) update();
  });
}

/**
 * Mount the page's parts again whenever its language changes, or the size of its text (state.big): the image, the
 * open view and its window position are in the store.
 */
function followTheLanguage(page) {
  const { store } = page;
  store.subscribe((state, previous) => {
    if (state.lang === previous.lang && state.big === previous.big) return;
    const { lang, big } = state;
    // the language's header and article first (loaded once): the page changes its words all at once
    page.text(lang).then((text) => {
      if (store.get().lang !== lang || store.get().big !== big) return; // changed again meanwhile
      endScope();
      page.speak(text);
      for (const id of ["picker", "own-image", "color-mode", "language"]) byId(id)?.replaceChildren();
      page.root.replaceChildren();
      page.ui = mountParts(page);
      if (page.firstPicture) page.ui.mountArticle();
      if (page.failure) page.ui.failed();
    });
  });
}

/**
 * Ask for the insights (`load()`) when the visitor reaches for the network: points at or focuses it, or opens a
 * view (its top examples and tooltips show them).
 */
function reachingForTheNetwork(root, store, load) {
  listen(root, "pointerover", load, { once: true });
  listen(root, "focusin", load, { once: true });
  if (store.get().view) load();
  subscribe(store, (state) => state.view && load());
}

/**
 * Print the whole handout from Ctrl+P or Cmd+P: the article built and the insights that fill it loaded first (a
 * print from the browser's menu gets what beforeprint can build at once: every section, and the test-set figures
 * once something has asked for them).
 */
function printWhole(page) {
  window.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== "p" || !page.ui) return;
    event.preventDefault();
    // the article comes once TF.js has computed the image (it would slow that down), with its text and explore.js
    page.session.ready
      .catch(() => {})
      .then(() => page.ui.mountArticle())
      .then(() => Promise.all([page.ui.buildArticle(), page.needInsights()]))
      .catch(() => {}) // printed without what could not load
      .then(afterPaint)
      .then(() => window.print());
  });
}

/**
 * Handle the jumps between the article and the network (article.js, once explore.js has run): {goToSection(...)},
 * followJumps's, called once it is there.
 */
function followTheReader(page) {
  // null when explore.js did not load, as the notice says
  const jumps = page.explore.then(
    ({ followJumps }) =>
      followJumps({
        top: document.querySelector(".controls"),
        prepare: () => page.ui.buildArticle(),
        overview: page.root,
        linkTo: (section) => linkTo({ ...page.store.get(), section }, siteLanguage()),
        compareShifted: (n) => compareShifted(page, n),
        showLayer(name) {
          const { network, overview, views } = page.ui;
          const kind = network.info(name)?.view;
          if (!kind) {
            overview.neuronAt(name, 0)?.focus(); // a layer without a view (flatten): its first neuron in the overview
            return;
          }
          // a class's view opens on the class predicted for the image shown, any other on the layer's first neuron
          const values = network.last.name === name ? page.session.activations()?.get(name)?.data : null;
          views.open(kind, { layer: name, neuron: values ? argmax(values) : 0 });
        },
      }),
    () => null,
  );
  return { goToSection: (...args) => jumps.then((found) => found?.goToSection(...args)) };
}

/**
 * Keep the address in step with `page`'s state and act on what a link asks for (state/url.js): its sample, its test
 * image (once the insights have loaded), its article section (with `jumps`, once the article and the insights that
 * fill it are in the page; unless the history entry has a place of its own to return to, a reload, which the browser
 * restores).
 */
function followTheAddress(page, jumps) {
  const { store, samples, session, show } = page;
  let linkedSection = typeof history.state?.scrollY === "number" ? null : undefined;
  page.article.then(() => {
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
      page.needInsights().then((decoded) => {
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
      else if (linkedSection === undefined) {
        linkedSection = section; // gone to once the article is in the page,
        page.needInsights(); // with the insights that fill its sections, loaded meanwhile
      }
    },
  );
}

/** window.explainer: the page's interface for tests and benchmarks (frontend/README.md). */
function explainerInterface(page) {
  const { session, samples, store, timings } = page;
  const network = page.model;
  // a class index such as 1.5 or undefined would pick no class, or another, and the answer would look like one
  const checkClass = (index) => {
    if (!(Number.isInteger(index) && index >= 0 && index < network.classes.length))
      throw new Error(`no class ${index}: classes are 0 to ${network.classes.length - 1}`);
    return index;
  };
  // TF.js has computed the image, and the views can open (explore.js has run); a failure is the page's to say
  const ready = session.ready.then(() => page.explore).then(() => {});
  ready.catch(() => {});
  return {
    ready,
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
    /**
     * The kernel and bias of conv or dense layer `name` as TF.js holds them: {kernel: {shape, data}, bias}; without a
     * name, those of every layer that has them, by name (Keras's layout: the weights in force, trained or shipped).
     */
    weights(name) {
      if (name !== undefined) return session.weights(name);
      const all = {};
      for (const info of network.layers) {
        if (info.layer.kind === "conv" || info.layer.kind === "dense" || info.layer.kind === "depthwise") {
          all[info.name] = session.weights(info.name);
        }
      }
      return all;
    },
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
    insights: () => page.needInsights(),
    /** Whether the image shown is unlike the training images: Promise of {score, threshold, unfamiliar} or null. */
    unfamiliar: () => page.explore.then(() => page.ui.unfamiliar.judge()),
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
    ...whatIfInterface(page),
  };
}

/** The what-if part of window.explainer (frontend/README.md): edits, the trained network's values, comparison. */
function whatIfInterface(page) {
  const { session, store } = page;
  const network = page.model;
  const change = (edit) => {
    if (!fits(network, edit)) return Promise.reject(new Error(`no such weight or channel: ${JSON.stringify(edit)}`));
    applyEdit(store, edit);
    return session.settled();
  };
  return {
    /** Set value `index` (flat, row-major) of layer `name`'s Keras weight `weight`; resolves once recomputed. */
    setWeight: (name, index, value, weight = "kernel") => change({ layer: name, weight, index, value }),
    /** Set the bias of channel `channel` of layer `name`; resolves once recomputed. */
    setBias: (name, channel, value) => change({ layer: name, weight: "bias", index: channel, value }),
    /** Switch channel `channel` of layer `name` off (`on` true) or on again; resolves once recomputed. */
    silence: (name, channel, on = true) => change({ layer: name, silence: channel, on }),
    /** Back to the trained network; resolves once recomputed. */
    resetEdits() {
      resetEdits(store);
      return session.settled();
    },
    /** The edits in force: [{layer, weight, index, value} or {layer, silence}]. */
    edits: () => structuredClone(store.get().edits),
    /** Every value of layer `name` for the current image in the trained network, without the edits: {shape, data}. */
    originalActivations(name) {
      const tensor = session.original().get(name);
      if (!tensor) throw new Error(`no layer named ${name}`);
      return { shape: [...tensor.shape], data: tensor.data };
    },
    /** Pin the current image as A, to compare the next ones (B) with it; resolves once recomputed. */
    pin() {
      pinImage(page);
      return session.settled();
    },
    /** Compare A (pinned, or the image shown) with itself moved `n` pixels to the right; resolves once drawn. */
    compareShifted: (n) => compareShifted(page, n),
    /** Stop comparing; resolves once recomputed. */
    unpin() {
      store.set({ pinned: null });
      return session.settled();
    },
    /** null, or the images compared: {a, b}, each a sample index, or null for an image of the visitor's own. */
    comparison() {
      const { pinned, sample } = store.get();
      return pinned && { a: pinned.sample, b: sample };
    },
  };
}

/**
 * Promise of [the module of feature `name` (window.cnnExplain.features[name]), its stylesheet loaded]: its script
 * and style (`feature`, the payload's {script, style}), loaded once TF.js has computed the image.
 */
function loadFeature(session, feature, name) {
  return session.ready.then(() =>
    Promise.all([loadScript(feature.script, () => window.cnnExplain.features[name]), loadStyle(feature.style)]),
  );
}

/**
 * Offer the guided tour (tour/tour.js, a feature loaded when asked for: the button "Start here", or a link with
 * tour=N): once asked, and once TF.js has computed the image, its script loads and the tour starts on the page.
 */
function offerTheTour(page, jumps) {
  const { store, payload, session, samples } = page;
  const feature = payload.features?.tour; // {script, style}
  const button = document.querySelector('[data-testid="tour-start"]');
  if (!feature) {
    button?.remove();
    return;
  }
  button?.addEventListener("click", () => store.set({ tour: store.get().tour ?? 0 }));
  let loading = null;
  const load = () =>
    (loading ??= loadFeature(session, feature, "tour")
      .then(([{ startTour }]) =>
        startTour({
          store,
          session,
          insights: page.needInsights(),
          network: () => page.ui.network,
          show: (pixels, sample, test) => session.show(pixels, sample, test),
          showSample: (index) => session.show(samples.pixels[index], index),
          showTest: (testIndex) =>
            page.needInsights().then((decoded) => {
              const image = decoded?.pool.byTestIndex(testIndex);
              return image && session.show(image.pixels, null, { testIndex, label: image.label });
            }),
          goToSection: (name) => jumps.goToSection(name, true),
          lightOnDark: panelLook(page.model.input, samples.pixels).lightOnDark,
        }),
      )
      .catch((error) => console.warn(`the tour did not load: ${error.message}`)));
  if (store.get().tour !== null) load();
  store.subscribe((state) => state.tour !== null && load());
}

/** Pin the image shown as A, to compare the next ones (B) with it: the pinned image ({pixels, label, sample, testIndex}). */
function pinImage({ store, session }) {
  const { sample, testIndex } = store.get();
  const { pixels, label } = session.image();
  const pinned = { pixels, label, sample, testIndex };
  store.set({ pinned });
  return pinned;
}

/**
 * Compare A (the pinned image, or the one shown, pinned now) with itself moved `n` pixels to the right, every layer
 * as its difference: the seed article's point that pooling forgives small shifts. Resolves once it is drawn.
 */
function compareShifted(page, n) {
  const { store, session } = page;
  const a = store.get().pinned ?? pinImage(page);
  store.set({ colorMode: "difference" });
  return session.show(shiftedPixels(a.pixels, page.model.input.shape, n, 0), null);
}

/**
 * Offer what if: the button that pins the image shown as A, and the bar (whatif/whatif.js, a feature loaded when it
 * is first needed: an edit, a pinned image) that says what is edited or compared.
 */
function offerWhatIf(page) {
  const { store, payload, session } = page;
  document.querySelector('[data-testid="pin"]')?.addEventListener("click", () => pinImage(page));
  const feature = payload.features?.whatif;
  if (!feature) return;
  let loading = null;
  const needed = (state) => state.edits.length > 0 || state.pinned !== null;
  const load = () =>
    (loading ??= loadFeature(session, feature, "whatif")
      .then(([{ startWhatIf }]) =>
        startWhatIf({ store, network: () => page.ui.network, compareShifted: (n) => compareShifted(page, n) }),
      )
      .catch((error) => console.warn(`what if did not load: ${error.message}`)));
  if (needed(store.get())) load();
  store.subscribe((state) => needed(state) && load());
}

/**
 * Offer "Train it yourself" (training/training.js, a feature loaded when the panel first opens or a script trains):
 * returns its part of window.explainer (frontend/README.md): train, useTrained, useShipped.
 */
function offerTraining(page) {
  const { store, payload, session } = page;
  const feature = payload.features?.training;
  const button = document.querySelector('[data-testid="train-open"]');
  if (!feature) {
    button?.remove();
    return {};
  }
  let loading = null;
  const load = () =>
    (loading ??= loadFeature(session, feature, "training").then(([{ startTraining }]) =>
      startTraining({
        store,
        session,
        network: () => page.ui.network,
        training: payload.training,
        root: byId("training"),
      }),
    ));
  button?.addEventListener("click", () =>
    load()
      .then((panel) => panel.open())
      .catch((error) => showNotice(t("train.unavailable", { reason: error.message }))),
  );
  return {
    /** Train a fresh copy of the network in the page: Promise of {history, heldOutAccuracy, heldOut}. */
    train: (settings) => load().then((panel) => panel.open().then(() => panel.train(settings))),
    /** Put the weights after epoch `epoch` (from 1) of the last run in place of the shipped ones (Promise). */
    useTrained: (epoch) => load().then((panel) => panel.useTrained(epoch)),
    /** The shipped weights again (Promise). */
    useShipped: () => load().then((panel) => panel.useShipped()),
  };
}

/** The page, from its payload to window.explainer: each step a function above. */
function start() {
  const payload = readPayload();
  if (!payload) return null;
  window.cnnExplain = { modules: pageModules, features: {} }; // what the features loaded later run on (build.mjs)
  const page = openPage(payload);
  page.ui = mountParts(page);
  followTheLanguage(page);
  const jumps = followTheReader(page);
  followTheAddress(page, jumps);
  printWhole(page);
  offerTheTour(page, jumps);
  offerWhatIf(page);
  return Object.assign(explainerInterface(page), offerTraining(page)); // not a spread: it keeps the getters
}

window.explainer = start();
