// Train it yourself (a feature bundle, dist/training.js, loaded when the visitor opens the panel or a script calls
// explainer.train): a fresh copy of the network, from random weights, learns from the site's own training images in a
// Web Worker (worker.js) while the panel draws the loss, the accuracy, the first layer's kernels and the image's
// prediction; after each epoch the weights are kept, and "Explain this network" puts them in place of the shipped
// ones for every part of the page. The images come from data/training.js (builder/training.py).

import workerSource from "training-worker";
import { createHeatmapCanvas, drawHeatmap } from "../ui/heatmap.js";
import { divergingLut } from "../ui/colors.js";
import { el, loadScript, textEl } from "../ui/dom.js";
import { addMessages, t } from "../ui/i18n.js";
import { createConfusion } from "../insights/confusion.js";
import { createDriver } from "./driver.js";
import { DEFAULTS } from "./trainer.js";

const SVG = "http://www.w3.org/2000/svg";
const STOP = { type: "stop" };
const RESET = "training-reset"; // a run's Promise rejects with it when a new run or Reset replaces the run
const CHOICES = {
  images: [500, 1000, 2000, 3000],
  epochs: [1, 2, 3, 5],
  learningRate: [1e-3, 3e-3, 1e-2],
  batchSize: [16, 32, 64],
};

/** A worker running worker.js, its messages to `onMessage`, or null where the page cannot start one. */
function startWorker(onMessage) {
  try {
    const url = URL.createObjectURL(new Blob([workerSource], { type: "text/javascript" }));
    const worker = new Worker(url);
    worker.onmessage = onMessage;
    return worker;
  } catch {
    return null; // no Worker in this browser, or a policy that forbids one
  }
}

/** A worker's stand-in on the page's own thread (driver.js, a batch per task), where no worker can start. */
function inPage(onMessage) {
  let receive = createDriver((message) => onMessage({ data: message }));
  return {
    postMessage: (message) => receive(message),
    terminate() {
      receive(STOP);
      receive = () => {};
    },
  };
}

/** Put message `key` with `values` in `node`, marked so that the language switch says it again (ui/i18n.js relabel). */
function say(node, key, values = {}) {
  node.textContent = t(key, values);
  node.dataset.i18n = key;
  for (const [name, value] of Object.entries(values))
    node.dataset[`i18n${name[0].toUpperCase()}${name.slice(1)}`] = value;
  return node;
}

function select(parent, name, values, chosen, format = String) {
  const label = el("label", "train-setting", parent);
  say(el("span", "", label), `train.${name}`);
  const node = el("select", "", label);
  node.dataset.setting = name;
  for (const value of values) {
    const option = textEl("option", "", format(value), node);
    option.value = String(value);
    option.selected = value === chosen;
  }
  return node;
}

/** The points of `values` (each a y, at x its index, or [x, y]) for x in [0, count - 1], y in [0, top], on 240 x 90. */
function polyline(values, count, top) {
  const [width, height] = [240, 90];
  const n = Math.max(count - 1, 1);
  return values
    .map((v, i) => (Array.isArray(v) ? v : [i, v]))
    .map(([x, y]) => `${((x / n) * width).toFixed(1)},${(height - (Math.min(y, top) / top) * height).toFixed(1)}`)
    .join(" ");
}

