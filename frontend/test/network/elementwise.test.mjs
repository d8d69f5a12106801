import { test } from "node:test";
import assert from "node:assert/strict";
import { speak } from "../helpers/i18n.mjs";
import { elementwiseFormula, isElementwiseFunction } from "../../src/network/elementwise.js";

const layer = (fields) => ({ name: "a", kind: "activation", ...fields });
const written = (parts) => parts.map((part) => (typeof part === "string" ? part : "x")).join("");

test("ReLU, leaky ReLU and tanh are written as formulas of x", () => {
  assert.equal(written(elementwiseFormula(layer({ function: "relu" })).parts), "max(0, x)");
  assert.equal(
    written(elementwiseFormula(layer({ function: "leaky_relu", alpha: 0.3 }), String).parts),
    "max(0.3 × x, x)",
  );
  assert.equal(written(elementwiseFormula(layer({ function: "tanh" })).parts), "tanh(x)");
  const rescaling = elementwiseFormula({ kind: "rescaling", scale: 0.5, offset: -1 });
  assert.equal(written(rescaling.parts), "x × 0.5 + -1");
});

test("curves follow the functions Keras applies", () => {
  const close = (a, b) => assert.ok(Math.abs(a - b) < 1e-6, `${a} != ${b}`);
  close(elementwiseFormula(layer({ function: "relu" })).curve(-2), 0);
  close(elementwiseFormula(layer({ function: "leaky_relu", alpha: 0.2 })).curve(-2), -0.4);
  close(elementwiseFormula(layer({ function: "sigmoid" })).curve(0), 0.5);
  close(elementwiseFormula(layer({ function: "gelu" })).curve(1), 0.8413447);
  close(elementwiseFormula(layer({ function: "hard_sigmoid" })).curve(1.5), 0.75);
  close(elementwiseFormula(layer({ function: "selu" })).curve(-1), -1.1113307);
  close(elementwiseFormula({ kind: "rescaling", scale: 2, offset: 1 }).curve(3), 7);
});

test("only element-wise layers are explained as such", () => {
  assert.ok(isElementwiseFunction("elu") && isElementwiseFunction("linear"));
  assert.ok(!isElementwiseFunction("softmax") && !isElementwiseFunction("hard_silu"));
  assert.throws(() => elementwiseFormula(layer({ function: "softmax" })), /softmax/);
});

test("every curve the page draws is the function TF.js computes for the model, at every x", async () => {
  const tf = await import("@tensorflow/tfjs-core");
  await import("@tensorflow/tfjs-backend-cpu");
  const { applyLayer } = await import("../../src/model/layers.js");
  await tf.setBackend("cpu");
  const xs = Array.from({ length: 81 }, (_, i) => -8 + i * 0.2);
  const input = tf.tensor2d(xs, [xs.length, 1]);
  const names = ["relu", "tanh", "sigmoid", "elu", "selu", "gelu", "swish", "silu", "softplus", "softsign", "linear"];
  for (const args of [...names.map((name) => ({ function: name })), { function: "leaky_relu", alpha: 0.3 }]) {
    const computed = applyLayer({ kind: "activation", ...args }, input).dataSync();
    const curve = elementwiseFormula(layer(args)).curve;
    xs.forEach((x, i) =>
      assert.ok(Math.abs(curve(x) - computed[i]) < 1e-5, `${args.function}(${x}): ${curve(x)} != ${computed[i]}`),
    );
  }
  // Keras's activation="leaky_relu" (no slope of its own) has slope 0.2
  const keras = applyLayer({ kind: "dense", activation: "leaky_relu" }, input, { kernel: tf.ones([1, 1]) }).dataSync();
  xs.forEach((x, i) => assert.ok(Math.abs(keras[i] - (x < 0 ? 0.2 * x : x)) < 1e-6));
});

test("every function has a title, and a definition where its call does not say it all", () => {
  for (const name of [
    "relu",
    "leaky_relu",
    "tanh",
    "sigmoid",
    "elu",
    "selu",
    "gelu",
    "swish",
    "silu",
    "softplus",
    "softsign",
  ]) {
    const formula = elementwiseFormula(layer({ function: name, alpha: 0.2 }));
    assert.ok(formula.title.length > 2, name);
    assert.ok(written(formula.parts).includes("x"), name);
    const self = ["relu", "leaky_relu", "tanh"].includes(name);
    assert.equal(formula.definition === null, self, `${name}: ${formula.definition}`);
    if (!self) assert.match(formula.definition, /x/, name);
  }
});

test("titles and definitions with words are in the page's language; function names and formulas are not", () => {
  const shown = (fields) => {
    const { title, definition } = elementwiseFormula(fields.kind ? fields : layer(fields));
    return [title, definition];
  };
  assert.deepEqual(shown({ function: "linear" }), ["Identity", null]);
  assert.deepEqual(shown({ function: "elu" }), ["ELU", "elu(x) = x if x > 0, else e^x − 1"]);
  assert.deepEqual(shown({ kind: "rescaling", scale: 2, offset: 0 }), ["Rescaling", null]);
  speak("zh");
  try {
    assert.deepEqual(shown({ function: "linear" }), ["恒等函数", null]);
    assert.match(shown({ function: "gelu" })[1], /^gelu\(x\) = x × Φ\(x\)，/);
    assert.deepEqual(shown({ function: "sigmoid" }), ["Sigmoid", "σ(x) = 1 / (1 + e^−x)"]);
  } finally {
    speak("en");
  }
});

test("a function's call reads as its words around the input, and only ReLU is summed up as itself", () => {
  const leaky = elementwiseFormula(layer({ function: "leaky_relu", alpha: 0.25 }));
  assert.deepEqual(leaky.parts, ["max(0.25 × ", { input: true }, ", ", { input: true }, ")"]);
  assert.deepEqual(elementwiseFormula(layer({ function: "linear" })).parts, [{ input: true }]);
  assert.equal(elementwiseFormula(layer({ function: "relu" })).summary, "relu");
  assert.equal(elementwiseFormula(layer({ function: "elu" })).summary, "function");
});
