// Encoding float16 as numpy's astype('<f2') does: the tests' and dev tools' half of what the page decodes
// (src/model/float16.js). The page itself never encodes.

/** The half-precision bit pattern nearest to `value` (round half to even), as numpy's astype('<f2'). */
export function floatToHalf(value) {
  const f32 = new Float32Array([value]);
  const x = new Uint32Array(f32.buffer)[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  let e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let result = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    if (rest > half || (rest === half && result & 1)) result += 1;
    return sign | result;
  }
  let result = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && result & 1)) result += 1;
  return sign | result;
}

/** Little-endian half-float bytes of `values` (any array of numbers). */
export function encodeFloat16(values) {
  const bytes = new Uint8Array(values.length * 2);
  for (let i = 0; i < values.length; i++) {
    const bits = floatToHalf(values[i]);
    bytes[2 * i] = bits & 0xff;
    bytes[2 * i + 1] = bits >> 8;
  }
  return bytes;
}
