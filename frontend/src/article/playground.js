// The hyper-parameter playground of the article: input size, padding, kernel size and stride of one convolution,
// the output-size formula with the numbers filled in, what is wrong in words (and then no output), and the kernel
// sliding over a real patch of the current image: a filter of the model's first convolutional layer at its own
// size, or a classic kernel (edge, blur, ...) of any size, labelled as not from this model. Every cell prints its
// number: the grids stack when they do not fit side by side, and a grid wider than the screen scrolls sideways.
// This module builds the elements and wires their events; what they show is worked out without the DOM in
// playgroundSettings.js (the sliders and the kernel choice), playgroundGrids.js (the grids' numbers, sizes and the
// window) and playgroundText.js (the words).

import { divergingLut, greyLut, inkOn, lutColor, lutIndex, weightLut } from "../ui/colors.js";
import { cellText } from "./playgroundMath.js";
import {
  LIMITS,
  channelChoices,
  fittingKernelKind,
  kernelChoices,
  modelKernelSize,
  readKernelChoice,
  startingPlayground,
} from "./playgroundSettings.js";
import {
  cellSize,
  gridValues,
  inputCellMarks,
  nextPosition,
  startPosition,
  windowBoxes,
  windowSum,
} from "./playgroundGrids.js";
import { aboutSentences, formulaMessage, formulaNumbers, gridCaptions } from "./playgroundText.js";
import { formatNumber } from "../ui/format.js";
import * as mx from "../ui/math.js";
import { el, icon, iconButton, textEl } from "../ui/dom.js";
import { t, tNodes } from "../ui/i18n.js";
import { prefersReducedMotion } from "../ui/motion.js";
import { watchNear, whilePrinting } from "../ui/nearScreen.js";
import { observeResize, onScopeEnd } from "../ui/scope.js";
import { watchScroll } from "../ui/scroll.js";

const STEP_MS = 900;

/** A labelled slider for hyper-parameter `key` (named by message playground.<key>) calling `onInput` with its value. */
function slider(parent, key, symbol, value, onInput) {
  const [min, max] = LIMITS[key];
  const row = el("label", "pg-control", parent);
  const name = el("span", "pg-control-name", row);
  name.append(tNodes(`playground.${key}`, { symbol: mx.formula(mx.variable(symbol)) }));
  const input = el("input", "", row);
  Object.assign(input, { type: "range", min: String(min), max: String(max), step: "1", value: String(value) });
  input.dataset.testid = `playground-${key}`;
  const shown = textEl("output", "pg-control-value", String(value), row);
  input.addEventListener("input", () => {
    shown.textContent = input.value;
    onInput(Number(input.value));
  });
  return input;
}

/** A labelled select in `parent`, named by message `key`: the select. */
function select(parent, key) {
  const pick = el("label", "pg-control pg-select", parent);
  textEl("span", "pg-control-name", t(key), pick);
  return el("select", "", pick);
}

/**
 * The controls in `root`: the four sliders calling `set(patch)`, the kernel select calling `chooseKernel(value)`
 * (filled by fillKernelSelect) and, for an input of several channels, the channel select. Returns the kernel select.
 */
function buildControls(root, settings, channels, { set, chooseKernel }) {
  const controls = el("div", "pg-controls", root);
  slider(controls, "input", "W", settings.input, (v) => set({ input: v }));
  slider(controls, "padding", "P", settings.padding, (v) => set({ padding: v }));
  slider(controls, "kernel", "K", settings.kernel, (v) => set({ kernel: v }));
  slider(controls, "stride", "S", settings.stride, (v) => set({ stride: v }));
  const kernelSelect = select(controls, "playground.kernelChoice");
  kernelSelect.dataset.testid = "playground-kernel-choice";
  kernelSelect.addEventListener("change", () => chooseKernel(kernelSelect.value));
  const channelOptions = channelChoices(channels);
  if (channelOptions.length) {
    const channelSelect = select(controls, "playground.channel");
    for (const { label, value } of channelOptions) channelSelect.append(new Option(label, value));
    channelSelect.value = String(settings.channel);
    channelSelect.addEventListener("change", () => set({ channel: Number(channelSelect.value) }));
  }
  return kernelSelect;
}

/** Fill the kernel select with `groups` of options (playgroundSettings.js kernelChoices) and choose `value`. */
function fillKernelSelect(kernelSelect, { groups, value }) {
  kernelSelect.replaceChildren();
  for (const { label, options } of groups) {
    const group = el("optgroup", "", kernelSelect);
    group.label = label;
    for (const option of options) group.append(new Option(option.label, option.value));
  }
  kernelSelect.value = value;
}

