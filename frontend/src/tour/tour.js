// The guided tour, loaded when asked for (dist/tour.js, a feature bundle: build.mjs): a panel that walks a beginner
// through the real network for the image on screen, one stop at a time (stops.js). Each stop puts the page into a
// real state (the image, an open view and its window), says in a few sentences what to look at, and a question asks
// the learner to think first: the answer on the page stays hidden until a choice is clicked. The stop is state.tour,
// which the URL hash mirrors (tour=N), so a teacher can link to a stop. Built once, it follows the page's language.

import { hides } from "../ui/classroom.js";
import { drawImage } from "../ui/heatmap.js";
import { el, iconButton, textEl } from "../ui/dom.js";
import { formatNumber } from "../ui/format.js";
import { classNames, t, tNodes } from "../ui/i18n.js";
import { prefersReducedMotion } from "../ui/motion.js";
import {
  activationQuestion,
  EXAMPLE_CHOICES,
  classQuestion,
  examplesQuestion,
  fieldOf,
  liveliestChannel,
  poolingQuestion,
  sizeQuestion,
  tourPlan,
  unfamiliarImage,
  windowQuestion,
} from "./stops.js";

const ANSWER_HIDDEN = "tour-hides"; // the <html> class of a stop whose answer the page must not show yet

/** What the image shown is, to show it again: the sample, the test image or the visitor's own pixels. */
function imageShown(store) {
  const { sample, testIndex, ownPixels } = store.get();
  return { sample, testIndex, ownPixels };
}

/** The stop's view (state.view) for the network on screen, with its question's element under the window. */
function viewOf(stop, network, content) {
  const q = content.question;
  switch (stop.id) {
    case "input":
    case "window": {
      const layer = network.layer(stop.layer);
      const pos = [q.row, q.col];
      // with one input channel, the window's arithmetic is open: nine products to add up, and the bias
      const channel = stop.id === "window" && layer.input_shape[2] === 1 ? { channel: 0 } : {};
      return { kind: "conv", layer: stop.layer, neuron: q.neuron, pos, ...channel };
    }
    case "map":
      return { kind: "conv", layer: stop.layer, neuron: content.neuron };
    case "activation":
      return { kind: "activation", layer: stop.layer, neuron: q.neuron, pos: [q.row, q.col] };
    case "pooling":
      return { kind: "pool", layer: stop.layer, neuron: q.neuron, pos: [q.row, q.col] };
    case "field":
    case "examples": {
      const kind = network.info(stop.layer).view;
      return { kind, layer: stop.layer, neuron: content.neuron, pos: content.pos };
    }
    case "softmax":
      return { kind: "softmax", layer: stop.layer, neuron: content.predicted };
    default:
      return null;
  }
}

/** Whether images `a` and `b` (imageShown) are the same. */
function sameImage(a, b) {
  return a.sample === b.sample && a.testIndex === b.testIndex && a.ownPixels === b.ownPixels;
}

/** Show the image `stop` is about: the model's mistake, a picture of nothing it knows, or the one the tour began on. */
async function showImage(tour, stop) {
  const { page, store, insights, started } = tour;
  if (stop.id === "mistake") {
    const image = insights.pool.image(insights.mistakes[0]);
    if (store.get().testIndex !== image.testIndex) await page.showTest(image.testIndex);
  } else if (stop.id === "unfamiliar") {
    await page.show(unfamiliarImage(page.network().input.shape, page.lightOnDark), null);
  } else if (!sameImage(imageShown(store), started)) {
    if (started.testIndex !== null && started.testIndex !== undefined) await page.showTest(started.testIndex);
    else if (started.sample === null) await page.show(started.ownPixels, null);
    else await page.showSample(started.sample);
  }
}

