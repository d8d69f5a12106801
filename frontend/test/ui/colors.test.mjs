import { test } from "node:test";
import assert from "node:assert/strict";
import { readNetwork } from "../../src/network/network.js";
import { legendGroups } from "../../src/network/ranges.js";
import { formatValue } from "../../src/ui/format.js";
import { interpolateGreens, interpolateRdBu } from "d3-scale-chromatic";
import {
  LUT_SIZE,
  divergingLut,
  greenLut,
  greyLut,
  inkOn,
  relativeLuminance,
  lutIndex,
  makeLut,
  parseColor,
  rgbBasis,
  sqrtScale,
  symmetricRange,
  valueRange,
  weightLut,
} from "../../src/ui/colors.js";
import { makeSpec } from "../helpers/specs.mjs";

test("blocks of Tiny VGG start at each conv and take the element-wise layers after it", () => {
  const groups = readNetwork(makeSpec({ blocks: 2 })).blocks;
  assert.deepEqual(
    groups.map((g) => g.layers),
    [
      ["input"],
      ["conv_1_1", "relu_1_1"],
      ["conv_1_2", "relu_1_2", "max_pool_1"],
      ["conv_2_1", "relu_2_1"],
      ["conv_2_2", "relu_2_2", "max_pool_2"],
      ["output"],
    ],
  );
  assert.deepEqual(
    groups.map((g) => g.kind),
    ["input", "spatial", "spatial", "spatial", "spatial", "output"],
  );
});

test("a hidden dense layer and its dropout form a vector group; flatten belongs to none", () => {
  const groups = readNetwork(makeSpec({ blocks: 1, hidden: 32 })).blocks;
  assert.deepEqual(groups.at(-2), { kind: "vector", layers: ["hidden", "dropout"] });
  assert.ok(!groups.some((g) => g.layers.includes("flatten")));
});

test("value and symmetric ranges", () => {
  assert.deepEqual(valueRange(Float32Array.from([3, -1, 2])), { min: -1, max: 3 });
  assert.deepEqual(valueRange([]), { min: 0, max: 0 });
  assert.deepEqual(
    symmetricRange([
      { min: -1, max: 3 },
      { min: -4, max: 0.5 },
    ]),
    { min: -4, max: 4 },
  );
  assert.deepEqual(symmetricRange([{ min: 0, max: 0 }]), { min: -0, max: 0 });
});

test("the square-root scale keeps 0, the ends and the order, and draws a quarter of the way at halfway", () => {
  assert.equal(sqrtScale(0.5), 0.5);
  assert.equal(sqrtScale(0), 0);
  assert.equal(sqrtScale(1), 1);
  assert.equal(sqrtScale(0.625), 0.75);
  assert.equal(sqrtScale(0.375), 0.25);
  for (let t = 0; t < 1; t += 0.01) assert.ok(sqrtScale(t + 0.01) > sqrtScale(t));
});

test("lookup indices clamp and centre 0 in a symmetric range", () => {
  assert.equal(lutIndex(0, -2, 2, 257), 128);
  assert.equal(lutIndex(-9, -2, 2), 0);
  assert.equal(lutIndex(9, -2, 2), 255);
  assert.equal(lutIndex(NaN, -2, 2), 0);
  assert.equal(lutIndex(1, 0, 0), 127);
});

test("the diverging scale runs red (negative) through light to blue (positive); grey runs black to white", () => {
  const lut = divergingLut(256);
  const [r0, , b0] = lut.slice(0, 3);
  const [r1, , b1] = lut.slice(255 * 4, 255 * 4 + 3);
  assert.ok(r0 > b0 && b1 > r1, "red at the low end, blue at the high end");
  const mid = lut.slice(128 * 4, 128 * 4 + 3);
  assert.ok(Math.min(...mid) > 220, "near white at 0");
  // on a square-root scale: a quarter of the way from 0 to the end is drawn as RdBu draws halfway
  const quarter = Array.from(divergingLut(257).slice(160 * 4, 160 * 4 + 3));
  const halfway = parseColor(interpolateRdBu(0.75));
  assert.ok(
    quarter.every((v, i) => Math.abs(v - halfway[i]) <= 2),
    `${quarter} against ${halfway}`,
  );
  const grey = greyLut(256);
  assert.deepEqual(Array.from(grey.slice(0, 4)), [0, 0, 0, 255]);
  assert.deepEqual(Array.from(grey.slice(255 * 4)), [255, 255, 255, 255]);
});

test("colour strings parse and values format for legends", () => {
  assert.deepEqual(parseColor("rgb(1, 2, 3)"), [1, 2, 3]);
  assert.deepEqual(parseColor("#0a0B0c"), [10, 11, 12]);
  assert.equal(formatValue(-0.0001), "0.00");
  assert.equal(formatValue(1.23456), "1.23");
  assert.equal(formatValue(-12.345), "-12.3");
  assert.equal(formatValue(1234.5), "1235");
});