/**
 * The kernel choice in `kernelSelect` for `settings` of conv layer `layer`, starting from the visitor's last
 * preference `preferFilter` (a model filter, or a classic kernel): {fit() (fit settings.kernelKind to the kernel
 * size and offer the kernels of that size), choose(value) (the settings patch of a choice), preferFilter()}.
 */
function kernelPicker(kernelSelect, settings, layer, preferFilter) {
  const modelSize = modelKernelSize(layer);
  return {
    fit() {
      settings.kernelKind = fittingKernelKind(settings, modelSize, preferFilter);
      fillKernelSelect(kernelSelect, kernelChoices(settings, layer, modelSize));
    },
    choose(value) {
      const choice = readKernelChoice(value);
      preferFilter = choice.preferFilter;
      return choice.patch;
    },
    preferFilter: () => preferFilter,
  };
}

/** The parts below the controls, in `root`: {formulaLine, message, stage, toolbar, toggle, sumLine, caption}. */
function buildParts(root, playing) {
  const formulaLine = el("p", "pg-formula", root);
  formulaLine.dataset.testid = "playground-formula";
  const message = el("p", "pg-message", root);
  message.dataset.testid = "playground-message";
  message.setAttribute("aria-live", "polite");
  const stage = el("div", "pg-stage", root);
  const toolbar = el("div", "pg-toolbar", root);
  const toggle = iconButton(playing ? "pause" : "play", t(playing ? "playground.pause" : "playground.play"), toolbar);
  const sumLine = el("p", "pg-sum", toolbar);
  sumLine.dataset.testid = "playground-sum";
  const caption = el("p", "pg-about", root);
  return { formulaLine, message, stage, toolbar, toggle, sumLine, caption };
}

/** Show play or pause (`on`: playing) on the toolbar's button. */
function showToggle(toggle, on) {
  const label = t(on ? "playground.pause" : "playground.play");
  toggle.setAttribute("aria-label", label);
  toggle.title = label;
  toggle.replaceChildren(icon(on ? "pause" : "play"));
}

/**
 * The window's animation: `step()` every STEP_MS while playing (from `playing`); `toggle` plays and pauses it.
 * Returns {play(on), playing(), started() (whether its timer runs), stop()}.
 */
function animation(toggle, playing, step) {
  let timer = null;
  function play(on) {
    playing = on;
    showToggle(toggle, on);
    clearInterval(timer);
    timer = on ? setInterval(step, STEP_MS) : null;
  }
  toggle.addEventListener("click", () => play(!playing));
  return { play, playing: () => playing, started: () => timer !== null, stop: () => clearInterval(timer) };
}

/** Write the output-size formula with `settings`' numbers in `formulaLine`, and in `message` what is wrong. */
function drawFormula({ formulaLine, message }, settings, geometry) {
  const n = formulaNumbers(settings, geometry);
  formulaLine.replaceChildren(
    mx.formula(
      mx.variable("O"),
      mx.op("="),
      mx.fraction(
        mx.formula(mx.variable("W"), mx.op("−"), mx.variable("K"), mx.op("+"), "2", mx.variable("P")),
        mx.variable("S"),
      ),
      mx.op("+"),
      "1",
      mx.op("="),
      mx.fraction(mx.formula(n.input, mx.op("−"), n.kernel, mx.op("+"), n.padding), n.stride),
      mx.op("+"),
      "1",
      mx.op("="),
      mx.number(n.size, n.sizeText, "playground-size"),
    ),
  );
  formulaLine.classList.toggle("is-invalid", !geometry.valid);
  const said = formulaMessage(geometry);
  message.replaceChildren(said ? tNodes(said.key, said.values) : "");
  message.classList.toggle("is-problem", Boolean(said?.problem));
}

/** A grid of `side` x `side` cells in `parent`, with a caption: {element, cells, grid, title}. */
function grid(parent, side, caption, testid) {
  const figure = el("figure", "pg-grid", parent);
  const cells = el("div", "pg-cells", figure);
  cells.style.gridTemplateColumns = `repeat(${side}, var(--pg-cell))`;
  cells.dataset.testid = testid;
  const list = Array.from({ length: side * side }, () => el("span", "pg-cell", cells));
  const title = textEl("figcaption", "pg-caption", caption, figure);
  return { element: figure, cells: list, grid: cells, title };
}

