import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeFloat16, halfToFloat } from "../../src/model/float16.js";
import { encodeFloat16, floatToHalf } from "../helpers/float16.mjs";

const KNOWN = [
  [0x0000, 0],
  [0x3c00, 1],
  [0xbc00, -1],
  [0x3555, 0.333251953125],
  [0x4000, 2],
  [0xc000, -2],
  [0x7bff, 65504], // largest normal
  [0x0400, 2 ** -14], // smallest normal
  [0x0001, 2 ** -24], // smallest subnormal
  [0x03ff, 1023 * 2 ** -24], // largest subnormal
  [0x8001, -(2 ** -24)],
  [0x7c00, Infinity],
  [0xfc00, -Infinity],
  [0x3800, 0.5],
  [0x5640, 100],
];

test("half bit patterns decode to the known values, subnormals and infinities included", () => {
  for (const [bits, value] of KNOWN) {
    assert.equal(halfToFloat(bits), value, `0x${bits.toString(16)}`);
    assert.equal(decodeFloat16(new Uint8Array([bits & 0xff, bits >> 8]))[0], value, `decoded 0x${bits.toString(16)}`);
  }
  assert.ok(Object.is(halfToFloat(0x8000), -0));
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  assert.ok(Number.isNaN(decodeFloat16(new Uint8Array([0x00, 0x7e]))[0]));
});

test("decodeFloat16 agrees with the arithmetic decoder for every bit pattern, signed zeros included", () => {
  const every = new Uint16Array(65536).map((_, bits) => bits);
  const decoded = decodeFloat16(new Uint8Array(every.buffer));
  for (let bits = 0; bits < 65536; bits++) {
    const expected = halfToFloat(bits);
    if (Number.isNaN(expected)) assert.ok(Number.isNaN(decoded[bits]));
    else assert.ok(Object.is(decoded[bits], expected), `0x${bits.toString(16)}`);
  }
});

test("decodeFloat16 reads little-endian pairs, also from an odd byte offset", () => {
  const bytes = new Uint8Array([0xff, 0x00, 0x3c, 0x01, 0x00, 0x00, 0xfc]);
  assert.deepEqual(Array.from(decodeFloat16(bytes.subarray(1, 7))), [1, 2 ** -24, -Infinity]);
  const aligned = new Uint8Array([0x00, 0x3c, 0x00, 0xc0]);
  assert.deepEqual(Array.from(decodeFloat16(aligned)), [1, -2]);
  assert.throws(() => decodeFloat16(new Uint8Array(3)), /odd length/);
});

test("encoding rounds to the nearest half (ties to even) and overflows to infinity", () => {
  for (const [bits, value] of KNOWN) assert.equal(floatToHalf(value), bits, String(value));
  assert.equal(floatToHalf(1 + 2 ** -11), 0x3c00); // tie: rounds to even (down)
  assert.equal(floatToHalf(1 + 3 * 2 ** -11), 0x3c02); // tie: rounds to even (up)
  assert.equal(floatToHalf(70000), 0x7c00);
  assert.equal(floatToHalf(2 ** -26), 0x0000);
  assert.equal(floatToHalf(NaN) & 0x7c00, 0x7c00);
});

test("encode then decode keeps about three significant digits", () => {
  const values = [0.1234, -5.678, 123.4, 0.000123, -0.5];
  const decoded = decodeFloat16(encodeFloat16(values));
  values.forEach((v, i) => assert.ok(Math.abs(decoded[i] - v) <= Math.abs(v) * 1e-3, `${v} -> ${decoded[i]}`));
});