test("legends follow the colour mode: one per block, per layer, or one for the whole network", () => {
  const spec = makeSpec({ blocks: 2 });
  const layers = (mode) => legendGroups(readNetwork(spec), mode).map((g) => g.layers);
  assert.deepEqual(
    layers("block"),
    readNetwork(spec)
      .blocks.slice(0, -1)
      .map((g) => g.layers),
  );
  assert.equal(
    layers("layer").length,
    1 + spec.layers.filter((l) => l.kind !== "flatten" && l.name !== "output").length,
  );
  assert.ok(layers("layer").every((names) => names.length === 1));
  assert.deepEqual(layers("global"), [
    ["input"],
    readNetwork(spec)
      .blocks.slice(1, -1)
      .flatMap((g) => g.layers),
  ]);
  assert.throws(() => legendGroups(readNetwork(spec), "rainbow"), /unknown colour mode/);
});

test("the weight scale is orange for negative, light at 0, purple for positive, unlike the activations'", () => {
  const lut = weightLut();
  const at = (t) => {
    const i = Math.round(t * 255) * 4;
    return [lut[i], lut[i + 1], lut[i + 2]];
  };
  const [r0, , b0] = at(0);
  const [r1, , b1] = at(1);
  assert.ok(r0 > b0, "negative weights are orange");
  assert.ok(b1 > r1 * 0.5 && b1 > 60, "positive weights are purple");
  assert.ok(
    at(0.5).every((v) => v > 225),
    "zero is near white",
  );
  assert.notDeepEqual(at(0), Array.from(divergingLut().slice(0, 3)));
});

test("value ranges skip nothing but report no range for empty or non-finite data", () => {
  assert.deepEqual(valueRange(Float32Array.from([2, -1, 5])), { min: -1, max: 5 });
  assert.deepEqual(valueRange(Float32Array.from([7])), { min: 7, max: 7 });
  assert.deepEqual(valueRange([]), { min: 0, max: 0 });
  assert.deepEqual(valueRange([1, Infinity]), { min: 0, max: 0 });
  assert.deepEqual(valueRange([-Infinity, 1]), { min: 0, max: 0 });
});

test("legend labels switch precision at 10 and 100", () => {
  assert.equal(formatValue(9.996), "10.00");
  assert.equal(formatValue(10), "10.0");
  assert.equal(formatValue(99.94), "99.9");
  assert.equal(formatValue(100), "100");
  assert.equal(formatValue(-0.0004), "0.00");
  assert.equal(formatValue(0.0005), "0.00");
  assert.equal(formatValue(Infinity), "Infinity");
  assert.deepEqual(parseColor("#0aFf10"), [10, 255, 16]);
  assert.throws(() => parseColor("blue"), /cannot parse/);
});

test("numbers on coloured cells get the ink with WCAG AA contrast (4.5:1) on every colour of every table", () => {
  const contrast = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const ink = { "#000": 0, "#fff": 1 };
  for (const lut of [divergingLut(), greyLut(), weightLut()])
    for (let i = 0; i < lut.length / 4; i++) {
      const background = relativeLuminance(lut[i * 4], lut[i * 4 + 1], lut[i * 4 + 2]);
      assert.ok(contrast(ink[inkOn(lut, i)], background) >= 4.5, `entry ${i}: ${lut.slice(i * 4, i * 4 + 3)}`);
    }
  assert.equal(relativeLuminance(255, 255, 255), 1);
  assert.equal(relativeLuminance(0, 0, 0), 0);
  assert.ok(Math.abs(relativeLuminance(128, 128, 128) - 0.2159) < 1e-3); // WCAG's worked value for #808080
  assert.equal(inkOn(new Uint8ClampedArray([128, 128, 128, 255]), 0), "#000"); // 5.3:1, and 3.9:1 for white
  assert.equal(inkOn(new Uint8ClampedArray([204, 76, 69, 255]), 0), "#000"); // 4.7:1, and 4.49:1 for white
});

test("the green scale of what the model looks at is d3's interpolateGreens, and green from end to end", () => {
  const lut = greenLut();
  assert.deepEqual(lut, makeLut(interpolateGreens));
  for (let i = 0; i < LUT_SIZE; i++) {
    const [r, g, b] = lut.slice(i * 4, i * 4 + 3);
    assert.ok(g >= r && g >= b, `entry ${i} is not green: ${r}, ${g}, ${b}`);
  }
  assert.deepEqual([...lut.slice(0, 3)], [247, 252, 245]);
  assert.deepEqual([...lut.slice(-4, -1)], [0, 68, 27]);
  assert.equal(rgbBasis(["#000000", "#ffffff"])(0.5), "rgb(128, 128, 128)");
});
