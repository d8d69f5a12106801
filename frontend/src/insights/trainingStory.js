// The training story: what the history of a training run (window.CNN_EXPLAIN_INSIGHTS.history) says happened, read
// once for the chart (insights/curves.js), its caption and its table: the curves per epoch, the epoch whose weights
// were kept, where training stopped and why, and where the learning rate was cut. No DOM.

import { formatNumber, formatPercent, formatShort } from "../ui/format.js";
import { formatInteger, t, tPlain } from "../ui/i18n.js";

/** The curves the chart can draw, in drawing order, with their label's message; validation lines are the dashed ones. */
const SERIES = [
  { key: "loss", message: "training.series.loss", panel: "loss", dashed: false },
  { key: "val_loss", message: "training.series.valLoss", panel: "loss", dashed: true },
  { key: "accuracy", message: "training.series.accuracy", panel: "accuracy", dashed: false },
  { key: "val_accuracy", message: "training.series.valAccuracy", panel: "accuracy", dashed: true },
];

/** What the caption quotes about the kept weights, the first of these the history has. */
const KEPT_QUOTE = ["val_accuracy", "accuracy", "val_loss", "loss"];

// Keras logs the learning rate as float32: a value "lower" by rounding alone is no cut.
const CUT = 1 - 1e-6;

/** `values` (an array, maybe holding nulls) as numbers, NaN where a value is missing; [] when it is no array. */
function numbers(values) {
  return Array.isArray(values) ? values.map((v) => (typeof v === "number" ? v : Number.NaN)) : [];
}

/** A positive whole number, or null. */
function count(value) {
  return Number.isInteger(value) && value > 0 ? value : null;
}

/** `value` of the series `key` as the page writes it: accuracies in percent (`digits` decimals), losses with 3 digits. */
export function formatMetric(key, value, digits = 2) {
  if (!Number.isFinite(value)) return t("training.missing");
  return key.endsWith("accuracy") ? formatPercent(value, digits) : formatNumber(value);
}

/** "5", "5 and 8", "5, 8 and 11" (in the current language). */
function list(items) {
  if (items.length < 2) return items.join("");
  return tPlain("training.list", { items: items.slice(0, -1).join(t("training.list.separator")), last: items.at(-1) });
}

/** "1 epoch", "3 epochs". */
function epochs(n) {
  return tPlain("training.epochs", { count: n });
}

/**
 * The story of `history` ({epochs: {loss, accuracy, val_loss, val_accuracy, learning_rate: per-epoch arrays, any
 * missing}, weights_from_epoch (1-based), max_epochs, patience}), or null when it holds no curve. Returns
 * {epochs: [1..n], series: [{key, label, panel ("loss" | "accuracy"), dashed (validation), values (NaN: missing)}],
 * panels: ["loss"?, "accuracy"?] (those with a series), learningRate (values or null),
 * kept: {epoch, loss?, accuracy?, val_loss?, val_accuracy?} or null, stopped: {epoch (n), early, max, patience},
 * rateDrops: [{epoch, from, to, factor}], summary (plain sentences for the caption and screen readers)}.
 */
export function trainingStory(history) {
  const logs = history?.epochs;
  if (!logs || typeof logs !== "object") return null;
  const series = SERIES.map(({ message, ...s }) => ({ ...s, label: t(message), values: numbers(logs[s.key]) })).filter(
    (s) => s.values.some(Number.isFinite),
  );
  if (series.length === 0) return null;
  const rates = numbers(logs.learning_rate);
  const learningRate = rates.some(Number.isFinite) ? rates : null;
  const n = Math.max(...series.map((s) => s.values.length), learningRate?.length ?? 0);
  const epochList = Array.from({ length: n }, (_, i) => i + 1);
  for (const s of series) while (s.values.length < n) s.values.push(Number.NaN);

  const keptEpoch = count(history.weights_from_epoch);
  const kept = keptEpoch && keptEpoch <= n ? { epoch: keptEpoch } : null;
  if (kept) for (const s of series) kept[s.key] = s.values[keptEpoch - 1];

  const max = count(history.max_epochs);
  const stopped = { epoch: n, early: max !== null && n < max, max, patience: count(history.patience) };

  const rateDrops = [];
  for (let i = 1; i < (learningRate?.length ?? 0); i++) {
    const [from, to] = [learningRate[i - 1], learningRate[i]];
    if (from > 0 && to < from * CUT) rateDrops.push({ epoch: i + 1, from, to, factor: to / from });
  }

  const panels = ["loss", "accuracy"].filter((panel) => series.some((s) => s.panel === panel));
  const story = { epochs: epochList, series, panels, learningRate, kept, stopped, rateDrops };
  return { ...story, summary: summarise(story) };
}

/** The caption: how long it trained and why it stopped, which weights it kept, where the learning rate was cut. */
function summarise({ series, kept, stopped, rateDrops }) {
  const { epoch: n, early, max, patience } = stopped;
  const sentences = [];
  if (early) {
    sentences.push(
      patience
        ? tPlain("training.stoppedEarly", { n, max: epochs(max), patience: epochs(patience) })
        : tPlain("training.stoppedEarly.noPatience", { n, max: epochs(max) }),
    );
  } else {
    sentences.push(tPlain(n === max ? "training.trainedAll" : "training.trained", { count: n }));
  }
  if (kept) {
    const key = KEPT_QUOTE.find((k) => Number.isFinite(kept[k]));
    sentences.push(
      key
        ? tPlain("training.kept.quote", {
            epoch: kept.epoch,
            series: series.find((s) => s.key === key).label,
            value: formatMetric(key, kept[key], 1),
          })
        : tPlain("training.kept", { epoch: kept.epoch }),
    );
  }
  if (rateDrops.length === 1) {
    const [{ epoch, from, to }] = rateDrops;
    sentences.push(tPlain("training.rateCut", { epoch, from: formatShort(from), to: formatShort(to) }));
  } else if (rateDrops.length > 1) {
    sentences.push(tPlain("training.rateCuts", { epochs: list(rateDrops.map((d) => formatInteger(d.epoch))) }));
  }
  return sentences.join(t("article.sentenceSpace"));
}
