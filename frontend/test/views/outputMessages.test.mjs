import { test } from "node:test";
import assert from "node:assert/strict";
import { speak } from "../helpers/i18n.mjs";
import { makeSpec } from "../helpers/specs.mjs";
import { readNetwork } from "../../src/network/network.js";
import { isolate } from "../../src/ui/text.js";
import {
  contributionText,
  elementPlace,
  headerMessages,
  leadsToSoftmax,
  outputSubject,
  stripLabel,
  unitName,
} from "../../src/views/outputMessages.js";

speak("en");
// conv 4x4x2, pool to 2x2x2, flatten (8), hidden (5, relu), dropout, output (3 classes, softmax)
const network = readNetwork(makeSpec({ blocks: 1, filters: 2, size: 4, classes: 3, hidden: 5 }));

test("a hidden dense unit reads the flattened maps, and is named by its index", () => {
  const subject = outputSubject(network, network.layer("hidden"), 2);
  assert.equal(subject.source.name, "max_pool_1");
  assert.equal(subject.input, "flatten");
  assert.equal(subject.flatten, "flatten");
  assert.equal(subject.isClassifier, false);
  assert.equal(subject.inputCount, 8);
  assert.equal(subject.units, 5);
  assert.deepEqual(subject.names, { source: "max_pool_1", layer: "hidden", unit: "unit 2" });
  assert.equal(subject.finalLayer, "output");
  assert.equal(leadsToSoftmax(subject), false);
});

test("the classifier reads the hidden units through dropout, and its units are the classes", () => {
  const subject = outputSubject(network, network.layer("output"), 1);
  assert.equal(subject.source, null);
  assert.equal(subject.input, "dropout");
  assert.equal(subject.flatten, null);
  assert.equal(subject.isClassifier, true);
  assert.equal(subject.inputCount, 5);
  assert.deepEqual(subject.names, { source: "dropout", layer: "output", unit: "class 1" });
  assert.equal(leadsToSoftmax(subject), true);
  assert.equal(unitName(true, ["cat", "dog"], 1), "dog");
  assert.equal(unitName(false, ["cat", "dog"], 1), "unit 1");
});

test("the heading says what is read (maps or values) and what it gives (logit, sum, sum before the activation)", () => {
  const hidden = headerMessages(outputSubject(network, network.layer("hidden"), 2));
  assert.deepEqual(hidden.title, [
    "view.output.title",
    { source: "max_pool_1", layer: "hidden", unit: "unit 2", index: 2 },
  ]);
  assert.equal(hidden.summary[0], "view.output.summary.mapsSumBefore");
  assert.deepEqual(hidden.summary[1], {
    source: "max_pool_1",
    layer: "hidden",
    unit: "unit 2",
    height: 2,
    width: 2,
    channels: 2,
    count: 8,
    index: 2,
    activation: "relu",
  });
  const output = headerMessages(outputSubject(network, network.layer("output"), 0));
  assert.deepEqual(output.title, ["view.output.title.class", { source: "dropout", layer: "output", unit: "class 0" }]);
  assert.equal(output.summary[0], "view.output.summary.valuesLogit");
  assert.equal(output.summary[1].height, undefined);
  const direct = readNetwork(makeSpec({ blocks: 1, filters: 2, size: 4, classes: 3 }));
  assert.equal(
    headerMessages(outputSubject(direct, direct.layer("output"), 0)).summary[0],
    "view.output.summary.mapsLogit",
  );
  const spec = makeSpec({ blocks: 1, filters: 2, size: 4, classes: 3, hidden: 5 });
  spec.layers.find((layer) => layer.name === "hidden").activation = "linear";
  const linear = readNetwork(spec);
  assert.equal(
    headerMessages(outputSubject(linear, linear.layer("hidden"), 0)).summary[0],
    "view.output.summary.mapsSum",
  );
});

test("the column's accessible name counts its values and names the unit, and the key that changes it", () => {
  assert.equal(
    stripLabel(outputSubject(network, network.layer("hidden"), 2)),
    `The 8 values ${isolate("hidden")} reads, top to bottom, joined to ${isolate("unit 2")} by edges coloured by ` +
      "weight. Up and down arrows step through them; left and right arrows change unit.",
  );
  assert.match(stripLabel(outputSubject(network, network.layer("output"), 0)), /^The 5 values .* change class\.$/);
});

test("only a classifier whose logits the page puts through softmax leads on to the softmax view", () => {
  const subject = outputSubject(network, network.layer("output"), 0);
  assert.equal(leadsToSoftmax({ ...subject, finalFunction: "linear" }), true);
  assert.equal(leadsToSoftmax({ ...subject, finalFunction: "sigmoid" }), false);
});

test("a listed contribution names its element and its signed product", () => {
  const format = (value) => value.toFixed(2);
  assert.equal(contributionText(12, 0.5, format), "v12 +0.50");
  assert.equal(contributionText(7, -0.25, format), "v7 −0.25");
});

test("an element of flattened maps has its pixel and channel, written as Keras's order computes its index", () => {
  // (y·W + x)·C + c = index: (1·2 + 0)·2 + 1 = 5
  assert.deepEqual(elementPlace([2, 2, 2], 5), {
    data: { index: "5", y: "1", x: "0", c: "1" },
    place: { y: 1, x: 0, c: 1, rowTimes: "1·2", col: "0", timesChannels: "·2", channel: "1", index: "5" },
  });
  assert.deepEqual(elementPlace([7, 7, 10], 489).data, { index: "489", y: "6", x: "6", c: "9" });
  // (1·4 + 3)·2 + 1 = 15: the width and the channels each in their place
  const { place } = elementPlace([3, 4, 2], 15);
  assert.deepEqual([place.rowTimes, place.col, place.timesChannels, place.channel], ["1·4", "3", "·2", "1"]);
  // a vector's element has an index alone, written without separators
  assert.deepEqual(elementPlace(undefined, 1234), { data: { index: "1234" }, place: null });
});