/** The numbers and question of `stop` for the frame TF.js computed last. */
async function contentOf(tour, stop) {
  const { page, session, store, plan, insights } = tour;
  const network = page.network();
  const activations = session.activations();
  const probabilities = store.get().frame.probabilities;
  const predicted = probabilities.indexOf(Math.max(...probabilities));
  const base = { predicted, percent: (100 * probabilities[predicted]).toFixed(1) };
  switch (stop.id) {
    case "input":
    case "window": {
      const layer = network.layer(stop.layer);
      const question = windowQuestion(layer, activations, session.weights(stop.layer).bias?.data ?? null);
      return { ...base, question: stop.id === "window" ? question : { ...question, hidden: true } };
    }
    case "map":
      return { ...base, neuron: liveliestChannel(activations.get(stop.layer)) };
    case "activation":
      return { ...base, question: activationQuestion(network.layer(stop.layer), activations) };
    case "pooling":
      return { ...base, question: poolingQuestion(network.layer(stop.layer), activations) };
    case "size":
      return { ...base, question: sizeQuestion(network.layer(stop.layer)) };
    case "field": {
      const field = fieldOf(network, stop.layer, plan.find((s) => s.id === "window").layer);
      const neuron = liveliestChannel(activations.get(stop.layer));
      return { ...base, field, neuron, pos: [field.row, field.col] };
    }
    case "examples":
      return { ...base, ...(await examplesContent(tour, stop, activations)) };
    case "scores":
      return { ...base, question: classQuestion(probabilities) };
    case "mistake":
      return { ...base, truth: insights.pool.image(insights.mistakes[0]).label };
    default:
      return base;
  }
}

/** The examples question: the channel's top test image among others of the pool, each measured by TF.js. */
async function examplesContent({ session, insights }, stop, activations) {
  const neuron = liveliestChannel(activations.get(stop.layer));
  const top = insights.examples(stop.layer, neuron)?.[0];
  const pool = Array.from({ length: insights.pool.count }, (_, ref) => insights.pool.image(ref));
  const others = pool
    .filter((image) => image.ref !== top?.ref)
    .filter((_, i, all) => i % Math.max(1, Math.floor(all.length / 7)) === 0);
  const images = [insights.pool.image(top.ref), ...others.slice(0, EXAMPLE_CHOICES - 1)];
  const candidates = [];
  for (const image of images) {
    const layers = await session.evaluate(image.pixels);
    const t = layers.get(stop.layer);
    const channels = t.shape.at(-1);
    let value = -Infinity;
    for (let i = neuron; i < t.data.length; i += channels) value = Math.max(value, t.data[i]);
    candidates.push({ testIndex: image.testIndex, value, image });
  }
  const question = examplesQuestion(stop.layer, neuron, candidates);
  for (const choice of question.choices) choice.image = candidates.find((c) => c.testIndex === choice.value).image;
  return { neuron, pos: null, question };
}

/** Put the page into `stop`'s state: its view, and the answer on the page hidden until the question is answered. */
function applyState(tour, stop, content) {
  const view = viewOf(stop, tour.page.network(), content);
  tour.store.set({ view });
  if (!view && stop.id !== "purpose") showNetwork(stop.id === "size" ? stop.layer : tour.page.network().last.name);
  const quiz = content.question && !content.question.hidden && !tour.revealed;
  document.documentElement.classList.toggle(ANSWER_HIDDEN, Boolean(quiz));
  document.documentElement.dataset.tourQuiz = quiz ? stop.id : "";
}

/**
 * Bring the overview up to the top of the window, unless its top is in the upper part of it already, and the column of
 * layer `name` into its middle where the network is wider than the window (a phone).
 */
function showNetwork(name) {
  const overview = document.getElementById("overview");
  if (!overview) return;
  const behavior = prefersReducedMotion() ? "auto" : "smooth";
  const top = overview.getBoundingClientRect().top;
  if (top < 0 || top >= window.innerHeight * 0.4) overview.scrollIntoView({ block: "start", behavior });
  const label = [...overview.querySelectorAll(".ov-label")].find((node) => node.dataset.column === name);
  if (label && overview.scrollWidth > overview.clientWidth)
    overview.scrollTo({ left: label.offsetLeft - (overview.clientWidth - label.offsetWidth) / 2, behavior });
}

