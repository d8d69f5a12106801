// The view framework: opens the explanation view of a neuron in the overview area, makes room for it (the columns
// that do not take part fade, and the overview pans aside for a wide view), closes it again (Escape, the close
// button, a click outside) and hands focus back to the neuron.
//
// ---------------------------------------------------------------------------------------------------------------
// THE INTERFACE OF A VIEW. A view module (views/<name>View.js, listed by kind in views/registry.js) exports
//
//   create(context, params) -> view
//
// params  {layer, neuron, pos?, channel?}
//   layer    the spec layer's name;  neuron  its channel (images) or unit (vectors; the class index for the last
//            layer, whose neurons are the overview's class rows)
//   pos      [row, col]: the window position in the layer's output, for views with a window
//   channel  an input channel whose detail is open (the conv formula)
//   Params may come from a URL someone edited: the host opens a view only on a layer it explains
//   (network.explains); the view clamps pos, ignores what does not apply, and throws for what cannot be shown (the
//   host then stays on the overview).
//
// view    {element, update(), setPosition?(pos), onKey?(event) -> handled, destroy()}
//   element      the view's root. Give it class "vw-wide" to take all the room beside the layer's columns (else
//                the panel fits the content); mark the element to focus first with a data-autofocus attribute.
//   update()     draw from context.activations(): called once the element is in the page, then whenever the image
//                or the colour ranges change (keep the position and any open detail).
//   setPosition  move the window to [row, col] (the URL changed).
//   onKey        a key pressed inside the panel; return true when handled (the host prevents the default). For
//                Escape return true when the view closed a detail of its own, false to let the host close the view.
//   destroy()    stop timers; the host removes the element.
//   maps         false for a view that draws no maps (the softmax view): it gets no switch of their colour range.
//
// context {network, layer, store, activations, weights, colors, format, edit, edited, open, close, report, drawn}
//   network            the reading of the model (network/network.js), its classes in the page's language
//   layer(name)        spec entry of layer `name`; "input" gives {name: "input", kind: "input", shape}
//   store              the page state (state/store.js); state.view mirrors the open view as {kind, ...params}
//   activations()      Map layer name (and "input") -> {shape, data}: the current image's values, from TF.js
//   weights(name)      {kernel: {shape, data}, bias: {shape, data} | null} of a conv or dense layer, from TF.js
//   colors             {diverging, grey, weights (lookup tables: activations, the input, weights), range(name) ->
//                      {min, max} as the overview colours layer `name`, lut(name) -> the table it uses,
//                      mapRange(name, tensor, channel, shared?) -> the range to draw one map with (each map its own,
//                      or shared: the switch at the top of every view)}
//   format(value)      a number as views print it (three significant digits)
//   edit(changes, undoable?) put edits (network/edits.js) in force: the network is computed again and every view
//                      updated; `undoable` false for the steps of a drag after its first
//   edited(name)       layer `name`'s edits in force (network/edits.js editsOf): {kernel, bias, silenced}
//   open(kind, params) open another view in place of this one;  close()  back to the overview
//   report(params)     params changed inside the view (pos, channel): mirrored into state.view and the URL hash
//                      without recreating the view
//   drawn(what, since) `what` (e.g. "formula") is drawn for an action at `since` (event.timeStamp or
//                      performance.now()): recorded, after the next frame, in window.explainer.timings.views
//
// Neurons open the view network.js names for their layer (network.info(name).view); the overview's class rows
// ([data-class]) open the last layer's, with neuron = the class index.
// ---------------------------------------------------------------------------------------------------------------

import { channelExtent, divergingLut, greyLut, symmetricRange, weightLut } from "../ui/colors.js";
import { formatNumber } from "../ui/format.js";
import { el, iconButton, textEl, uniqueId } from "../ui/dom.js";
import { siteLanguage, t } from "../ui/i18n.js";
import { copyLink } from "../ui/copyLink.js";
import { linkTo } from "../state/url.js";
import { MARGIN, panelSide, panelTop } from "./placement.js";
import { editsOf, fits } from "../network/edits.js";
import { applyEdits } from "../state/editing.js";
import { VIEWS } from "./registry.js";
import { prefersReducedMotion } from "../ui/motion.js";
import { watchScroll } from "../ui/scroll.js";
import { listen, observeResize, onScopeEnd, subscribe } from "../ui/scope.js";

