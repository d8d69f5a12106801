// How the explanation views print a number: three significant digits, never a rounded-away sign. No DOM.

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
