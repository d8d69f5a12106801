// The hyper-parameter playground of the article: input size, padding, kernel size and stride of one convolution,
// the output-size formula with the numbers filled in, what is wrong in words (and then no output), and the kernel
// sliding over a real patch of the current image: a filter of the model's first convolutional layer at its own
// size, or a classic kernel (edge, blur, ...) of any size, labelled as not from this model. Every cell prints its
// number: the grids stack when they do not fit side by side, and a grid wider than the screen scrolls sideways.

import {
  divergingLut,
  greyLut,
  inkOn,
  lutColor,
  lutIndex,
  symmetricRange,
  valueRange,
  weightLut,
} from "../ui/colors.js";
import {
  busiestPatch,
  cellText,
  classicKernels,
  convOutput,
  convolve,
  padInput,
  windowProducts,
} from "./playgroundMath.js";
import { kernelSlice } from "../network/windowMath.js";
import { formatNumber, plainNumber } from "../ui/format.js";
import * as mx from "../ui/math.js";
import { el, icon, iconButton, textEl } from "../ui/dom.js";
import { t, tNodes } from "../ui/i18n.js";
import { prefersReducedMotion } from "../ui/motion.js";
import { watchNear } from "../ui/nearScreen.js";
import { listen, observeResize, onScopeEnd } from "../ui/scope.js";
import { watchScroll } from "../ui/scroll.js";

// How far the controls go: a larger grid would not fit the article's column with cells that hold their numbers.
const LIMITS = { input: [3, 12], padding: [0, 3], kernel: [1, 7], stride: [1, 4] };
const DEFAULT_INPUT = 7; // a patch small enough to read every number, large enough for a stride of 2
const STEP_MS = 900;
// Cell sizes (CSS px): `min` holds a number of 4 characters (playgroundMath.js cellText) in the cells' 12 px type.
const CELL = { min: 28, max: 36, gap: 1 };
const PAPER = 640; // the width the grids take on paper: an A4 or Letter page less its margins and the box's padding

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

/** A grid of `side` x `side` cells in `parent`, with a caption: {element, cells}. */
function grid(parent, side, caption, testid) {
  const figure = el("figure", "pg-grid", parent);
  const cells = el("div", "pg-cells", figure);
  cells.style.gridTemplateColumns = `repeat(${side}, var(--pg-cell))`;
  cells.dataset.testid = testid;
  const list = Array.from({ length: side * side }, () => el("span", "pg-cell", cells));
  const title = textEl("figcaption", "pg-caption", caption, figure);
  return { element: figure, cells: list, grid: cells, title };
}

function paint(cell, value, lut, range) {
  const index = lutIndex(value, range.min, range.max, lut.length / 4);
  cell.style.background = lutColor(lut, index);
  cell.style.color = inkOn(lut, index);
  cell.textContent = cellText(value);
  cell.dataset.value = String(value);
}

/**
 * The playground in `root` for conv layer `layer` of `network` (one that reads the model's input): `activations()`
 * (Map name -> {shape, data}) and `weights(name)` from TF.js. Its settings go into `store` (state.playground) when
 * the page's language scope ends, and a playground built again in another language starts from them. Returns
 * {update()}: call it whenever TF.js has computed a new image.
 */