const NEURON = "[data-layer][data-neuron], [data-class]";
const INTERACTIVE = "button, a, input, select, textarea, label, summary, [tabindex], [contenteditable]";
const FOCUSABLE = "button:not([disabled]), [href], input, select, textarea, [tabindex]:not([tabindex='-1'])";
const LEAVE_MS = 200; // keep in step with the panel's CSS transition
const SHEET = matchMedia("(max-width: 640px)"); // keep in step with views.css: a view covers the screen

function sameView(a, b) {
  return (
    a.kind === b.kind && a.layer === b.layer && a.neuron === b.neuron && (a.channel ?? null) === (b.channel ?? null)
  );
}

function samePosition(a, b) {
  return (!a && !b) || (a && b && a[0] === b[0] && a[1] === b[1]);
}

/** The overview columns that stay in sight beside a view of layer `layerName`: the layer's and the one it reads. */
function keptColumns(network, layerName) {
  const column = network.column(layerName);
  if (!column) return [];
  return [column, network.column(column.source)].filter(Boolean);
}

/**
 * What views get (the interface in this file's header): the network, the store, TF.js's numbers, the colour tables
 * and ranges the overview draws with, and the host's own open, close, report and drawn.
 */
function viewContext({ network, overview, store, activations, weights, timings, open, close, report }) {
  const diverging = divergingLut();
  const grey = greyLut();
  /**
   * The colour range of channel `channel` of `tensor`, a map of layer `name` (null for a map that is no layer's,
   * such as an intermediate): with the "map" view scale, the channel's own, symmetric around 0, so a weak channel
   * shows as clearly as a strong one; with "shared", the overview's for that layer (or `shared`). The input keeps
   * its own scale: it is the image.
   */
  function mapRange(name, tensor, channel, shared = null) {
    if (name === "input") return overview.ranges().get("input");
    if (store.get().viewScale === "shared") return shared ?? overview.ranges().get(name);
    return symmetricRange([channelExtent(tensor, channel)]);
  }
  return {
    network,
    layer: network.layer,
    store,
    activations,
    weights,
    colors: {
      diverging,
      grey,
      weights: weightLut(),
      range: (name) => overview.ranges().get(name),
      lut: (name) => (name === "input" ? grey : diverging),
      mapRange,
    },
    format: formatNumber,
    edit: (changes, undoable = true) => applyEdits(store, changes, undoable),
    edited: (name) => editsOf(store.get().edits, name),
    open,
    close,
    report,
    drawn(what, since) {
      requestAnimationFrame(() =>
        setTimeout(() => {
          timings.views[what] = performance.now() - since;
          timings.viewsDrawn += 1;
        }, 0),
      );
    },
  };
}

/** The switch between each map's own colour range and the overview's, at the top of `panel`; returns show(scale). */
function scaleSwitch(panel, store) {
  const group = el("div", "vh-scale", panel);
  group.setAttribute("role", "radiogroup");
  group.setAttribute("aria-label", t("view.scale.label"));
  textEl("span", "vh-scale-title", t("view.scale.title"), group).setAttribute("aria-hidden", "true");
  // messages view.scale.<scale> (the choice) and view.scale.<scale>.hint (its tooltip)
  const choices = ["map", "shared"].map((scale) => {
    const text = t(`view.scale.${scale}`);
    const label = el("label", "vh-scale-option", group);
    label.title = t(`view.scale.${scale}.hint`);
    const input = el("input", "", label);
    Object.assign(input, { type: "radio", name: `view-scale-${uniqueId("s")}`, value: scale });
    input.checked = store.get().viewScale === scale;
    input.addEventListener("change", () => input.checked && store.set({ viewScale: scale }));
    label.append(` ${text}`);
    return input;
  });
  return (scale) => choices.forEach((input) => (input.checked = input.value === scale));
}

/**
 * The panel that holds `view` (opened as `desired`): a modal dialog named by the view's title, with a close button
 * calling `close()` and, when the view draws maps, the switch of their colour range. {panel, body, closeButton,
 * showScale(scale)}.
 */
function viewPanel(view, desired, close, store) {
  const panel = document.createElement("div");
  panel.className = "vh-panel is-entering";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "true");
  const title = view.element.querySelector("h2");
  if (title) {
    title.id ||= uniqueId("view-title");
    panel.setAttribute("aria-labelledby", title.id);
  } else panel.setAttribute("aria-label", t("view.panel.label", { layer: desired.layer, neuron: desired.neuron }));
  const closeButton = iconButton("close", t("view.close"), panel);
  closeButton.classList.add("vh-close");
  closeButton.addEventListener("click", close);
  const linkButton = iconButton("link", t("link.view"), panel);
  linkButton.classList.add("vh-link");
  linkButton.dataset.testid = "copy-link";
  linkButton.addEventListener("click", () => copyLink(linkButton, linkTo(store.get(), siteLanguage())));
  const showScale = view.maps === false ? () => {} : scaleSwitch(panel, store); // no maps: nothing for it to change
  panel.dataset.scale = store.get().viewScale;
  panel.classList.toggle("vh-wide", view.element.classList.contains("vw-wide"));
  const body = el("div", "vh-body", panel); // scrolls, when the view is taller (or wider) than the room it has
  body.appendChild(view.element);
  return { panel, body, closeButton, showScale };
}