/** The panel's parts: settings, buttons, progress, the curves, the kernels, the epochs and what to do with them. */
function buildPanel(root, available) {
  root.replaceChildren();
  say(el("h2", "train-title", root), "train.title");
  say(el("p", "train-lead", root), "train.lead", { images: available });
  const settings = el("div", "train-settings", root);
  const fewer = CHOICES.images.filter((n) => n < available);
  const images = fewer.length < CHOICES.images.length ? [...fewer, available] : fewer; // every image, when fewer
  const fields = {
    images: select(settings, "images", images, Math.min(DEFAULTS.images, images.at(-1))),
    epochs: select(settings, "epochs", CHOICES.epochs, DEFAULTS.epochs),
    learningRate: select(settings, "learningRate", CHOICES.learningRate, DEFAULTS.learningRate),
    batchSize: select(settings, "batchSize", CHOICES.batchSize, DEFAULTS.batchSize),
  };
  const seedLabel = el("label", "train-setting", settings);
  say(el("span", "", seedLabel), "train.seed");
  fields.seed = el("input", "", seedLabel);
  Object.assign(fields.seed, { type: "number", min: 0, max: 9999, value: String(DEFAULTS.seed) });
  const buttons = el("div", "train-buttons", root);
  const button = (key, testid) => {
    const node = say(el("button", "train-button", buttons), key);
    node.type = "button";
    node.dataset.testid = testid;
    return node;
  };
  const parts = { fields, start: button("train.start", "train-start"), pause: button("train.pause", "train-pause") };
  parts.reset = button("train.reset", "train-reset");
  parts.status = say(el("p", "train-status", root), "train.ready");
  parts.status.setAttribute("aria-live", "polite");
  const figures = el("div", "train-figures", root);
  const curve = el("figure", "train-curve", figures);
  parts.curve = document.createElementNS(SVG, "svg");
  parts.curve.setAttribute("viewBox", "0 0 240 90");
  parts.curve.setAttribute("role", "img");
  for (const name of ["train-loss", "train-val"]) {
    const line = document.createElementNS(SVG, "polyline");
    line.setAttribute("class", name);
    parts.curve.appendChild(line);
  }
  curve.appendChild(parts.curve);
  parts.curve.setAttribute("aria-label", t("train.curve"));
  say(el("figcaption", "", curve), "train.curve");
  const kernels = el("figure", "train-kernels", figures);
  parts.kernels = el("div", "train-kernel-grid", kernels);
  say(el("figcaption", "", kernels), "train.kernels");
  parts.image = textEl("p", "train-image", "", root);
  const epochs = el("div", "train-epochs", root);
  const sliderLabel = el("label", "train-setting", epochs);
  parts.epochLabel = say(el("span", "", sliderLabel), "train.epoch", { epoch: 0 });
  parts.slider = el("input", "", sliderLabel);
  Object.assign(parts.slider, { type: "range", min: 1, max: 1, value: 1, disabled: true });
  parts.slider.dataset.testid = "train-epoch";
  parts.use = say(el("button", "train-button", epochs), "train.use");
  parts.shipped = say(el("button", "train-button", epochs), "train.shipped");
  parts.download = say(el("button", "train-button", epochs), "train.download");
  parts.confusion = el("div", "train-confusion", root);
  for (const [node, testid] of [
    [parts.use, "train-use"],
    [parts.shipped, "train-shipped"],
    [parts.download, "train-download"],
  ]) {
    node.type = "button";
    node.dataset.testid = testid;
    node.disabled = true;
  }
  return parts;
}

/** Draw the first conv layer's kernels ({shape: [kh, kw, cin, cout], data}), its first input channel, one a filter. */
function drawKernels(grid, kernel, lut) {
  const [kh, kw, cin, cout] = kernel.shape;
  if (grid.children.length !== cout) {
    grid.replaceChildren(...Array.from({ length: cout }, () => createHeatmapCanvas(kw, kh)));
  }
  const slice = new Float32Array(kh * kw * cout);
  for (let p = 0; p < kh * kw; p++)
    for (let c = 0; c < cout; c++) slice[p * cout + c] = kernel.data[p * cin * cout + c];
  const extent = Math.max(...slice.map(Math.abs), 1e-6);
  [...grid.children].forEach((canvas, c) =>
    drawHeatmap(canvas, { shape: [kh, kw, cout], data: slice }, c, { min: -extent, max: extent }, lut),
  );
}