/** Go to stop `index`: its image, its numbers, its state, its words; unless another stop was asked for meanwhile. */
async function go(tour, index) {
  const token = ++tour.generation;
  tour.step = index;
  tour.revealed = false;
  const stop = tour.plan[index];
  const { panel } = tour;
  Object.assign(panel.dataset, { step: String(index), steps: String(tour.plan.length), stop: stop.id });
  panel.setAttribute("aria-busy", "true");
  await showImage(tour, stop);
  if (token !== tour.generation) return;
  const content = await contentOf(tour, stop);
  if (token !== tour.generation) return;
  applyState(tour, stop, content);
  render(tour, stop, content);
  panel.setAttribute("aria-busy", "false");
  if (stop.id === "next" || index === 0) panel.focus({ preventScroll: true });
}

/** The panel's words for `stop`: where the tour is, the title, the text, the question and the way on. */
function render(tour, stop, content) {
  const { panel, plan, step, store } = tour;
  const network = tour.page.network();
  const values = wordsOf(stop, content, network);
  const head = el("div", "tour-head");
  const progress = textEl("span", "tour-progress", t("tour.progress", { step: step + 1, count: plan.length }), head);
  progress.setAttribute("aria-live", "polite");
  const close = iconButton("close", t("tour.close"), head);
  close.classList.add("tour-close");
  close.addEventListener("click", () => store.set({ tour: null }));
  const dots = el("ol", "tour-dots", head);
  dots.setAttribute("aria-hidden", "true");
  plan.forEach((_, i) => el("li", i === step ? "is-current" : i < step ? "is-done" : "", dots));
  const title = textEl("h2", "tour-title", t(`tour.${stop.id}.title`, values));
  const text = el("p", "tour-text");
  text.append(tNodes(`tour.${stop.id}.text`, values));
  const body = [head, title, text];
  if (content.question && !content.question.hidden) body.push(questionOf(tour, stop, content.question, values));
  if (stop.id === "next") body.push(...nextLinks(tour));
  body.push(navigation(tour));
  panel.replaceChildren(...body);
  panel.setAttribute("aria-label", t("tour.label", { step: step + 1, count: plan.length }));
}

/** The values the stop's words take. */
function wordsOf(stop, content, network) {
  const names = classNames();
  const [height, width, channels] = network.input.shape;
  const values = {
    name: network.name,
    count: network.classes.length,
    height,
    width,
    channels,
    divisor: formatNumber(network.input.pixelDivisor),
    prediction: names[content.predicted],
    percent: content.percent,
    layer: stop.layer ?? "",
  };
  const q = content.question;
  if (q?.neuron !== undefined) values.neuron = q.neuron;
  if (content.neuron !== undefined) values.neuron = content.neuron;
  const layer = stop.layer === undefined ? null : network.layer(stop.layer);
  if (stop.id === "input" || stop.id === "window" || stop.id === "map")
    Object.assign(values, { kh: layer.kernel_size[0], kw: layer.kernel_size[1] });
  if (q?.row !== undefined) Object.assign(values, { row: q.row, col: q.col });
  if (stop.id === "activation") Object.assign(values, { x: formatNumber(q.x), function: layer.function });
  if (stop.id === "pooling") {
    const [ph, pw] = layer.pool_size;
    Object.assign(values, { dropped: Math.round(q.dropped * 100), ph, pw });
  }
  if (stop.id === "size") Object.assign(values, { input: layer.input_shape.join("×") });
  if (stop.id === "field") Object.assign(values, content.field);
  if (stop.id === "mistake") Object.assign(values, { truth: names[content.truth] });
  return values;
}

