// Numbers too large or small for plain decimals (e^z of a logit), as mantissa x 10^exponent. No DOM.
// (format.js prints ordinary numbers; views/math.js sets both in formulas.)

/**
 * `value` to `digits` significant digits as {mantissa (text), exponent}: mantissa x 10^exponent, with exponent 0
 * (plain decimals) when 0.01 <= |value| < 100000.
 */
export function scientific(value, digits = 3) {
  const abs = Math.abs(value);
  if (abs === 0 || !Number.isFinite(value)) return { mantissa: String(value), exponent: 0 };
  if (abs >= 0.01 && abs < 1e5) {
    const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
    return { mantissa: value.toFixed(decimals), exponent: 0 };
  }
  const [mantissa, exponent] = value.toExponential(digits - 1).split("e");
  return { mantissa, exponent: Number(exponent) };
}
