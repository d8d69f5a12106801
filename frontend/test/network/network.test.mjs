import { test } from "node:test";
import assert from "node:assert/strict";
import { speak } from "../helpers/i18n.mjs";
import { kindOf } from "../../src/network/kinds.js";
import { readNetwork, SPEC_FORMAT, specProblem } from "../../src/network/network.js";
import { VIEWS } from "../../src/views/registry.js";
import { makeSpec } from "../helpers/specs.mjs";

test("every layer of a Tiny VGG but flatten opens a registered view", () => {
  const network = readNetwork(makeSpec({ blocks: 2, hidden: 8 }));
  for (const info of network.layers) {
    if (info.name === "flatten") assert.equal(info.view, null);
    else assert.ok(VIEWS[info.view], `${info.name}: ${info.view}`);
  }
  const views = Object.fromEntries(network.layers.map((info) => [info.name, info.view]));
  assert.deepEqual(
    ["conv_1_1", "relu_1_1", "max_pool_1", "hidden", "dropout", "output"].map((name) => views[name]),
    ["conv", "activation", "pool", "output", "dropout", "output"],
  );
});

test("softmax and rescaling layers have their views; a function the page cannot draw has none", () => {
  const spec = makeSpec({ blocks: 1 });
  spec.layers.splice(0, 0, {
    name: "scale",
    kind: "rescaling",
    scale: 0.5,
    offset: 0,
    input: "input",
    input_shape: [28, 28, 1],
    shape: [28, 28, 1],
  });
  spec.layers.push({
    name: "probs",
    kind: "activation",
    function: "softmax",
    input: "output",
    input_shape: [10],
    shape: [10],
  });
  spec.layers.splice(1, 0, {
    name: "odd",
    kind: "activation",
    function: "mystery",
    input: "scale",
    input_shape: [28, 28, 1],
    shape: [28, 28, 1],
  });
  const network = readNetwork(spec);
  assert.equal(network.info("scale").view, "activation");
  assert.equal(network.info("probs").view, "softmax");
  assert.equal(network.info("odd").view, null);
  assert.equal(network.outputFunction, "softmax");
});

test("every layer links to the article section about its kind", () => {
  const network = readNetwork(makeSpec({ hidden: 8 }));
  const sections = Object.fromEntries(network.layers.map((info) => [info.name, info.section]));
  assert.equal(sections.conv_1_1, "article-convolution");
  assert.equal(sections.relu_1_1, "article-relu");
  assert.equal(sections.max_pool_1, "article-pooling");
  assert.equal(sections.flatten, "article-flatten");
  assert.equal(sections.hidden, "article-output");
  assert.equal(sections.output, "article-output");
  assert.equal(sections.dropout, null);
});

test("the classifier is the last dense layer, read through flatten (and dropout) from the last map", () => {
  const { classifier } = readNetwork(makeSpec({ blocks: 2 }));
  assert.equal(classifier.dense.name, "output");
  assert.equal(classifier.input, "flatten");
  assert.equal(classifier.flatten.name, "flatten");
  assert.equal(classifier.source.name, "max_pool_2");
});

test("with a hidden dense layer, the classifier is explained from that layer's units", () => {
  const network = readNetwork(makeSpec({ blocks: 1, hidden: 16 }));
  assert.equal(network.classifier.dense.name, "output");
  assert.equal(network.classifier.input, "dropout");
  assert.equal(network.classifier.flatten, null);
  assert.equal(network.classifier.source, null);
  assert.equal(network.reads("hidden").source.name, "max_pool_1");
});

