import { test } from "node:test";
import assert from "node:assert/strict";
import { speak } from "../helpers/i18n.mjs";
import { aboutSentences, formulaMessage, formulaNumbers, gridCaptions } from "../../src/article/playgroundText.js";
import { classicKernels, convOutput } from "../../src/article/playgroundMath.js";
import { t } from "../../src/ui/i18n.js";

const layer = { name: "conv1", kernel_size: [3, 3] };

test("the formula is filled in with the settings, and the output size as the line above writes it", () => {
  const settings = { input: 8, kernel: 3, padding: 1, stride: 2 };
  assert.deepEqual(formulaNumbers(settings, convOutput(settings)), {
    input: "8",
    kernel: "3",
    padding: "2",
    stride: "2",
    size: 4.5,
    sizeText: "4.5",
  });
  const thirds = { input: 9, kernel: 2, padding: 0, stride: 3 };
  assert.equal(formulaNumbers(thirds, convOutput(thirds)).sizeText, "3.33");
});

test("the line under the formula: what does not work, else a remark, else nothing", () => {
  assert.deepEqual(formulaMessage({ problem: "it is wrong", note: null }), {
    key: "playground.problem",
    values: { problem: "it is wrong" },
    problem: true,
  });
  assert.deepEqual(formulaMessage({ problem: null, note: "it is odd" }), {
    key: "playground.note",
    values: { note: "it is odd" },
    problem: false,
  });
  assert.equal(formulaMessage({ problem: null, note: null }), null);
});

test("the grids' captions give their sizes, and say why there is no output", () => {
  const plain = { input: 7, kernel: 3, padding: 0, stride: 1 };
  assert.deepEqual(gridCaptions(plain, convOutput(plain), true), {
    input: "Input 7×7",
    kernel: "Kernel 3×3",
    output: "Output 5×5",
    empty: null,
  });
  const padded = { ...plain, padding: 2 };
  assert.equal(gridCaptions(padded, convOutput(padded), true).input, "Input 7×7, padded to 11×11");
  const large = { input: 3, kernel: 7, padding: 0, stride: 1 };
  assert.deepEqual(gridCaptions(large, convOutput(large), false), {
    input: "Input 3×3",
    kernel: "Kernel 7×7",
    output: null,
    empty: "No output: the kernel does not fit.",
  });
  const stride = { input: 8, kernel: 3, padding: 0, stride: 2 };
  assert.equal(gridCaptions(stride, convOutput(stride), false).empty, "No output: the stride does not fit.");
});

test("the sentences under the grids name the patch, the kernel, and what the padding and red cells are", () => {
  const settings = { input: 5, kernel: 3, padding: 0, stride: 1, filter: 2, channel: 0 };
  const values = { patch: { top: 4, left: 10 }, classic: null, bias: -0.123456, geometry: convOutput(settings) };
  const about = { layer, channels: 1, divisor: 255 };
  assert.deepEqual(aboutSentences(values, settings, about), [
    {
      key: "playground.about.input",
      values: { size: 5, channel: 0, top: 4, bottom: 8, left: 10, right: 14, divisor: 255 },
    },
    {
      key: "playground.about.filter",
      values: { filter: 2, layer: "conv1", channel: 0, height: 3, width: 3, bias: "-0.123" },
    },
  ]);
  const wrong = { ...settings, padding: 1, stride: 2, kernel: 2 }; // (5 - 2 + 2) / 2: one column left over
  const classic = classicKernels(2)[3];
  const sentences = aboutSentences({ ...values, classic, geometry: convOutput(wrong) }, wrong, {
    ...about,
    channels: 3,
  });
  assert.deepEqual(
    sentences.map((s) => s.key),
    [
      "playground.about.inputChannel",
      "playground.about.classic",
      "playground.about.padding",
      "playground.about.leftover",
    ],
  );
  assert.deepEqual(sentences[1].values, {
    size: 2,
    name: "blur",
    about: "every weight 1/4: the window's mean",
    layer: "conv1",
    height: 3,
    width: 3,
  });
  assert.equal(sentences[2].values, null);
});

test("the captions speak the page's language", () => {
  speak("zh");
  try {
    const plain = { input: 7, kernel: 3, padding: 0, stride: 1 };
    assert.equal(gridCaptions(plain, convOutput(plain), true).input, t("playground.grid.input", { size: 7 }));
    assert.notEqual(gridCaptions(plain, convOutput(plain), true).input, "Input 7×7");
  } finally {
    speak("en");
  }
});