/** Show `report` (a batch's, worker.js) of `run` in the panel's `parts`. */
function showProgress(parts, run, report, network, lut) {
  const { settings } = run;
  const perBatch = run.times.slice(-20).reduce((a, b) => a + b, 0) / Math.min(run.times.length, 20);
  const left = (report.batches * settings.epochs - ((report.epoch - 1) * report.batches + report.batch)) * perBatch;
  say(parts.status, "train.progress", {
    epoch: report.epoch,
    epochs: settings.epochs,
    batch: report.batch,
    batches: report.batches,
    loss: report.loss.toFixed(3),
    epochSeconds: ((perBatch * report.batches) / 1000).toFixed(1),
    left: Math.ceil(left / 1000),
  });
  const total = report.batches * settings.epochs; // both curves on one axis: the batches of every epoch
  parts.curve.querySelector(".train-loss").setAttribute("points", polyline(run.losses, total, 2.5));
  const val = run.history.valLoss.map((v, k) => [(k + 1) * report.batches - 1, v]);
  parts.curve.querySelector(".train-val").setAttribute("points", polyline(val, total, 2.5));
  if (report.firstKernel) drawKernels(parts.kernels, report.firstKernel, lut);
  if (report.probabilities) {
    const best = report.probabilities.indexOf(Math.max(...report.probabilities));
    const percent = (report.probabilities[best] * 100).toFixed(1);
    say(parts.image, "train.image", { name: network().classes[best], percent });
  }
  if (report.epochEnd) {
    showConfusion(parts, run, run.confusions.length, network);
    Object.assign(parts.slider, { max: run.epochs.length, disabled: false, value: run.epochs.length });
    say(parts.epochLabel, "train.epoch", { epoch: run.epochs.length });
    for (const node of [parts.use, parts.download]) node.disabled = false;
  }
}

/** Download `weights` (of the network `network()` reads) as a TF.js layers model: model.json and its weights file. */
function download(network, topology, weights) {
  const specs = [];
  const chunks = [];
  for (const info of network().layers) {
    const mine = weights[info.name];
    if (!mine) continue;
    for (const [key, value] of Object.entries(mine)) {
      if (!value) continue;
      specs.push({ name: `${info.id}/${key}`, shape: value.shape, dtype: "float32" });
      chunks.push(value.data);
    }
  }
  const file = "weights.bin";
  const model = {
    format: "layers-model",
    modelTopology: topology,
    weightsManifest: [{ paths: [file], weights: specs }],
  };
  save(new Blob([JSON.stringify(model)], { type: "application/json" }), "model.json");
  save(new Blob(chunks, { type: "application/octet-stream" }), file);
}

