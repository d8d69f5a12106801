import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "fflate";
import { decodeInsights, decodeMistakes, perClassAccuracy, rowRate } from "../../src/insights/data.js";
import { readNetwork } from "../../src/network/network.js";
import { receptiveField } from "../../src/network/receptiveField.js";
import { makeSpec } from "../helpers/specs.mjs";

test("a receptive field follows every window back to the input, clipped to the image", () => {
  const network = readNetwork(makeSpec({ blocks: 2 })); // 3x3 same convs, 2x2 pools: 28 -> 14 -> 7
  // pool 2 row 3: relu_2_2 rows 6..7, conv_2_2 5..8, conv_2_1 4..9, pool 1 8..19, conv_1_2 7..20, conv_1_1 6..21
  assert.deepEqual(receptiveField(network, "max_pool_2", [3, 3]), { top: 6, left: 6, bottom: 21, right: 21 });
  assert.deepEqual(receptiveField(network, "max_pool_2", [0, 6]), { top: 0, left: 18, bottom: 9, right: 27 });
  assert.deepEqual(receptiveField(network, "relu_1_1", [5, 0]), { top: 4, left: 0, bottom: 6, right: 1 });
  // conv_2_1 (2, 3): pool 1 rows 1..3 cols 2..4, relu_1_2 rows 2..7 cols 4..9, conv_1_2 1..8 3..10, conv_1_1 0..9 2..11
  assert.deepEqual(receptiveField(network, "conv_2_1", [2, 3]), { top: 0, left: 2, bottom: 9, right: 11 });
});

test("a valid convolution's last position sees the image's last pixels", () => {
  const spec = makeSpec({ blocks: 1 });
  spec.layers[0] = { ...spec.layers[0], padding: "valid", shape: [26, 26, 10] };
  const network = readNetwork(spec);
  assert.deepEqual(receptiveField(network, "conv_1_1", [25, 0]), { top: 25, left: 0, bottom: 27, right: 2 });
});

test("per-class accuracy is the diagonal over the row, and an empty row has none", () => {
  const counts = [
    [8, 2, 0],
    [1, 3, 0],
    [0, 0, 0],
  ];
  assert.deepEqual(perClassAccuracy(counts), [0.8, 0.75, null]);
  assert.equal(rowRate(counts, 0, 1), 0.2);
  assert.equal(rowRate(counts, 2, 2), 0);
});

function base64(bytes) {
  return Buffer.from(bytes).toString("base64");
}

test("the pool's images are sliced in pool order, and examples are read per layer and channel", () => {
  const pixels = Uint8Array.from({ length: 3 * 4 }, (_, i) => i * 10); // three 2x2x1 images
  const raw = {
    format: 1,
    dataset: "tiny",
    test_count: 7,
    accuracy: 5 / 7,
    pool: {
      count: 3,
      test_index: [4, 0, 6],
      label: [1, 0, 1],
      predicted: [0, 0, 1],
      confidence: [0.9, 0.8, 0.7],
      pixels: { encoding: "uint8", compression: "gzip", data: base64(gzipSync(pixels)) },
    },
    confusion: {
      counts: [
        [2, 0],
        [2, 3],
      ],
      cells: [
        [[1], []],
        [[0], [2]],
      ],
    },
    mistakes: [0],
    top_examples: {
      per_channel: 2,
      layers: {
        conv: [
          [
            [2, 1.5, 0, 1],
            [0, 0.5, 1, 1],
          ],
        ],
      },
      left_out: ["relu"],
    },
    history: null,
  };
  const insights = decodeInsights(raw, [2, 2, 1]);
  assert.deepEqual([...insights.pool.image(2).pixels], [80, 90, 100, 110]);
  assert.equal(insights.pool.image(0).testIndex, 4);
  assert.equal(insights.pool.byTestIndex(6).ref, 2);
  assert.equal(insights.pool.byTestIndex(5), null);
  assert.deepEqual(insights.examples("conv", 0)[1], { ref: 0, value: 0.5, row: 1, col: 1 });
  assert.equal(insights.examples("conv", 1), null);
  assert.equal(insights.examples("relu", 0), null);
  assert.deepEqual(insights.leftOut, ["relu"]);
  assert.throws(() => decodeInsights({ ...raw, format: 2 }, [2, 2, 1]), /format 2/);
  assert.throws(() => decodeInsights(raw, [3, 2, 1]), /3 images of 6/);
});

test("the picker's mistakes decode from a pool of their own, in the order given, and a site without any has none", () => {
  const pixels = Uint8Array.from({ length: 2 * 4 }, (_, i) => 200 - i); // two 2x2x1 images
  const raw = {
    pool: {
      count: 2,
      test_index: [31, 7],
      label: [3, 1],
      predicted: [1, 2],
      confidence: [0.99, 0.9],
      pixels: { encoding: "uint8", compression: "gzip", data: base64(gzipSync(pixels)) },
    },
    mistakes: [1, 0],
  };
  const mistakes = decodeMistakes(raw, [2, 2, 1]);
  assert.deepEqual(
    mistakes.map((image) => [image.testIndex, image.label, image.predicted, [...image.pixels]]),
    [
      [7, 1, 2, [196, 195, 194, 193]],
      [31, 3, 1, [200, 199, 198, 197]],
    ],
  );
  assert.deepEqual(decodeMistakes(undefined, [2, 2, 1]), []);
  assert.throws(() => decodeMistakes(raw, [2, 2, 3]), /2 images of 12/);
});