/** Question `q` of `stop` (the testing contract's tour-question), with a button per choice. */
function questionOf(tour, stop, q, values) {
  const box = el("div", "tour-question");
  box.dataset.testid = "tour-question";
  box.dataset.kind = q.kind;
  if (q.layer !== undefined) box.dataset.layer = q.layer;
  if (q.neuron !== undefined) box.dataset.neuron = String(q.neuron);
  if (q.row !== undefined) Object.assign(box.dataset, { row: String(q.row), col: String(q.col) });
  textEl("p", "tour-ask", t(`tour.${stop.id}.ask`, values), box);
  const list = el("div", "tour-choices", box);
  list.setAttribute("role", "group");
  const hint = el("p", "tour-hint", box);
  hint.setAttribute("aria-live", "polite");
  for (const choice of q.choices) {
    const button = el("button", "tour-choice", list);
    button.type = "button";
    button.dataset.testid = "tour-choice";
    button.dataset.value = String(choice.value);
    if (choice.correct) button.dataset.correct = "true";
    button.append(choiceLabel(q, choice, tour.page.network()));
    button.addEventListener("click", () => answer(tour, { stop, q, choice, button, box, hint, values }));
  }
  return box;
}

/** What a choice shows: a class's name, a size, a test image or a number. */
function choiceLabel(q, choice, network) {
  if (q.kind === "class") return document.createTextNode(classNames()[choice.value]);
  if (q.kind === "size") return document.createTextNode(choice.value.split(",").join(" × "));
  if (q.kind === "examples") {
    const canvas = document.createElement("canvas");
    const [h, w, c] = network.input.shape;
    canvas.width = w;
    canvas.height = h;
    drawImage(canvas, choice.image.pixels, h, w, c);
    canvas.setAttribute("aria-label", t("tour.examples.choice", { testIndex: String(choice.value) }));
    return canvas;
  }
  return document.createTextNode(formatNumber(choice.value));
}

/** A click on a choice: a wrong one gets a hint; the right one shows the answer, in the panel and on the page. */
function answer(tour, { stop, q, choice, button, box, hint, values }) {
  if (!choice.correct) {
    button.classList.add("is-wrong");
    button.disabled = true;
    hint.textContent = t(`tour.${stop.id}.hint`, values);
    return;
  }
  tour.revealed = true;
  button.classList.add("is-right");
  for (const other of box.querySelectorAll(".tour-choice")) other.disabled = true;
  document.documentElement.classList.remove(ANSWER_HIDDEN);
  document.documentElement.dataset.tourQuiz = "";
  hint.replaceChildren();
  const reveal = el("p", "tour-reveal");
  reveal.dataset.testid = "tour-reveal";
  const network = tour.page.network();
  const shown = q.kind === "class" ? classNames()[choice.value] : choiceLabel(q, choice, network).textContent;
  reveal.append(tNodes(`tour.${stop.id}.reveal`, { ...values, answer: shown ?? "" }));
  box.append(reveal);
  if (stop.id === "scores")
    tour.store.set({
      view: { kind: "output", layer: network.classifier?.dense.name ?? stop.layer, neuron: choice.value },
    });
}

/** The ways on from the last stop, those the page does not hide: [words, list], or none. */
function nextLinks({ page, store }) {
  const list = el("ul", "tour-links");
  const shown = (...parts) => !parts.some((part) => hides(store, part));
  const ways = [
    ["tour.next.article", () => page.goToSection("cnn"), shown("article")],
    [
      "tour.next.playground",
      () => page.goToSection("hyperparameters"),
      shown("article", "playground") && document.getElementById("playground"),
    ],
    ["tour.next.own", () => document.getElementById("own-image")?.querySelector("button")?.click(), shown("upload")],
  ];
  for (const [key, action] of ways.filter(([, , offered]) => offered)) {
    const button = textEl("button", "tour-link", t(key), el("li", "", list));
    button.type = "button";
    button.addEventListener("click", () => {
      store.set({ tour: null });
      action();
    });
  }
  if (!list.children.length) return [];
  return [textEl("p", "tour-text", t("tour.next.more")), list];
}