/** Colour `cell` for `value` on `lut` over `range`, and print the value. */
function paint(cell, value, lut, range) {
  const index = lutIndex(value, range.min, range.max, lut.length / 4);
  cell.style.background = lutColor(lut, index);
  cell.style.color = inkOn(lut, index);
  cell.textContent = cellText(value);
  cell.dataset.value = String(value);
}

/**
 * The three grids of `values` (playgroundGrids.js gridValues) in `stage`, in place of what it held, with cells of
 * `size` px coloured by `luts`; `hover.enter(index)` and `hover.leave()` follow the pointer over the output's cells.
 * Returns {input, kernel, output (or null), windowBox, target, size}.
 */
function buildGrids(stage, settings, values, size, luts, hover) {
  const { geometry } = values;
  const captions = gridCaptions(settings, geometry, values.output !== null);
  stage.replaceChildren();
  stage.style.setProperty("--pg-cell", `${size}px`);
  const input = grid(stage, geometry.padded, captions.input, "playground-input");
  textEl("span", "pg-op", "∗", stage);
  const kernel = grid(stage, settings.kernel, captions.kernel, "playground-kernel");
  textEl("span", "pg-op", "=", stage);
  const output = values.output ? grid(stage, geometry.steps, captions.output, "playground-output") : null;
  if (!output) textEl("p", "pg-empty", captions.empty, stage).dataset.testid = "playground-no-output";
  const marks = inputCellMarks(settings, geometry, output !== null);
  input.cells.forEach((cell, i) => {
    cell.classList.toggle("is-pad", marks[i].pad);
    cell.classList.toggle("is-leftover", marks[i].leftover);
    paint(cell, values.padded[i], luts.greys, { min: 0, max: 1 });
  });
  kernel.cells.forEach((cell, i) => paint(cell, values.kernel[i], luts.weights, values.kernelRange));
  output?.cells.forEach((cell, i) => {
    paint(cell, values.output[i], luts.diverging, values.outputRange);
    cell.addEventListener("pointerenter", () => hover.enter(i));
    cell.addEventListener("pointerleave", () => hover.leave());
  });
  const windowBox = output ? el("span", "pg-window", input.grid) : null;
  const target = output ? el("span", "pg-target", output.grid) : null;
  return { input, kernel, output, windowBox, target, size };
}

/**
 * Draw the grids of `view.values` in `stage` in place of the last ones (`view.grids`; `view.stopWatching`, their
 * scroll watchers), with cells sized for paper while printing, else for `root`'s width (`view.width`, or read).
 */
function drawGrids(root, stage, view, settings, luts, hover) {
  const { geometry } = view.values;
  const content = view.width ?? root.clientWidth - 40; // without its padding (playground.css)
  const size = cellSize(content, view.printing, [geometry.padded, settings.kernel, geometry.steps]);
  view.stopWatching.forEach((stop) => stop());
  view.grids = buildGrids(stage, settings, view.values, size, luts, hover);
  const { input, kernel, output } = view.grids;
  // a grid wider than the stage scrolls sideways, and its edges say so
  view.stopWatching = [input, kernel, output].filter(Boolean).map((g) => watchScroll(g.element));
}

/** Place `node` at `box` ({left, top, width, height} in px). */
function place(node, { left, top, width, height }) {
  Object.assign(node.style, { left: `${left}px`, top: `${top}px`, width: `${width}px`, height: `${height}px` });
}

/** Outline output cell `index` of `grids` and its window in the input, and write its sum in `sumLine`. */
function showWindow(sumLine, grids, values, settings, index) {
  const { row, col, window, target } = windowBoxes(index, values.geometry.steps, settings, grids.size);
  place(grids.windowBox, window);
  place(grids.target, target);
  const sum = windowSum(values, settings, row, col);
  sumLine.replaceChildren(
    t("playground.sum.output", { row, col }),
    mx.formula(
      mx.sigma(),
      mx.word(t("playground.sum.products", { count: sum.count })),
      mx.op("+"),
      mx.variable("b"),
      mx.op("="),
      mx.number(sum.total, formatNumber(sum.total)),
      mx.op(sum.bias < 0 ? "−" : "+"),
      mx.number(sum.bias, formatNumber(Math.abs(sum.bias))),
      mx.op("="),
      mx.number(sum.value, formatNumber(sum.value), "playground-value"),
    ),
  );
}

/** Write in `caption` the sentences about `values` (playgroundText.js aboutSentences). */
function describe(caption, values, settings, about) {
  const space = t("article.sentenceSpace");
  const sentences = aboutSentences(values, settings, about);
  caption.replaceChildren(
    ...sentences.flatMap(({ key, values: filled }) => [filled ? tNodes(key, filled) : t(key), space]),
  );
}