function save(blob, name) {
  const link = el("a", "", null);
  link.href = URL.createObjectURL(blob);
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/** Keep what `message` (worker.js's) says about `run`, and show it in the panel's `parts` (null: no panel). */
function record(run, message, parts, network, lut) {
  if (message.type === "done") {
    const { history } = run;
    Object.assign(history, message.history);
    const result = { history, heldOutAccuracy: history.valAccuracy.at(-1), heldOut: [...run.heldOutIndices] };
    result.confusion = run.confusions.at(-1); // rows: true class, columns: predicted, on the held-out images
    run.resolve(result);
    if (parts) say(parts.status, "train.done", { accuracy: (result.heldOutAccuracy * 100).toFixed(1) });
    return;
  }
  const { report } = message;
  run.losses.push(report.loss);
  if (!report.epochEnd) run.times.push(report.ms); // an epoch's last batch also measures the held-out images
  if (report.weights) run.epochs.push(report.weights);
  if (report.epochEnd) {
    for (const key of Object.keys(run.history)) run.history[key].push(report.epochEnd[key]);
    run.confusions.push(report.epochEnd.confusion);
  }
  if (parts) showProgress(parts, run, report, network, lut);
}

/** The confusion matrix on the held-out images of the network after epoch `epoch` of `run`, in the panel. */
function showConfusion(parts, run, epoch, network) {
  const counts = run.confusions[epoch - 1];
  if (!counts) return;
  const testCount = counts.flat().reduce((a, b) => a + b, 0);
  const insights = { counts, cells: counts.map((row) => row.map(() => [])), testCount };
  parts.confusion.replaceChildren();
  say(el("p", "train-confusion-title", parts.confusion), "train.confusion", { epoch, count: testCount });
  createConfusion(parts.confusion, insights, { classes: network().classes, shape: network().input.shape });
}

/**
 * Send the image shown to the run (`running()`: its worker, or null) whenever it changes, for the panel's line on what
 * the network in training says of it. Returns measured(pixels): the run has these already.
 */
function followTheImage(store, session, running) {
  let sent = null;
  store.subscribe(() => {
    const { pixels } = session.image();
    const worker = running();
    if (worker && pixels !== sent) worker.postMessage({ type: "image", pixels: Uint8Array.from((sent = pixels)) });
  });
  return (pixels) => (sent = pixels);
}

/** `need()` (data/training.js), saying in `root` that it loads (`first`: not asked for before); on failure the panel
 * closes again, not "loading" for ever: the page's notice says what went wrong. */
function loading(root, training, need, first) {
  if (first) say(el("p", "train-status", root), "train.loading", { megabytes: training.megabytes ?? "" });
  return need().catch((error) => {
    root.replaceChildren();
    root.hidden = true;
    throw error;
  });
}

/** The panel as before a run: no curves, kernels, epochs or matrix. */
function clearPanel(parts) {
  say(parts.status, "train.ready");
  say(parts.pause, "train.pause");
  parts.confusion.replaceChildren();
  for (const line of parts.curve.querySelectorAll("polyline")) line.setAttribute("points", "");
  parts.kernels.replaceChildren();
  parts.image.textContent = "";
  Object.assign(parts.slider, { max: 1, value: 1, disabled: true });
  for (const node of [parts.use, parts.download]) node.disabled = true;
}

/** Say in `root` why the page does not offer training: `problem` is the payload's ("no-data", "layer:<name>:<kind>"). */
function whyNot(root, problem) {
  root.replaceChildren();
  say(el("h2", "train-title", root), "train.title");
  const [why, ...rest] = problem.split(":");
  const kind = rest.length ? rest.pop() : "";
  say(el("p", "train-why", root), `train.problem.${why}`, { layer: rest.join(":"), kind }).dataset.testid = "train-why";
}

/** The settings chosen in the panel's `fields`. */
function readSettings(fields) {
  return {
    images: Number(fields.images.value),
    epochs: Number(fields.epochs.value),
    learningRate: Number(fields.learningRate.value),
    batchSize: Number(fields.batchSize.value),
    seed: Math.max(0, Math.floor(Number(fields.seed.value) || 0)),
  };
}

/** The panel's buttons and slider to their `actions`. */
function wire(parts, actions) {
  for (const name of ["start", "pause", "reset", "use", "shipped", "download"]) {
    parts[name].addEventListener("click", actions[name]);
  }
  parts.slider.addEventListener("input", () => {
    say(parts.epochLabel, "train.epoch", { epoch: Number(parts.slider.value) });
    actions.slide();
  });
}

/**
 * The training panel and its interface, on the page's `store`, `session` and `network` (the page's reading of the
 * model), from the payload's `training` ({script, images, held_out}
 * or {problem}), in the panel `root`. Returns {open(), train(settings)
 * -> Promise of {history, heldOutAccuracy, heldOut, confusion}, useTrained(epoch), useShipped()}.
 */
export function startTraining({ store, session, network, training, root }) {
  const lut = divergingLut();
  // data: Promise of data/training.js; run: see train(); topology: model.json's, from data/training.js
  let [data, worker, run, parts, topology] = [null, null, null, null, null];

  const need = () =>
    (data ??= loadScript(training.script, () => window.CNN_EXPLAIN_TRAINING).catch((error) => {
      data = null; // another try may work (a file that was missing, a slow disk)
      throw error;
    }));
  const failed = (error) => {
    if (parts && error.message !== RESET) say(parts.status, "train.failed", { reason: error.message });
  };
  const measured = followTheImage(store, session, () => run && worker);

  /** Promise: the panel open, built once data/training.js (its images and its words) has loaded. */
  async function open() {
    root.hidden = false;
    if (parts) return;
    if (!training?.script) {
      whyNot(root, training?.problem ?? "no-data");
      return;
    }
    const loaded = await loading(root, training, need, !data);
    addMessages(loaded.messages);
    topology = loaded.topology;
    if (parts) return;
    parts = buildPanel(root, training.images);
    const epoch = () => Number(parts.slider.value);
    wire(parts, {
      start: () => train(readSettings(parts.fields)).catch(failed),
      pause,
      reset: () => reset().catch(failed),
      use: () => useTrained(epoch()).catch(failed),
      slide: () => run && showConfusion(parts, run, epoch(), network),
      shipped: () => useShipped().catch(failed),
      download: () => run?.epochs[epoch() - 1] && download(network, topology, run.epochs[epoch() - 1]),
    });
  }

  function onMessage({ data: message }) {
    if (run) record(run, message, parts, network, lut);
  }

  async function train(settings = {}) {
    const chosen = { ...DEFAULTS, ...settings };
    if (!training?.script) throw new Error(t(`train.problem.${(training?.problem ?? "no-data").split(":")[0]}`));
    const sets = await need(); // decoded by the worker
    stop();
    if (parts) clearPanel(parts);
    worker = startWorker(onMessage) ?? inPage(onMessage);
    worker.onerror = (event) => {
      const error = new Error(event.message || "the training stopped");
      run?.reject(error);
      failed(error);
    };
    const result = new Promise((resolve, reject) => {
      run = { settings: chosen, epochs: [], confusions: [], losses: [], times: [], resolve, reject };
      run.history = { loss: [], accuracy: [], valLoss: [], valAccuracy: [] };
      run.heldOutIndices = sets.held_out.indices;
    });
    const { pixels } = session.image();
    measured(pixels);
    worker.postMessage({
      type: "start",
      spec: network().spec,
      sets,
      divisor: network().input.pixelDivisor,
      settings: chosen,
      image: Uint8Array.from(pixels),
    });
    return result;
  }

  function pause() {
    if (!run || !worker) return;
    run.paused = !run.paused;
    worker.postMessage({ type: run.paused ? "pause" : "resume" });
    say(parts.pause, run.paused ? "train.resume" : "train.pause");
  }

  function stop() {
    if (worker) worker.terminate();
    worker = null;
    run?.reject(new Error(RESET));
  }

  function reset() {
    stop();
    run = null;
    if (parts) clearPanel(parts);
    return useShipped();
  }

  function useTrained(epoch) {
    const weights = run?.epochs[epoch - 1];
    if (!weights) return Promise.reject(new Error(`no epoch ${epoch} trained: epochs 1 to ${run?.epochs.length ?? 0}`));
    return inForce(weights, { epoch });
  }

  function useShipped() {
    return store.get().trained === null ? Promise.resolve() : inForce(null, null);
  }

  /** Put `weights` (null: the shipped ones) in force for the whole page; `trained` is the store's {epoch} or null. */
  function inForce(weights, trained) {
    return session.useWeights(weights).then(() => {
      store.set({ trained });
      if (!parts) return;
      parts.shipped.disabled = trained === null;
      if (trained) say(parts.status, "train.using", trained);
      else say(parts.status, "train.usingShipped");
    });
  }

  return { open, train, useTrained, useShipped };
}

window.cnnExplain.features.training = { startTraining };