/** Back and Next (Finish at the last stop). */
function navigation({ store, step, plan }) {
  const nav = el("div", "tour-nav");
  const back = textEl("button", "tour-back", t("tour.back"), nav);
  back.type = "button";
  back.dataset.testid = "tour-back";
  back.disabled = step === 0;
  back.addEventListener("click", () => store.set({ tour: step - 1 }));
  const last = step === plan.length - 1;
  const next = textEl("button", "tour-next", t(last ? "tour.finish" : "tour.next"), nav);
  next.type = "button";
  next.dataset.testid = "tour-next";
  next.addEventListener("click", () => store.set({ tour: last ? null : step + 1 }));
  return nav;
}

/** ← and → move between stops (outside the views' and the page's own controls); Esc in the panel closes it. */
function onKey(tour, event) {
  const { store, panel, step, plan } = tour;
  if (store.get().tour === null || event.defaultPrevented || !plan) return;
  const inPanel = panel.contains(event.target);
  const free = event.target === document.body || inPanel;
  if (event.key === "Escape" && inPanel) {
    event.preventDefault();
    event.stopPropagation();
    store.set({ tour: null });
  } else if (free && event.key === "ArrowRight" && step < plan.length - 1) {
    event.preventDefault();
    store.set({ tour: step + 1 });
  } else if (free && event.key === "ArrowLeft" && step > 0) {
    event.preventDefault();
    store.set({ tour: step - 1 });
  }
}

/** Open the tour at stop `index` (kept within the plan: the address is corrected otherwise). */
async function open(tour, index) {
  const { page, store } = tour;
  tour.insights ??= await page.insights;
  // a class whose teacher hid the insights (classroom mode) skips the stops about the test images
  tour.plan ??= tourPlan(page.network(), hides(store, "insights") ? null : tour.insights);
  tour.started ??= imageShown(store);
  const clamped = Math.max(0, Math.min(index, tour.plan.length - 1));
  if (clamped !== index) {
    store.set({ tour: clamped });
    return;
  }
  tour.panel.hidden = false;
  document.documentElement.classList.add("has-tour");
  await go(tour, clamped);
}

function close(tour) {
  tour.generation++;
  tour.panel.hidden = true;
  tour.started = null;
  document.documentElement.classList.remove(ANSWER_HIDDEN, "has-tour");
  document.documentElement.dataset.tourQuiz = "";
}

/**
 * The guided tour over `page` (main.js): {store, network() (the network named in the page's language), session,
 * insights (Promise), show(pixels, sample, test?), showSample(index), showTest(testIndex), goToSection(name),
 * lightOnDark}. It follows state.tour: opened, moved and closed by the store (and so by the address).
 */
export function startTour(page) {
  const panel = el("aside", "tour");
  panel.dataset.testid = "tour-step";
  panel.setAttribute("role", "region");
  panel.tabIndex = -1;
  panel.hidden = true; // until its first stop is ready (the insights it asks about may still be loading)
  if (prefersReducedMotion()) panel.classList.add("is-still");
  document.body.append(panel);
  // plan: the stops (stops.js tourPlan); started: the image shown when the tour opened, which the stops about "the
  // image" show again; generation counts the stops asked for, so that only the last one asked is shown
  const tour = { page, store: page.store, session: page.session, panel, plan: null, insights: null, started: null };
  Object.assign(tour, { step: null, generation: 0, revealed: false });
  document.addEventListener("keydown", (event) => onKey(tour, event), true);
  page.store.subscribe((state, previous) => {
    if (state.tour !== previous.tour) {
      if (state.tour === null) close(tour);
      else open(tour, state.tour);
    } else if (state.lang !== previous.lang && state.tour !== null && tour.plan) go(tour, tour.step);
  });
  if (page.store.get().tour !== null) open(tour, page.store.get().tour);
}

// The page that loaded this script starts the tour with it (main.js): the feature's one way in.
window.cnnExplain.features.tour = { startTour };
