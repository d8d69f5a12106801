import { test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { readNetwork } from "../../src/network/network.js";
import { encodeFloat16 } from "../helpers/float16.mjs";
import {
  base64ToBytes,
  decodeActivations,
  decodeSamples,
  gunzip,
  layerOffsets,
  modelArtifacts,
  splitActivations,
} from "../../src/model/payload.js";

const spec = {
  format: 3,
  name: "net",
  input: { name: "input", shape: [2, 2, 1], pixel_divisor: 255 },
  classes: ["a", "b"],
  layers: [
    { name: "conv", kind: "conv", input: "input", input_shape: [2, 2, 1], shape: [2, 2, 2] },
    { name: "flatten", kind: "flatten", input: "conv", input_shape: [2, 2, 2], shape: [8] },
    { name: "output", kind: "dense", input: "flatten", input_shape: [8], shape: [2], activation: "softmax" },
  ],
};

function payloadFor(count, stored = count) {
  const perSample = 8 + 8 + 2;
  const values = Array.from({ length: stored * perSample }, (_, i) => i / 4);
  return {
    spec,
    samples: {
      count,
      items: Array.from({ length: count }, (_, i) => ({ index: i, label: 0, predicted: 1 })),
      pixels: Buffer.from(Uint8Array.from({ length: count * 4 }, (_, i) => i * 10)).toString("base64"),
      probabilities: Array.from({ length: count }, () => [0.25, 0.75]),
      activations: {
        encoding: "float16-le",
        compression: "gzip",
        data: gzipSync(encodeFloat16(values)).toString("base64"),
        count: stored,
      },
    },
  };
}

test("base64 decodes to the bytes, the empty string included", () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.deepEqual(base64ToBytes(Buffer.from(bytes).toString("base64")), bytes);
  assert.deepEqual(base64ToBytes(""), new Uint8Array(0));
  assert.deepEqual(Array.from(base64ToBytes("AQI=")), [1, 2]);
});

test("gunzip inverts gzip, at once", () => {
  const raw = Uint8Array.from({ length: 100000 }, (_, i) => (i * 7919) % 251);
  assert.deepEqual(gunzip(gzipSync(raw, { level: 9 })), raw);
});

test("layer offsets add up the sizes of the layers before, flatten included", () => {
  const { offsets, block } = layerOffsets(readNetwork(spec));
  assert.deepEqual(offsets, { conv: 0, flatten: 8, output: 16 });
  assert.equal(block, 18);
});

test("activations split per sample and layer in spec order", () => {
  const values = Float32Array.from({ length: 36 }, (_, i) => i);
  const samples = splitActivations(values, readNetwork(spec), 2);
  assert.equal(samples.length, 2);
  assert.deepEqual(Array.from(samples[1].get("conv").data), [18, 19, 20, 21, 22, 23, 24, 25]);
  assert.deepEqual(samples[1].get("output").shape, [2]);
  assert.deepEqual(Array.from(samples[0].get("output").data), [16, 17]);
  assert.throws(() => splitActivations(values, readNetwork(spec), 3), /3 samples of 18 values/);
});

test("the payload's activations decode to the encoded values, per sample on demand", () => {
  const activations = decodeActivations(payloadFor(3), readNetwork(spec));
  assert.equal(activations.count, 3);
  const second = activations.sample(1);
  assert.deepEqual(
    Array.from(second.get("conv").data),
    [18, 19, 20, 21, 22, 23, 24, 25].map((v) => v / 4),
  );
  assert.equal(activations.sample(1), second);
});

test("only the stored samples decode: the first, in a payload of the first sample's values", () => {
  const activations = decodeActivations(payloadFor(4, 1), readNetwork(spec));
  assert.equal(activations.count, 1);
  assert.deepEqual(
    Array.from(activations.sample(0).get("output").data),
    [16, 17].map((v) => v / 4),
  );
  for (const index of [1, 3, 4, -1, null]) assert.equal(activations.sample(index), null, `sample ${index}`);
});

test("a payload whose activations have the wrong size is refused", () => {
  const payload = payloadFor(2);
  payload.samples.activations.count = 3;
  assert.throws(() => decodeActivations(payload, readNetwork(spec)), /3 samples of 18 values/);
});

test("sample pixels split into one image per sample", () => {
  const samples = decodeSamples(payloadFor(2));
  assert.equal(samples.pixels.length, 2);
  assert.deepEqual(Array.from(samples.pixels[1]), [40, 50, 60, 70]);
});

test("model artifacts carry the weights as an ArrayBuffer of exactly the weight bytes", () => {
  const weights = Buffer.from(Float32Array.from([1.5, -2]).buffer);
  const artifacts = modelArtifacts({
    weightSpecs: [],
    weightData: weights.toString("base64"),
  });
  assert.ok(artifacts.weightData instanceof ArrayBuffer);
  assert.deepEqual(Array.from(new Float32Array(artifacts.weightData)), [1.5, -2]);
});