test("the classifier reads through a stack of dropout layers to flatten and the map before it", () => {
  const spec = {
    name: "n",
    classes: ["a", "b"],
    input: { shape: [2, 2, 3], pixel_divisor: 255 },
    layers: [
      { name: "pool", kind: "pool", op: "max", input: "input", input_shape: [2, 2, 3], shape: [2, 2, 3] },
      { name: "flat", kind: "flatten", input: "pool", input_shape: [2, 2, 3], shape: [12] },
      { name: "drop_a", kind: "dropout", input: "flat", input_shape: [12], shape: [12] },
      { name: "drop_b", kind: "dropout", input: "drop_a", input_shape: [12], shape: [12] },
      { name: "out", kind: "dense", activation: "softmax", input: "drop_b", input_shape: [12], shape: [2] },
    ],
  };
  const { dense, input, flatten, source } = readNetwork(spec).classifier;
  assert.equal(dense.name, "out");
  assert.equal(input, "drop_b");
  assert.equal(flatten.name, "flat");
  assert.equal(source.name, "pool");
});

test("a link's view kind must explain its layer: the layer's own view, or softmax on the last layer", () => {
  const network = readNetwork(makeSpec({ blocks: 1 }));
  assert.ok(network.explains("conv", "conv_1_1"));
  assert.ok(network.explains("output", "output") && network.explains("softmax", "output"));
  assert.ok(!network.explains("softmax", "conv_1_1"), "softmax under conv_1_1's name");
  assert.ok(!network.explains("pool", "relu_1_1") && !network.explains("output", "max_pool_1"));
  assert.ok(!network.explains("conv", "nowhere") && !network.explains("softmax", "nowhere"));
  const sigmoid = makeSpec({ blocks: 1 });
  sigmoid.layers.at(-1).activation = "sigmoid";
  assert.ok(!readNetwork(sigmoid).explains("softmax", "output"), "a sigmoid output has no softmax to explain");
});

test("a spec without a dense layer has no classifier", () => {
  const spec = makeSpec();
  spec.layers = spec.layers.filter((layer) => layer.kind !== "dense");
  spec.layers.push({
    name: "probs",
    kind: "activation",
    function: "softmax",
    input: "flatten",
    input_shape: [490],
    shape: [10],
  });
  assert.equal(readNetwork(spec).classifier, null);
});

test("derived layers are those the builder does not store: relu, max pooling, flatten, dropout", () => {
  const spec = makeSpec({ blocks: 1, hidden: 4 });
  spec.layers.push({
    name: "soft",
    kind: "activation",
    function: "tanh",
    input: "output",
    input_shape: [10],
    shape: [10],
  });
  const network = readNetwork(spec);
  const derived = network.layers.filter((info) => info.derive).map((info) => info.name);
  assert.deepEqual(derived, ["relu_1_1", "relu_1_2", "max_pool_1", "flatten", "dropout"]);
  const relu = network.info("relu_1_1").derive;
  assert.deepEqual(Array.from(relu(Float32Array.from([-1.5, 0, 2.25]))), [0, 0, 2.25]);
  const input = Float32Array.from([1, -2]);
  assert.equal(network.info("dropout").derive(input), input);
  assert.equal(network.info("flatten").derive(input), input);
});

test("the network is frozen: no module can change how the spec is read", () => {
  const network = readNetwork(makeSpec());
  assert.ok(Object.isFrozen(network) && Object.isFrozen(network.columns) && Object.isFrozen(network.columns[1]));
  assert.ok(Object.isFrozen(network.blocks[1].layers) && Object.isFrozen(network.layers[0]));
});

test("a payload of another format is refused with a sentence that says what to do", () => {
  assert.equal(specProblem({ ...makeSpec(), format: SPEC_FORMAT }), null);
  assert.match(
    specProblem({ ...makeSpec(), format: 1 }),
    /format 1, but this page reads format 6: build the site again/,
  );
  assert.match(specProblem({ name: "x" }), /no model description/);
});

