// Dev tool: writes a site with a fake payload (randomly initialised network, synthetic images) in the
// docs/format.md structure, to develop and test the front end without the Python build. Never shipped.
//
// node dev/make_fake_payload.mjs --out /tmp/fake [--blocks 2] [--filters 10] [--channels 1] [--size 28]
//   [--classes 10] [--samples 10] [--hidden 0] [--padding same]
// Then render index.html with: python dev/render_page.py /tmp/fake

import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tfl from "@tensorflow/tfjs-layers";
import { gzipSync } from "node:zlib";
import { mkdirSync, writeFileSync, copyFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeFloat16 } from "../test/helpers/float16.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const opt = (name, fallback) =>
  args[name] === undefined ? fallback : isNaN(Number(args[name])) ? args[name] : Number(args[name]);
const out = opt("out", "/tmp/cnn-explain-fake");
const blocks = opt("blocks", 2);
const filters = opt("filters", 10);
const channels = opt("channels", 1);
const size = opt("size", 28);
const classCount = opt("classes", 10);
const sampleCount = opt("samples", 10);
const hidden = opt("hidden", 0);
const padding = opt("padding", "same");
const classNames = opt("names", "");

await tf.setBackend("cpu");
tf.util.seedrandom?.("0");

const model = tfl.sequential({ name: "tiny_vgg" });
const specLayers = [];
let shape = [size, size, channels];
let previous = "input";
function add(layer, entry) {
  model.add(layer);
  const outShape = layer.outputShape.slice(1);
  specLayers.push({ name: layer.name, input: previous, input_shape: shape, shape: outShape, ...entry });
  previous = layer.name;
  shape = outShape;
}
let first = true;
for (let b = 1; b <= blocks; b++) {
  for (let k = 1; k <= 2; k++) {
    const conv = tfl.layers.conv2d({
      name: `conv_${b}_${k}`,
      filters,
      kernelSize: 3,
      padding,
      ...(first ? { inputShape: [size, size, channels] } : {}),
    });
    first = false;
    add(conv, {
      kind: "conv",
      filters,
      kernel_size: [3, 3],
      strides: [1, 1],
      padding,
      activation: "linear",
      use_bias: true,
    });
    add(tfl.layers.reLU({ name: `relu_${b}_${k}` }), { kind: "activation", function: "relu" });
  }
  if (shape[0] >= 2) {
    add(tfl.layers.maxPooling2d({ name: `max_pool_${b}`, poolSize: 2 }), {
      kind: "pool",
      op: "max",
      pool_size: [2, 2],
      strides: [2, 2],
      padding: "valid",
    });
  }
}
add(tfl.layers.flatten({ name: "flatten" }), { kind: "flatten" });
if (hidden) {
  add(tfl.layers.dense({ name: "hidden", units: hidden, activation: "relu" }), {
    kind: "dense",
    units: hidden,
    activation: "relu",
    use_bias: true,
  });
  add(tfl.layers.dropout({ name: "dropout", rate: 0.5 }), { kind: "dropout", rate: 0.5 });
}
add(tfl.layers.dense({ name: "output", units: classCount, activation: "softmax" }), {
  kind: "dense",
  units: classCount,
  activation: "softmax",
  use_bias: true,
});

const classes = classNames ? classNames.split(",") : Array.from({ length: classCount }, (_, i) => `class ${i}`);
while (classes.length < classCount) classes.push(`class ${classes.length}`);
const spec = {
  format: 1,
  name: "tiny_vgg",
  input: { name: "input", shape: [size, size, channels], pixel_divisor: 255.0 },
  classes,
  layers: specLayers,
};

// Synthetic images: shapes of varying position and size.
const count = size * size * channels;
const pixels = new Uint8Array(sampleCount * count);
for (let s = 0; s < sampleCount; s++) {
  const cx = size * (0.3 + (0.4 * ((s * 37) % 10)) / 10);
  const cy = size * (0.3 + (0.4 * ((s * 53) % 10)) / 10);
  const r = size * (0.15 + (0.2 * (s % 4)) / 4);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < channels; c++) {
        const d = s % 2 ? Math.hypot(x - cx, y - cy) : Math.max(Math.abs(x - cx), Math.abs(y - cy));
        const v = d < r ? 230 - 60 * c * (s % 3) : 20 + ((x * 7 + y * 13 + s) % 30);
        pixels[s * count + (y * size + x) * channels + c] = v;
      }
}

const names = specLayers.map((l) => l.name);
const probe = tfl.model({ inputs: model.inputs, outputs: names.map((n) => model.getLayer(n).output) });
const input = tf.div(tf.tensor4d(Float32Array.from(pixels), [sampleCount, size, size, channels]), tf.scalar(255));
const outputs = probe.predict(input);
const perLayer = outputs.map((t) => t.dataSync());
const values = [];
for (let s = 0; s < sampleCount; s++) {
  names.forEach((_, l) => {
    const n = perLayer[l].length / sampleCount;
    for (let i = 0; i < n; i++) values.push(perLayer[l][s * n + i]);
  });
}
const probabilities = [];
const last = perLayer[perLayer.length - 1];
for (let s = 0; s < sampleCount; s++) probabilities.push(Array.from(last.slice(s * classCount, (s + 1) * classCount)));
const argmax = (a) => a.indexOf(Math.max(...a));

let artifacts;
await model.save(
  tf.io.withSaveHandler(
    async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } }),
  ),
);
const weightData = Buffer.from(artifacts.weightData);
const payload = {
  spec,
  model: {
    modelTopology: { keras_version: "tfjs-layers", backend: "tensor_flow.js", model_config: artifacts.modelTopology },
    weightSpecs: artifacts.weightSpecs,
    weightData: weightData.toString("base64"),
  },
  samples: {
    count: sampleCount,
    items: probabilities.map((p, s) => ({ index: s, label: s % classCount, predicted: argmax(p) })),
    pixels: Buffer.from(pixels).toString("base64"),
    probabilities,
    activations: {
      encoding: "float16-le",
      compression: "gzip",
      data: gzipSync(encodeFloat16(values), { level: 9 }).toString("base64"),
    },
  },
};

mkdirSync(join(out, "data"), { recursive: true });
writeFileSync(join(out, "data", "explainer.js"), `window.CNN_EXPLAIN=${JSON.stringify(payload)};\n`);
writeFileSync(join(out, "spec.json"), JSON.stringify(spec, null, 1) + "\n");
for (const name of ["app.js", "app.css"]) copyFileSync(join(here, "..", "dist", name), join(out, name));
console.log(`wrote ${out}: ${names.length} layers, ${sampleCount} samples`);