/**
 * What if: the switch of the view's channel, `params` ({layer, neuron}), in `panel` (of a conv, activation or pooling
 * layer: none elsewhere), and under it in `body` a line while the channel is switched off. Returns show(): the
 * switch and the line as the edits in force say.
 */
function silenceToggle(panel, body, { layer, neuron }, { network, store, context }) {
  if (!fits(network, { layer, silence: neuron })) return () => {};
  const button = iconButton("power", "", panel);
  button.classList.add("vh-silence");
  Object.assign(button.dataset, { testid: "silence", forLayer: layer, forNeuron: String(neuron) });
  const note = textEl("p", "vh-silenced", t("view.silenced", { layer, neuron }));
  body.before(note);
  const off = () => context.edited(layer).silenced.has(neuron);
  button.addEventListener("click", () => context.edit([{ layer, silence: neuron, on: !off() }]));
  const show = () => {
    const silenced = off();
    button.setAttribute("aria-pressed", String(silenced));
    const label = t(silenced ? "view.silence.on" : "view.silence.off", { layer, neuron });
    button.setAttribute("aria-label", label);
    button.title = label;
    note.hidden = !silenced;
    panel.classList.toggle("is-silenced", silenced);
  };
  show();
  return show;
}

/** Put the open view's panel beside the columns it explains (placement.js), or over the whole screen on a phone. */
function placePanel({ panel, view, params }, { overview, network, root, neuronAt }) {
  const layout = overview.layout();
  if (!layout) return;
  if (SHEET.matches) {
    // A phone: the view is a sheet over the whole screen (views.css), and the overview stays where it is.
    overview.pan(0);
    panel.removeAttribute("style");
    panel.dataset.side = "sheet";
    return;
  }
  const origin = overview.origin();
  const spans = keptColumns(network, params.layer).map((c) => layout.columns[network.columns.indexOf(c)]);
  const kept = { left: Math.min(...spans.map((c) => c.x)), right: Math.max(...spans.map((c) => c.x + c.width)) };
  const visible = { left: root.scrollLeft, right: root.scrollLeft + root.clientWidth };
  const wide = view.element.classList.contains("vw-wide");
  const { pan, side, room, left } = panelSide({ kept, origin, visible, wide });
  overview.pan(pan);
  const height = layout.height - 2 * MARGIN;
  panel.style.maxWidth = `${room}px`;
  panel.style.maxHeight = `${height}px`;
  panel.style.width = wide ? `${room}px` : "";
  panel.style.height = wide ? `${height}px` : "";
  let top = origin.top + MARGIN;
  if (!wide) {
    const target = neuronAt(params);
    const centre = target ? target.offsetTop + target.offsetHeight / 2 : layout.height / 2;
    top = panelTop({ origin, height: layout.height, panelHeight: panel.offsetHeight, centre });
  }
  panel.style.left = `${left(wide ? room : panel.offsetWidth)}px`; // a wide panel's size is known: no layout read
  panel.style.top = `${top}px`;
  panel.dataset.side = side;
}

/** Keep Tab and Shift+Tab inside `panel`, a modal dialog; whether `event` was such a key. */
function keepFocusIn(panel, event) {
  if (event.key !== "Tab") return false;
  const items = [...panel.querySelectorAll(FOCUSABLE)].filter(
    (item) => item.offsetParent !== null && !item.closest("[inert]"),
  );
  const first = items[0];
  const end = items[items.length - 1];
  if (event.shiftKey ? document.activeElement === first : document.activeElement === end) {
    event.preventDefault();
    (event.shiftKey ? end : first).focus();
  }
  return true;
}

/** Remove `host`'s open view: back to the overview (fading out, focus to its neuron), or `replaced` by another view. */
function teardown(host, replaced) {
  const { view, panel, unwatch, opener } = host.current;
  host.current = null;
  view.destroy();
  unwatch();
  // focus back on the neuron first: its focus would point at it again (tooltip, highlights) after the unfading
  if (!replaced && opener && opener.isConnected) opener.focus({ preventScroll: true });
  host.overview.highlight(null);
  if (replaced || prefersReducedMotion()) panel.remove();
  else {
    panel.classList.add("is-leaving");
    panel.inert = true;
    setTimeout(() => panel.remove(), LEAVE_MS);
  }
}

