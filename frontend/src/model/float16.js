// IEEE 754 half-precision floats (binary16): decoding for the payload, encoding for tests and tools.

let table = null;

/** The float value of one half-precision bit pattern (0..65535), including subnormals, infinities and NaN. */
export function halfToFloat(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** A Float32Array of all 65536 half values, indexed by bit pattern (built once, 256 KiB). */
export function halfTable() {
  if (table === null) {
    // Normal and special values by moving bits (fast); subnormals and zeros numerically.
    const bits32 = new Uint32Array(65536);
    for (let h = 0; h < 65536; h++) {
      const sign = (h & 0x8000) << 16;
      const exponent = (h >> 10) & 0x1f;
      const fraction = h & 0x3ff;
      if (exponent === 0x1f) bits32[h] = sign | 0x7f800000 | (fraction << 13);
      else if (exponent !== 0) bits32[h] = sign | ((exponent + 112) << 23) | (fraction << 13);
    }
    table = new Float32Array(bits32.buffer);
    for (let fraction = 0; fraction < 1024; fraction++) {
      table[fraction] = fraction * 2 ** -24;
      table[0x8000 | fraction] = -fraction * 2 ** -24;
    }
  }
  return table;
}

/** Float32Array of the little-endian half floats in `bytes` (a Uint8Array of even length). */
export function decodeFloat16(bytes) {
  if (bytes.byteLength % 2 !== 0) throw new Error(`float16 data has an odd length (${bytes.byteLength} bytes)`);
  const count = bytes.byteLength / 2;
  const values = new Float32Array(count);
  const lut = halfTable();
  if (bytes.byteOffset % 2 === 0) {
    // Uint16Array reads in platform order; every browser we target is little-endian.
    const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
    if (littleEndian()) {
      for (let i = 0; i < count; i++) values[i] = lut[halves[i]];
      return values;
    }
  }
  for (let i = 0; i < count; i++) values[i] = lut[bytes[2 * i] | (bytes[2 * i + 1] << 8)];
  return values;
}

function littleEndian() {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}
