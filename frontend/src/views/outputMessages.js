// What the output view explains and what it writes: the unit and what its layer reads, the messages of its heading
// and their values, the column's accessible name, the contributions it lists, an element's place in the maps. No DOM
// (t gives plain text; the view turns message keys and values into nodes).

import { flattenPosition } from "../network/classifier.js";
import { t } from "../ui/i18n.js";

/**
 * Unit `unit` of dense layer `layer` (a spec entry) of `network` and what it reads: {layer, unit, source (the H x W x C
 * layer flattened into it, or null), input (the name of what it reads), flatten (the flatten layer's name, or null),
 * isClassifier, inputCount, units, classes, finalFunction, finalLayer (its name), names {source, layer, unit}}.
 */
export function outputSubject(network, layer, unit) {
  const reads = network.reads(layer.name);
  const source = reads.source;
  const isClassifier = network.classifier.dense === layer;
  const classes = network.classes;
  return {
    layer,
    unit,
    source,
    input: reads.input,
    flatten: reads.flatten ? reads.flatten.name : null,
    isClassifier,
    inputCount: layer.input_shape[layer.input_shape.length - 1],
    units: layer.units,
    classes,
    finalFunction: network.outputFunction,
    finalLayer: network.last.name,
    names: { source: source?.name ?? reads.input, layer: layer.name, unit: unitName(isClassifier, classes, unit) },
  };
}

/** The name of unit `k`: its class (`classes[k]`) for the classifier, else "unit k". */
export function unitName(isClassifier, classes, k) {
  return isClassifier ? classes[k] : t("view.unit", { unit: k });
}

/**
 * The messages of the heading of `subject` (outputSubject's) and their values: {title: [key, values], summary: [key,
 * values]}. The summary says what is read (maps flattened, or a vector) and what it gives (a class's logit, a unit's
 * sum, a unit's sum before its activation).
 */
export function headerMessages(subject) {
  const { source, isClassifier, names, unit, layer } = subject;
  const title = isClassifier ? ["view.output.title.class", names] : ["view.output.title", { ...names, index: unit }];
  // messages view.output.summary.{maps,values}{Logit,Sum,SumBefore}
  const read = source ? "maps" : "values";
  const gives = isClassifier ? "Logit" : layer.activation !== "linear" ? "SumBefore" : "Sum";
  const [height, width, channels] = source ? source.shape : [];
  const values = {
    ...names,
    height,
    width,
    channels,
    count: subject.inputCount,
    index: unit,
    activation: layer.activation,
  };
  return { title, summary: [`view.output.summary.${read}${gives}`, values] };
}

/** The flattened column's accessible name: how many values it holds and whose sum they make. */
export function stripLabel(subject) {
  const { isClassifier, inputCount, layer, names } = subject;
  return t(isClassifier ? "view.output.strip.class" : "view.output.strip.unit", {
    count: inputCount,
    layer: layer.name,
    unit: names.unit,
  });
}

/** Whether the sum leads on to the softmax view: for the classifier, when the page shows the softmax of its logits. */
export function leadsToSoftmax(subject) {
  return subject.isClassifier && (subject.finalFunction === "softmax" || subject.finalFunction === "linear");
}

/** A listed contribution, "v12 +0.345" or "v7 −0.2": element `index` and its `product`, signed, `format`ted. */
export function contributionText(index, product, format) {
  return `v${index} ${product > 0 ? "+" : "−"}${format(Math.abs(product))}`;
}

/**
 * Element `index` of the column: the data-* attributes of the detail ({index}, and {y, x, c} when the column is
 * maps of `shape` flattened, else null), and for maps the parts of "(y·W + x)·C + c = index": {y, x, c, rowTimes
 * ("y·W"), col, timesChannels ("·C"), channel, index}, all text. Positions are never written with separators.
 */
export function elementPlace(shape, index) {
  const data = { index: String(index) };
  if (!shape) return { data, place: null };
  const { y, x, c } = flattenPosition(shape, index);
  const [, width, channels] = shape;
  Object.assign(data, { y: String(y), x: String(x), c: String(c) });
  const place = {
    y,
    x,
    c,
    rowTimes: `${y}·${width}`,
    col: String(x),
    timesChannels: `·${channels}`,
    channel: String(c),
    index: String(index),
  };
  return { data, place };
}