/** The view `desired` asks of `host`, or null when it cannot be shown (a link to a view of another layer, say). */
function createView(host, desired, params) {
  const { context, network } = host;
  const layer = context.layer(desired.layer);
  const module = VIEWS[desired.kind];
  const count = layer ? layer.shape[layer.shape.length - 1] : 0;
  // a link names the kind and the layer apart: only a view that explains that layer is shown
  if (!module || !layer || !(desired.neuron < count) || !network.explains(desired.kind, desired.layer)) return null;
  try {
    return module.create(context, params);
  } catch (error) {
    console.warn(`cannot show a ${desired.kind} view of ${desired.layer}: ${error.message}`);
    return null;
  }
}

/** Open the view `desired` in `host`, in place of any open one; or close it when `desired` cannot be shown. */
function build(host, desired) {
  const { store, overview, root, network } = host;
  const opener = host.pending?.opener ?? null;
  const since = host.pending?.since ?? performance.now();
  host.pending = null;
  const params = { ...desired };
  delete params.kind;
  const view = createView(host, desired, params);
  if (!view) {
    store.set({ view: null }); // closes any open view too
    return;
  }
  if (host.current) teardown(host, true);
  const { panel, body, closeButton, showScale } = viewPanel(view, desired, host.close, store);
  const showSilenced = silenceToggle(panel, body, params, host);
  for (const part of host.parts) {
    const extra = part(params);
    if (extra) body.appendChild(extra);
  }
  panel.addEventListener("keydown", (event) => onPanelKey(host, event));
  const unwatch = watchScroll(body);
  const current = { kind: desired.kind, params, view, panel, body, unwatch, showScale, showSilenced };
  host.current = { ...current, opener: opener || host.neuronAt(params) };
  const layers = keptColumns(network, params.layer).map((column) => column.name);
  overview.highlight({ layers, neuron: { layer: params.layer, index: params.neuron } });
  root.appendChild(panel);
  view.update();
  host.place();
  requestAnimationFrame(() => requestAnimationFrame(() => panel.classList.remove("is-entering")));
  if (!panel.contains(document.activeElement))
    (panel.querySelector("[data-autofocus]") || closeButton).focus({ preventScroll: true });
  host.context.drawn(desired.kind, since);
}

/** Make `host`'s open view match `desired` (state.view): open, replace, move or close it. */
function sync(host, desired) {
  if (!host.isReady) return;
  const { current } = host;
  if (!desired) {
    if (current) teardown(host, false);
    return;
  }
  if (current && sameView({ kind: current.kind, ...current.params }, desired)) {
    if (desired.pos && !samePosition(desired.pos, current.params.pos)) {
      current.params.pos = desired.pos;
      current.view.setPosition?.(desired.pos);
    }
    return;
  }
  build(host, desired);
}

/** A key pressed in the open view's panel: Tab stays inside, the view handles its own keys, Escape closes it. */
function onPanelKey(host, event) {
  const { current } = host;
  if (!current || event.currentTarget !== current.panel || keepFocusIn(current.panel, event)) return;
  const handled = current.view.onKey ? current.view.onKey(event) : false;
  if (handled) event.preventDefault();
  else if (event.key === "Escape") {
    event.preventDefault();
    host.close();
  }
  event.stopPropagation();
}

/** Open the view of neuron element `node` in `host` (a class row's: the last layer's), for a click at `since`. */
function openFrom(host, node, since) {
  const { network } = host;
  const byClass = node.hasAttribute("data-class");
  const layer = byClass ? network.last : network.layer(node.getAttribute("data-layer"));
  const neuron = byClass
    ? network.classes.indexOf(node.getAttribute("data-class"))
    : Number(node.getAttribute("data-neuron"));
  const kind = layer ? network.info(layer.name)?.view : null;
  if (!kind || !VIEWS[kind] || !(neuron >= 0)) return false;
  host.pending = { opener: node, since };
  host.open(kind, { layer: layer.name, neuron });
  return true;
}

/**
 * The view host over the overview in `root` (`overview` as createOverview returns it), showing `network`'s layers.
 * `activations()` gives the current image's Map from TF.js, `weights(name)` a layer's kernel and bias; views open
 * once `ready` resolves. Timings go into `timings.views` ({kind or detail: ms}) and `timings.viewsDrawn` (a count).
 * Returns {open(kind, params), close(), update(), addPart(part)}: update() redraws the open view (call it when the
 * image changed).
 */
