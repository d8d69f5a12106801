import { test } from "node:test";
import assert from "node:assert/strict";
import { elementwiseFormula, isElementwise } from "../src/elementwise.js";

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
  assert.ok(isElementwise(layer({ function: "elu" })));
  assert.ok(isElementwise({ kind: "rescaling" }));
  assert.ok(!isElementwise(layer({ function: "softmax" })));
  assert.ok(!isElementwise({ kind: "conv" }));
  assert.throws(() => elementwiseFormula(layer({ function: "softmax" })), /softmax/);
});