/**
 * Keep `view` drawn with `render()`: when `root` comes near the screen after a change (`view.stale`), when its width
 * changes (`view.width`), and for paper while printing (`view.printing`). Returns () -> whether root is near the screen.
 */
function watchPage(root, view, render) {
  // Drawn only near the screen: far down the article, redrawing it for every new image would lay the whole page
  // out each time (its cells are sized to its width), which made a new image take twice as long. Its width comes
  // from a ResizeObserver, never from reading it.
  const near = watchNear(root, () => {
    if (view.stale) render();
  });
  observeResize(([entry]) => {
    const changed = view.width !== null && Math.round(entry.contentRect.width) !== Math.round(view.width);
    view.width = entry.contentRect.width;
    if (!changed) return;
    view.stale = true;
    if (near()) render();
  }, root);
  // Printed, it shows the image shown even when it was far from the screen, in grids sized for paper (drawn now:
  // the browser prints what the page holds when beforeprint has run), and on screen again afterwards.
  whilePrinting(
    () => {
      view.printing = true;
      render();
    },
    () => {
      view.printing = false;
      view.stale = true;
      if (near()) render();
    },
  );
  return near;
}

/**
 * The playground in `root` for conv layer `layer` of `network` (one that reads the model's input): `activations()`
 * (Map name -> {shape, data}) and `weights(name)` from TF.js. Its settings go into `store` (state.playground) when
 * the page's language scope ends, and a playground built again in another language starts from them. Returns
 * {update()}: call it whenever TF.js has computed a new image.
 */
export function createPlayground(root, network, layer, activations, weights, store) {
  const start = startingPlayground(layer, store.get().playground ?? {}, prefersReducedMotion());
  const { settings } = start;
  let { position } = start;
  const about = { layer, channels: layer.input_shape[2], divisor: network.input.pixelDivisor };
  const luts = { greys: greyLut(), weights: weightLut(), diverging: divergingLut() };

  root.replaceChildren();
  const chooseKernel = (value) => set(kernels.choose(value));
  const kernelSelect = buildControls(root, settings, about.channels, { set, chooseKernel });
  const kernels = kernelPicker(kernelSelect, settings, layer, start.preferFilter);
  const parts = buildParts(root, start.playing);

  // ready: TF.js has computed an image; values: gridValues'; stale: a new image (or width) came while it was away;
  // width: of root's content box, from a ResizeObserver; printing: between beforeprint and afterprint (grids sized
  // for paper); stopWatching: the grids' scroll watchers (ui/scroll.js)
  const view = { ready: false, values: null, grids: null, stale: true, width: null, printing: false, stopWatching: [] };
  let hovering = false;
  const hover = {
    enter(index) {
      hovering = true;
      show(index);
    },
    leave: () => (hovering = false),
  };

  function set(patch) {
    Object.assign(settings, patch);
    position = 0;
    kernels.fit();
    render();
  }

  /** Highlight output cell `index`, its window in the input, and write its sum. */
  function show(index) {
    if (!view.values.output || !view.grids) {
      parts.sumLine.replaceChildren();
      return;
    }
    position = index;
    showWindow(parts.sumLine, view.grids, view.values, settings, index);
  }

  const steps = animation(parts.toggle, start.playing, () => {
    const { values } = view;
    if (!values || !values.output || hovering || !near()) return;
    show(nextPosition(position, values.output.length));
  });

  function render() {
    if (!view.ready) return;
    view.stale = false;
    view.values = gridValues(settings, activations().get("input"), weights(layer.name));
    parts.toolbar.hidden = !view.values.output; // nothing to play through
    drawFormula(parts, settings, view.values.geometry);
    drawGrids(root, parts.stage, view, settings, luts, hover);
    describe(parts.caption, view.values, settings, about);
    show(startPosition(position, view.values.output));
  }

  const near = watchPage(root, view, render);
  onScopeEnd(() => {
    view.stopWatching.forEach((stop) => stop());
    steps.stop();
    const preferFilter = kernels.preferFilter();
    store.set({ playground: { settings: { ...settings }, preferFilter, playing: steps.playing(), position } });
  });

  kernels.fit();
  const waiting = textEl("p", "pg-waiting", t("playground.waiting"), parts.stage);

  return {
    /** Recompute from the current image (TF.js's input values) and the layer's weights. */
    update() {
      waiting.remove();
      view.ready = true;
      view.stale = true;
      if (near() || view.printing) render();
      if (!steps.started() && steps.playing()) steps.play(true);
    },
  };
}