export function createViewHost({ root, overview, network, store, activations, weights, ready, timings }) {
  timings.views = {};
  timings.viewsDrawn = 0;
  const host = {
    root,
    overview,
    network,
    store,
    isReady: false,
    current: null, // {kind, params, view, panel, body, unwatch, showScale, opener}
    parts: [], // (params) -> element or null: shown under every view (addPart)
    pending: null, // {opener, since} of the open() that the next view comes from
    neuronAt: ({ layer, neuron }) => overview.neuronAt(layer, neuron),
    open: (kind, params) => store.set({ view: { kind, ...params } }),
    close: () => store.set({ view: null }), // back to the overview, focus on the neuron that opened it
    place: () => host.current && placePanel(host.current, host),
  };
  const report = (params) => {
    if (!host.current) return;
    Object.assign(host.current.params, params);
    store.set({ view: { kind: host.current.kind, ...host.current.params } });
  };
  const { open, close } = host;
  host.context = viewContext({ network, overview, store, activations, weights, timings, open, close, report });
  listenForNeurons(root, {
    openFrom: (node, since) => openFrom(host, node, since),
    close,
    current: () => host.current,
  });
  // Placed again when the window or the overview changes size: the overview is fitted again when what is above it
  // settles (its controls fill in after the first picture, a notice appears), and a view opened from the address
  // before that would otherwise keep the first fit's height and run past the window.
  let placing = false;
  const queuePlace = () => {
    if (placing) return;
    placing = true;
    requestAnimationFrame(() => {
      placing = false;
      host.place();
    });
  };
  listen(window, "resize", queuePlace);
  observeResize(queuePlace, root);
  // the page rebuilt in another language opens the view again: this one's animation must not go on moving it
  onScopeEnd(() => host.current?.view.destroy());
  followTheStore(store, { sync: (desired) => sync(host, desired), current: () => host.current });
  ready.then(
    () => {
      host.isReady = true;
      sync(host, store.get().view);
    },
    () => {},
  );
  return {
    open,
    close,
    /** Show `part(params)` (an element, or null for none) under every view opened from now on. */
    addPart(part) {
      host.parts.push(part);
      const extra = host.current && part(host.current.params);
      if (extra) host.current.body.appendChild(extra); // a view opened before the part came (restored from the URL)
    },
    /** Redraw the open view from the current activations (call after the image or the network changed). */
    update() {
      host.current?.showSilenced();
      host.current?.view.update();
    },
  };
}

/**
 * Open a neuron's view when one in `root` is clicked or pressed (Enter, Space); close the open view (`current()`) on
 * Escape outside it or a click outside it that does nothing else.
 */
function listenForNeurons(root, { openFrom, close, current }) {
  const neuronFrom = (target) => {
    const node = target instanceof Element ? target.closest(NEURON) : null;
    return node && !node.closest(".vh-panel") && root.contains(node) ? node : null;
  };
  root.addEventListener("click", (event) => {
    const node = neuronFrom(event.target);
    if (node) openFrom(node, event.timeStamp);
  });
  root.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const node = neuronFrom(event.target);
    if (node && node === event.target && openFrom(node, event.timeStamp)) event.preventDefault();
  });
  listen(document, "keydown", (event) => {
    if (current() && event.key === "Escape" && !current().panel.contains(event.target)) close();
  });
  listen(document, "click", (event) => {
    const target = event.target;
    const open = current();
    if (!open || !(target instanceof Element) || !target.isConnected || open.panel.contains(target)) return;
    if (target.closest(".vh-panel")) return; // a panel on its way out, whose button opened the current view
    if (neuronFrom(target)) return; // opens that neuron's view instead
    if (root.contains(target) || !target.closest(INTERACTIVE)) close();
  });
}

/** Follow `store`: the open view (state.view) with `sync`, and redraw the open view (`current()`) when its colours change. */
function followTheStore(store, { sync, current }) {
  let redrawQueued = false;
  subscribe(store, (state, previous) => {
    if (state.view !== previous.view) sync(state.view);
    const open = current();
    if (state.viewScale !== previous.viewScale && open) {
      open.panel.dataset.scale = state.viewScale;
      open.showScale(state.viewScale);
      open.view.update();
    }
    if (state.colorMode !== previous.colorMode && open && !redrawQueued) {
      redrawQueued = true; // after the overview has recomputed its colour ranges
      requestAnimationFrame(() => {
        redrawQueued = false;
        current()?.view.update();
      });
    }
  });
}