test("a neuron is described in the page's language, its numbers as digits and {of} left for the layer it reads", () => {
  const network = readNetwork(makeSpec({ blocks: 2, hidden: 8 }));
  const describe = (name, index, source = network.column(network.column(name)?.source ?? "max_pool_2")) =>
    kindOf(network.layer(name)).describe(network.layer(name), source, index);
  const english = {
    conv_1_1: "3×3 convolution over the 1 channel of {of}, plus a bias",
    conv_1_2: "3×3 convolution over all 10 channels of {of}, plus a bias",
    relu_1_1: "relu of {of}, channel 2",
    max_pool_1: "2×2 max pooling of {of}, channel 2",
    hidden: "weighted sum of all 10 channels of {of}",
    dropout: "dropout: passes {of} through unchanged when predicting",
    flatten: "flatten of {of}",
  };
  for (const [name, text] of Object.entries(english)) assert.equal(describe(name, 2), text);
  assert.equal(describe("output", 0, { count: 3136, kind: "vector" }), "weighted sum of all 3136 units of {of}");
  speak("zh");
  try {
    assert.equal(describe("max_pool_1", 1200), "对 {of} 的通道 1200 做 2×2 最大池化");
    for (const name of Object.keys(english)) {
      const text = describe(name, 2);
      assert.equal(text.split("{of}").length, 2, text);
      assert.doesNotMatch(text, /[\u2068\u2069]/, text);
      assert.notEqual(text, english[name]);
    }
  } finally {
    speak("en");
  }
});

test("where the class scores are: before a Dense's softmax, the input of a final activation, or the output", () => {
  assert.equal(readNetwork(makeSpec({ blocks: 1 })).scores, "dense");
  const linear = makeSpec({ blocks: 1 });
  linear.layers.at(-1).activation = "linear";
  assert.equal(readNetwork(linear).scores, "output");
  linear.layers.push({
    name: "probs",
    kind: "activation",
    function: "softmax",
    input: "output",
    input_shape: [10],
    shape: [10],
  });
  assert.equal(readNetwork(linear).scores, "input");
});

test("the network named in another language is the same reading with other class names", () => {
  const network = readNetwork(makeSpec({ blocks: 1, classes: 3 }));
  const named = network.named(["猫", "狗", "鸟"]);
  assert.deepEqual(named.classes, ["猫", "狗", "鸟"]);
  assert.deepEqual(
    network.classes,
    ["class 0", "class 1", "class 2"].map((_, i) => network.classes[i]),
  );
  assert.equal(named.layers, network.layers, "not read again");
  assert.ok(Object.isFrozen(named));
  assert.ok(network.layers.find((info) => info.name === "conv_1_1").convolves);
  assert.equal(network.layers.find((info) => info.name === "conv_1_1").id, "conv_1_1");
});

test("a colour block starts at a layer that mixes channels, or that puts its input on another scale", () => {
  const map = (name, input, kind, fields = {}) => ({
    name,
    id: name,
    input,
    input_shape: [8, 8, 2],
    shape: [8, 8, 2],
    kind,
    ...fields,
  });
  const spec = {
    format: SPEC_FORMAT,
    name: "m",
    input: { name: "input", shape: [8, 8, 2], pixel_divisor: 1 },
    classes: ["a", "b"],
    layers: [
      map("flip", "input", "dropout", { rate: null, layer_class: "RandomFlip" }),
      map("scale", "flip", "rescaling", { scale: 1 / 255, offset: 0 }),
      map("conv", "scale", "conv", { filters: 2, kernel_size: [3, 3], strides: [1, 1], padding: "same" }),
      map("bn", "conv", "batchnorm", { epsilon: 0.001, center: true, scale: true }),
      map("relu", "bn", "activation", { function: "relu" }),
      { ...map("gap", "relu", "globalpool", { op: "average" }), shape: [2] },
      {
        name: "out",
        id: "out",
        input: "gap",
        input_shape: [2],
        shape: [2],
        kind: "dense",
        units: 2,
        activation: "softmax",
        use_bias: true,
      },
    ],
  };
  const blocks = readNetwork(spec).blocks.map((block) => block.layers.join(" "));
  assert.deepEqual(blocks, ["input", "flip", "scale", "conv", "bn relu", "gap", "out"]);
});
