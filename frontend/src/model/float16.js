// IEEE 754 half-precision floats (binary16): decoding for the payload, encoding for tests and tools.

/** The float value of one half-precision bit pattern (0..65535), including subnormals, infinities and NaN. */
export function halfToFloat(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/**
 * Float32Array of the little-endian half floats in `bytes` (a Uint8Array of even length). Each normal or special
 * value is moved into place bit by bit (exact: every half is a float); zeros and subnormals are computed. Decoding
 * directly beats a 65536-entry table for the first picture, which needs far fewer values than the table holds.
 */
export function decodeFloat16(bytes) {
  if (bytes.byteLength % 2 !== 0) throw new Error(`float16 data has an odd length (${bytes.byteLength} bytes)`);
  const count = bytes.byteLength / 2;
  // Uint16Array reads in platform order; every browser we target is little-endian and the payload is aligned.
  const halves =
    bytes.byteOffset % 2 === 0 && littleEndian()
      ? new Uint16Array(bytes.buffer, bytes.byteOffset, count)
      : Uint16Array.from({ length: count }, (_, i) => bytes[2 * i] | (bytes[2 * i + 1] << 8));
  const values = new Float32Array(count);
  const bits = new Uint32Array(values.buffer);
  for (let i = 0; i < count; i++) {
    const half = halves[i];
    const exponent = half & 0x7c00;
    const sign = (half & 0x8000) << 16;
    if (exponent === 0x7c00) bits[i] = sign | 0x7f800000 | ((half & 0x3ff) << 13);
    else if (exponent !== 0)
      bits[i] = sign | (((half & 0x7fff) + 0x1c000) << 13); // exponent bias 15 -> 127
    else values[i] = (half & 0x8000 ? -1 : 1) * (half & 0x3ff) * 2 ** -24;
  }
  return values;
}

function littleEndian() {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