export function createPlayground(root, network, layer, activations, weights, store) {
  const kept = store.get().playground ?? {};
  const [kh, kw, channels] = [...layer.kernel_size, layer.input_shape[2]];
  const defaults = {
    input: Math.min(LIMITS.input[1], Math.max(LIMITS.input[0], DEFAULT_INPUT, kh)),
    kernel: Math.min(LIMITS.kernel[1], kh),
    padding: layer.padding === "same" ? Math.floor((kh - 1) / 2) : 0, // "same" with stride 1 and an odd kernel
    stride: Math.min(LIMITS.stride[1], layer.strides[0]),
  };
  // the kernel: "filter" (the model's filter `filter`, at the model's size only) or a classic kernel's id
  const settings = { ...defaults, filter: 0, channel: 0, kernelKind: "filter", ...kept.settings };
  const modelSize = kh === kw ? kh : null; // a square filter, which the square playground can show as it is
  let preferFilter = kept.preferFilter ?? true; // the visitor last chose a model filter: back to it when it fits
  const greys = greyLut();
  const weightColors = weightLut();
  const diverging = divergingLut();

  let playing = kept.playing ?? !prefersReducedMotion();

  root.replaceChildren();
  const controls = el("div", "pg-controls", root);
  slider(controls, "input", "W", settings.input, (v) => set({ input: v }));
  slider(controls, "padding", "P", settings.padding, (v) => set({ padding: v }));
  slider(controls, "kernel", "K", settings.kernel, (v) => set({ kernel: v }));
  slider(controls, "stride", "S", settings.stride, (v) => set({ stride: v }));
  const pick = el("label", "pg-control pg-select", controls);
  textEl("span", "pg-control-name", t("playground.kernelChoice"), pick);
  const kernelSelect = el("select", "", pick);
  kernelSelect.dataset.testid = "playground-kernel-choice";
  kernelSelect.addEventListener("change", () => {
    const [kind, filter] = kernelSelect.value.split(":");
    preferFilter = kind === "filter";
    set(preferFilter ? { kernelKind: kind, filter: Number(filter) } : { kernelKind: kind });
  });

  /** The kernel choices for the current size: the model's filters at their own size, then the classic kernels. */
  function fillKernelChoices() {
    const hasFilters = settings.kernel === modelSize;
    const classics = classicKernels(settings.kernel);
    if (hasFilters && preferFilter) settings.kernelKind = "filter";
    if (settings.kernelKind === "filter" && !hasFilters) settings.kernelKind = classics[0].id;
    if (settings.kernelKind !== "filter" && !classics.some((k) => k.id === settings.kernelKind)) {
      settings.kernelKind = classics[0].id;
    }
    kernelSelect.replaceChildren();
    if (hasFilters) {
      const group = el("optgroup", "", kernelSelect);
      group.label = t("playground.kernelChoice.model", { layer: layer.name });
      for (let f = 0; f < layer.filters; f++) {
        group.append(new Option(t("playground.kernelChoice.filter", { filter: f }), `filter:${f}`));
      }
    }
    const group = el("optgroup", "", kernelSelect);
    group.label = t("playground.kernelChoice.classics");
    for (const classic of classics) group.append(new Option(classic.name, classic.id));
    kernelSelect.value = settings.kernelKind === "filter" ? `filter:${settings.filter}` : settings.kernelKind;
  }

  if (channels > 1) {
    const channelPick = el("label", "pg-control pg-select", controls);
    textEl("span", "pg-control-name", t("playground.channel"), channelPick);
    const channelSelect = el("select", "", channelPick);
    for (let c = 0; c < channels; c++) {
      channelSelect.append(new Option(t("playground.channel.option", { channel: c }), String(c)));
    }
    channelSelect.value = String(settings.channel);
    channelSelect.addEventListener("change", () => set({ channel: Number(channelSelect.value) }));
  }

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

  let ready = false; // TF.js has computed an image
  let data = null; // {geometry, patch, kernel, bias, padded, output, kernelRange}
  let position = kept.position ?? 0;
  let timer = null;
  let hovering = false;
  let grids = null;
  let stale = true; // a new image (or width) came while it was away
  let width = null; // of root's content box, from a ResizeObserver
  let printing = false; // between beforeprint and afterprint: the grids are sized for paper
  let stopWatching = []; // the grids' scroll watchers (ui/scroll.js)

  function set(patch) {
    Object.assign(settings, patch);
    position = 0;
    fillKernelChoices();
    render();
  }

  function compute() {
    const geometry = convOutput(settings);
    const input = activations().get("input");
    const patch = busiestPatch(input, settings.input, settings.channel);
    const { kernel: modelKernel, bias } = weights(layer.name);
    const classic = classicKernels(settings.kernel).find((k) => k.id === settings.kernelKind) ?? null;
    const kernel = classic ? classic.values : kernelSlice(modelKernel, settings.channel, settings.filter);
    const b = classic ? 0 : bias ? bias.data[settings.filter] : 0;
    const padded = padInput(patch.values, settings.input, settings.padding);
    // settings that do not work have no output, even where Keras would drop the leftover columns and give one
    const output = geometry.valid
      ? convolve(padded, geometry.padded, kernel, settings.kernel, settings.stride, b)
      : null;
    const kernelRange = symmetricRange([valueRange(classic ? kernel : modelKernel.data)]);
    return { geometry, patch, classic, kernel, bias: b, padded, output, kernelRange };
  }

  function drawFormula() {
    const { input: w, kernel: k, padding: p, stride: s } = settings;
    const { size, valid } = data.geometry;
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
        mx.fraction(mx.formula(String(w), mx.op("−"), String(k), mx.op("+"), String(2 * p)), String(s)),
        mx.op("+"),
        "1",
        mx.op("="),
        mx.number(size, plainNumber(size), "playground-size"),
      ),
    );
    formulaLine.classList.toggle("is-invalid", !valid);
    const problem = data.geometry.problem;
    const note = data.geometry.note;
    message.replaceChildren(
      problem ? tNodes("playground.problem", { problem }) : note ? tNodes("playground.note", { note }) : "",
    );
    message.classList.toggle("is-problem", Boolean(problem));
  }

  /**
   * The cells' size: the largest up to CELL.max with the three grids side by side (the two signs between them
   * count as 3 cells), else with the widest grid alone on its line; never below CELL.min, where a grid wider than the
   * stage scrolls sideways instead (playground.css).
   */
  function cellSize(side, kernelSide, outSide) {
    let content = width ?? root.clientWidth - 40; // without its padding (playground.css)
    if (printing) content = Math.min(content, PAPER);
    const pitch = (cells, room) => Math.floor((room - 2) / cells) - CELL.gap; // n cells take n * (size + gap) + 1
    const sideBySide = pitch(side + kernelSide + outSide + 3, content - 40);
    if (sideBySide >= CELL.min) return Math.min(CELL.max, sideBySide);
    const alone = pitch(Math.max(side, kernelSide, outSide), content - 10); // the grid's figure pads 4 px a side
    return Math.max(CELL.min, Math.min(CELL.max, alone));
  }

  function buildGrids() {
    const { geometry } = data;
    const side = geometry.padded;
    const outSide = geometry.steps;
    const size = cellSize(side, settings.kernel, outSide);
    stopWatching.forEach((stop) => stop());
    stage.replaceChildren();
    stage.style.setProperty("--pg-cell", `${size}px`);
    const input = grid(
      stage,
      side,
      settings.padding
        ? t("playground.grid.inputPadded", { size: settings.input, padded: side })
        : t("playground.grid.input", { size: settings.input }),
      "playground-input",
    );
    textEl("span", "pg-op", "∗", stage);
    const kernel = grid(
      stage,
      settings.kernel,
      t("playground.grid.kernel", { size: settings.kernel }),
      "playground-kernel",
    );
    textEl("span", "pg-op", "=", stage);
    const output = data.output
      ? grid(stage, outSide, t("playground.grid.output", { size: outSide }), "playground-output")
      : null;
    if (!output) {
      const why = geometry.span < 0 ? "playground.noOutput.kernel" : "playground.noOutput.stride";
      textEl("p", "pg-empty", t(why), stage).dataset.testid = "playground-no-output";
    }
    const { padding: p, input: w } = settings;
    input.cells.forEach((cell, i) => {
      const y = Math.floor(i / side);
      const x = i % side;
      const inside = y >= p && y < p + w && x >= p && x < p + w;
      cell.classList.toggle("is-pad", !inside);
      const covered =
        output !== null &&
        x < (geometry.steps - 1) * settings.stride + settings.kernel &&
        y < (geometry.steps - 1) * settings.stride + settings.kernel;
      cell.classList.toggle("is-leftover", !covered);
      paint(cell, data.padded[i], greys, { min: 0, max: 1 });
    });
    kernel.cells.forEach((cell, i) => paint(cell, data.kernel[i], weightColors, data.kernelRange));
    if (output) {
      const range = symmetricRange([valueRange(data.output)]);
      output.cells.forEach((cell, i) => {
        paint(cell, data.output[i], diverging, range);
        cell.addEventListener("pointerenter", () => {
          hovering = true;
          show(i);
        });
        cell.addEventListener("pointerleave", () => {
          hovering = false;
        });
      });
    }
    const windowBox = output ? el("span", "pg-window", input.grid) : null;
    const target = output ? el("span", "pg-target", output.grid) : null;
    grids = { input, kernel, output, windowBox, target, size };
    // a grid wider than the stage scrolls sideways, and its edges say so
    stopWatching = [input, kernel, output].filter(Boolean).map((g) => watchScroll(g.element));
  }

  /** Highlight output cell `index`, its window in the input, and write its sum. */
  function show(index) {
    const { geometry, output } = data;
    if (!output || !grids) {
      sumLine.replaceChildren();
      return;
    }
    position = index;
    const steps = geometry.steps;
    const row = Math.floor(index / steps);
    const col = index % steps;
    const { size, windowBox, target } = grids;
    const gap = CELL.gap; // the grid's cell gap (CSS)
    const pitch = size + gap;
    Object.assign(windowBox.style, {
      left: `${col * settings.stride * pitch}px`,
      top: `${row * settings.stride * pitch}px`,
      width: `${settings.kernel * pitch - gap}px`,
      height: `${settings.kernel * pitch - gap}px`,
    });
    Object.assign(target.style, {
      left: `${col * pitch}px`,
      top: `${row * pitch}px`,
      width: `${size}px`,
      height: `${size}px`,
    });
    const terms = windowProducts(data.padded, geometry.padded, data.kernel, settings.kernel, settings.stride, row, col);
    const total = terms.reduce((a, b) => a + b, 0);
    sumLine.replaceChildren(
      t("playground.sum.output", { row, col }),
      mx.formula(
        mx.sigma(),
        mx.word(t("playground.sum.products", { count: terms.length })),
        mx.op("+"),
        mx.variable("b"),
        mx.op("="),
        mx.number(total, formatNumber(total)),
        mx.op(data.bias < 0 ? "−" : "+"),
        mx.number(data.bias, formatNumber(Math.abs(data.bias))),
        mx.op("="),
        mx.number(output[index], formatNumber(output[index]), "playground-value"),
      ),
    );
  }

  function describe() {
    const { patch } = data;
    const w = settings.input;
    const k = settings.kernel;
    const space = t("article.sentenceSpace");
    const sentences = [
      tNodes(channels > 1 ? "playground.about.inputChannel" : "playground.about.input", {
        size: w,
        channel: settings.channel,
        top: patch.top,
        bottom: patch.top + w - 1,
        left: patch.left,
        right: patch.left + w - 1,
        divisor: network.input.pixelDivisor,
      }),
      data.classic
        ? tNodes("playground.about.classic", {
            size: k,
            name: data.classic.name,
            about: data.classic.about,
            layer: layer.name,
            height: kh,
            width: kw,
          })
        : tNodes(channels > 1 ? "playground.about.filterChannel" : "playground.about.filter", {
            filter: settings.filter,
            layer: layer.name,
            channel: settings.channel,
            height: kh,
            width: kw,
            bias: formatNumber(data.bias),
          }),
    ];
    if (settings.padding) sentences.push(t("playground.about.padding"));
    if (data.geometry.leftover) sentences.push(t("playground.about.leftover"));
    caption.replaceChildren(...sentences.flatMap((sentence) => [sentence, space]));
  }

  function tick() {
    if (!data || !data.output || hovering || !near()) return;
    show((position + 1) % data.output.length);
  }

  function setPlaying(on) {
    playing = on;
    const label = t(on ? "playground.pause" : "playground.play");
    toggle.setAttribute("aria-label", label);
    toggle.title = label;
    toggle.replaceChildren(icon(on ? "pause" : "play"));
    clearInterval(timer);
    timer = on ? setInterval(tick, STEP_MS) : null;
  }
  toggle.addEventListener("click", () => setPlaying(!playing));

  function render() {
    if (!ready) return;
    stale = false;
    data = compute();
    toolbar.hidden = !data.output; // nothing to play through
    drawFormula();
    buildGrids();
    describe();
    show(Math.min(position, data.output ? data.output.length - 1 : 0));
  }

  // Drawn only near the screen: far down the article, redrawing it for every new image would lay the whole page
  // out each time (its cells are sized to its width), which made a new image take twice as long. Its width comes
  // from a ResizeObserver, never from reading it.
  const near = watchNear(root, () => {
    if (stale) render();
  });
  observeResize(([entry]) => {
    const changed = width !== null && Math.round(entry.contentRect.width) !== Math.round(width);
    width = entry.contentRect.width;
    if (!changed) return;
    stale = true;
    if (near()) render();
  }, root);
  // Printed, it shows the image shown even when it was far from the screen, in grids sized for paper (drawn now:
  // the browser prints what the page holds when beforeprint has run), and on screen again afterwards.
  listen(window, "beforeprint", () => {
    printing = true;
    render();
  });
  listen(window, "afterprint", () => {
    printing = false;
    stale = true;
    if (near()) render();
  });
  onScopeEnd(() => {
    stopWatching.forEach((stop) => stop());
    clearInterval(timer);
    store.set({ playground: { settings: { ...settings }, preferFilter, playing, position } });
  });

  fillKernelChoices();
  const waiting = textEl("p", "pg-waiting", t("playground.waiting"), stage);

  return {
    /** Recompute from the current image (TF.js's input values) and the layer's weights. */
    update() {
      waiting.remove();
      ready = true;
      stale = true;
      if (near()) render();
      if (timer === null && playing) setPlaying(true);
    },
  };
}
