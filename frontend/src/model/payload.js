// Decoding the page payload (window.CNN_EXPLAIN, docs/format.md): base64, gzip, float16, split per sample and layer.

import { gunzipSync } from "fflate";
import { decodeFloat16 } from "./float16.js";

/** Uint8Array of the bytes in a base64 string. */
export function base64ToBytes(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Uint8Array of the gunzipped `bytes`, at once. The platform's DecompressionStream is asynchronous: waiting for it,
 * the browser rendered the page once without the first picture, which came about 110 ms later (bench.page).
 */
export function gunzip(bytes) {
  return gunzipSync(bytes);
}

/** The number of values in a tensor of `shape`. */
export function shapeSize(shape) {
  return shape.reduce((product, dim) => product * dim, 1);
}

/** The spec layers of `network` whose outputs the payload stores (the others are derived), in spec order. */
export function storedLayers(network, storedNames = null) {
  const layers = network.layers.map((info) => info.layer);
  if (!storedNames) return layers;
  const names = new Set(storedNames);
  return layers.filter((layer) => names.has(layer.name));
}

/** Each stored layer's offset into one sample's block of activations, and the block's size. */
export function layerOffsets(network, storedNames = null) {
  const offsets = {};
  let offset = 0;
  for (const layer of storedLayers(network, storedNames)) {
    offsets[layer.name] = offset;
    offset += shapeSize(layer.shape);
  }
  return { offsets, block: offset };
}

/**
 * Per sample, a Map from every spec layer's name to {shape, data}: views into `values` (all samples' stored float
 * activations) for the stored layers, recomputed from their input for the others (network.js: a layer's derive).
 */
export function splitActivations(values, network, count, storedNames = null) {
  const { offsets, block } = layerOffsets(network, storedNames);
  if (values.length !== block * count) {
    throw new Error(
      `the activations hold ${values.length} values; ${count} samples of ${block} values each were expected`,
    );
  }
  const samples = [];
  for (let s = 0; s < count; s++) {
    const layers = new Map();
    for (const { layer, derive } of network.layers) {
      if (layer.name in offsets) {
        const start = s * block + offsets[layer.name];
        layers.set(layer.name, { shape: layer.shape, data: values.subarray(start, start + shapeSize(layer.shape)) });
      } else {
        const input = layers.get(layer.input);
        if (!input || !derive)
          throw new Error(`layer ${layer.name} is neither stored nor derivable from a stored layer`);
        layers.set(layer.name, { shape: layer.shape, data: derive(input.data, layer) });
      }
    }
    samples.push(layers);
  }
  return samples;
}

/** Per sample, a Uint8Array view of its H x W x C pixels in `bytes`. */
export function splitPixels(bytes, spec, count) {
  const size = shapeSize(spec.input.shape);
  if (bytes.length !== size * count) {
    throw new Error(`the sample pixels hold ${bytes.length} bytes; ${count} images of ${size} were expected`);
  }
  return Array.from({ length: count }, (_, s) => bytes.subarray(s * size, (s + 1) * size));
}

/** The weights the page runs with (the payload's model: their specs and base64 bytes), the bytes as an ArrayBuffer. */
export function modelArtifacts(model) {
  const bytes = base64ToBytes(model.weightData);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { weightSpecs: model.weightSpecs, weightData };
}

/** The samples part of the payload, decoded: items, pixels per sample, Keras probabilities. */
export function decodeSamples(payload) {
  const { spec, samples } = payload;
  return {
    count: samples.count,
    items: samples.items,
    pixels: splitPixels(base64ToBytes(samples.pixels), spec, samples.count),
    probabilities: samples.probabilities,
  };
}

/** The raw float16 bytes of the precomputed activations (base64 decoded and gunzipped). */
export function activationBytes(payload) {
  const encoded = payload.samples.activations;
  if (encoded.encoding !== "float16-le") throw new Error(`unknown activations encoding ${encoded.encoding}`);
  const bytes = base64ToBytes(encoded.data);
  if (encoded.compression === "gzip") return gunzip(bytes);
  if (encoded.compression && encoded.compression !== "none") {
    throw new Error(`unknown activations compression ${encoded.compression}`);
  }
  return bytes;
}

/**
 * {count, sample(i)}: the first `count` samples' stored layers. sample(i) is a Map from layer name to {shape, data},
 * decoded from float16 `bytes` on first use, or null for a sample whose layers are not stored.
 */
export function lazyActivations(bytes, network, count, storedNames = null) {
  const { block } = layerOffsets(network, storedNames);
  if (bytes.length !== block * count * 2) {
    throw new Error(
      `the activations hold ${bytes.length / 2} values; ${count} samples of ${block} values each were expected`,
    );
  }
  const cache = new Map();
  return {
    count,
    sample(index) {
      if (!Number.isInteger(index) || index < 0 || index >= count) return null;
      if (!cache.has(index)) {
        const values = decodeFloat16(bytes.subarray(index * block * 2, (index + 1) * block * 2));
        cache.set(index, splitActivations(values, network, 1, storedNames)[0]);
      }
      return cache.get(index);
    },
  };
}

/**
 * The payload's precomputed activations as lazyActivations (decoded per sample when first shown): those of the
 * first sample, which the first picture shows before TF.js has loaded (docs/format.md). Synchronous, so that the
 * first picture is drawn before the browser first renders the page.
 */
export function decodeActivations(payload, network) {
  const { layers, count } = payload.samples.activations;
  return lazyActivations(activationBytes(payload), network, count, layers);
}
