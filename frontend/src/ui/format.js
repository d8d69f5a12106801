// How the page writes a number, everywhere: three significant digits in the views, short labels on legends and
// tooltips, mantissa and exponent for the very large or small, plain numbers in sentences. No DOM.

/** `value` with three significant digits ("0.0123", "-1.50", "123", "1234"); exactly zero prints "0". */
export function formatNumber(value) {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(0);
  if (abs < 1e-4) return value.toExponential(2);
  return value.toPrecision(3);
}

/** `value` as formatNumber writes it, less trailing zeros: for constants and legend ticks ("0.2", "1", "-2.65"). */
export function formatShort(value) {
  const text = formatNumber(value);
  return /e/.test(text) ? text : String(Number(text));
}

/** A short label for a number on a legend or tooltip: 3 significant digits, no "-0". */
export function formatValue(value) {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) < 5e-4) return "0.00";
  const abs = Math.abs(value);
  const text = abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
  return text;
}

/** A number for a sentence: whole numbers as they are, others with at most two decimals. */
export function plainNumber(value) {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

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

/** A rate 0..1 as a percentage with `digits` decimals ("91.2%"). */
export function formatPercent(rate, digits = 1) {
  return `${(rate * 100).toFixed(digits)}%`;
}
