import { test } from "node:test";
import assert from "node:assert/strict";
import { speak } from "../helpers/i18n.mjs";
import { formatMetric, trainingStory } from "../../src/insights/trainingStory.js";

// A real run: 14 of at most 30 epochs, the rate cut by ReduceLROnPlateau at epoch 11, the weights of epoch 11 kept.
const RUN = {
  epochs: {
    loss: [0.551, 0.402, 0.356, 0.328, 0.305, 0.29, 0.276, 0.262, 0.251, 0.24, 0.215, 0.206, 0.198, 0.191],
    accuracy: [0.807, 0.857, 0.872, 0.882, 0.89, 0.895, 0.9, 0.905, 0.909, 0.912, 0.922, 0.925, 0.929, 0.932],
    val_loss: [0.387, 0.34, 0.318, 0.3, 0.292, 0.285, 0.29, 0.28, 0.283, 0.279, 0.263, 0.265, 0.267, 0.268],
    val_accuracy: [0.86, 0.878, 0.884, 0.89, 0.8946, 0.897, 0.894, 0.9, 0.899, 0.901, 0.912, 0.911, 0.91, 0.911],
    learning_rate: [...Array(10).fill(0.0020000000949949026), ...Array(4).fill(0.0006000000284984708)],
  },
  weights_from_epoch: 11,
  max_epochs: 30,
  patience: 3,
};

/** RUN with its epochs' logs limited to `keys`, and `over` merged in. */
function run(keys, over = {}) {
  const epochs = Object.fromEntries(keys.map((key) => [key, RUN.epochs[key]]));
  return { ...RUN, epochs, ...over };
}

test("the real run kept epoch 11's weights and stopped early at 14 of 30", () => {
  const story = trainingStory(RUN);
  assert.deepEqual(story.epochs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  assert.deepEqual(story.kept, { epoch: 11, loss: 0.215, val_loss: 0.263, accuracy: 0.922, val_accuracy: 0.912 });
  assert.deepEqual(story.stopped, { epoch: 14, early: true, max: 30, patience: 3 });
  assert.deepEqual(story.panels, ["loss", "accuracy"]);
});

test("the learning rate was cut once, at epoch 11, from 0.002 to 0.0006", () => {
  const { rateDrops } = trainingStory(RUN);
  assert.equal(rateDrops.length, 1);
  const [{ epoch, from, to, factor }] = rateDrops;
  assert.deepEqual([epoch, Math.fround(from), Math.fround(to)], [11, Math.fround(0.002), Math.fround(0.0006)]);
  assert.ok(Math.abs(factor - 0.3) < 1e-6);
});

test("series are named, put in their panel, and validation lines are dashed", () => {
  const series = trainingStory(RUN).series.map(({ key, label, panel, dashed }) => [key, label, panel, dashed]);
  assert.deepEqual(series, [
    ["loss", "training loss", "loss", false],
    ["val_loss", "validation loss", "loss", true],
    ["accuracy", "training accuracy", "accuracy", false],
    ["val_accuracy", "validation accuracy", "accuracy", true],
  ]);
});

test("the summary says how long it trained, why it stopped, which weights it kept and where the rate was cut", () => {
  assert.equal(
    trainingStory(RUN).summary,
    "Trained for 14 of at most 30 epochs: training stopped early when the validation loss had not improved for " +
      "3 epochs. The weights kept are those of epoch 11 (validation accuracy 91.2%). The learning rate was cut at " +
      "epoch 11, from 0.002 to 0.0006.",
  );
});

test("a run that used all its epochs did not stop early", () => {
  const story = trainingStory({ ...RUN, max_epochs: 14, weights_from_epoch: 14 });
  assert.equal(story.stopped.early, false);
  assert.match(story.summary, /^Trained for all 14 epochs\. The weights kept are those of epoch 14 \(/);
  assert.doesNotMatch(story.summary, /early/);
});

test("unknown limits are not guessed: no max_epochs is no early stop, no patience gives no reason", () => {
  const unbounded = trainingStory({ ...RUN, max_epochs: null, patience: null });
  assert.deepEqual(unbounded.stopped, { epoch: 14, early: false, max: null, patience: null });
  assert.match(unbounded.summary, /^Trained for 14 epochs\. /);
  const noPatience = trainingStory({ ...RUN, patience: null });
  assert.match(noPatience.summary, /^Trained for 14 of at most 30 epochs: training stopped early\. /);
});

test("missing keys leave their series, panel, rate drops or kept weights out", () => {
  const trainingOnly = trainingStory(run(["loss", "accuracy"]));
  assert.deepEqual(
    trainingOnly.series.map((s) => s.key),
    ["loss", "accuracy"],
  );
  assert.deepEqual(trainingOnly.rateDrops, []);
  assert.equal(trainingOnly.learningRate, null);
  assert.match(trainingOnly.summary, /\(training accuracy 92\.2%\)\.$/);

  const lossOnly = trainingStory(run(["loss", "val_loss"], { weights_from_epoch: undefined }));
  assert.deepEqual(lossOnly.panels, ["loss"]);
  assert.equal(lossOnly.kept, null);
  assert.doesNotMatch(lossOnly.summary, /weights kept/);

  assert.equal(trainingStory(run(["learning_rate"])), null);
  assert.equal(trainingStory(null), null);
  assert.equal(trainingStory({}), null);
  assert.equal(trainingStory({ epochs: { loss: [] } }), null);
});

test("a kept epoch outside the run is ignored; short series are padded with missing values", () => {
  assert.equal(trainingStory({ ...RUN, weights_from_epoch: 15 }).kept, null);
  assert.equal(trainingStory({ ...RUN, weights_from_epoch: 0 }).kept, null);
  const story = trainingStory({ epochs: { loss: [0.5, 0.4, 0.3], val_loss: [0.6, null] } });
  assert.deepEqual(story.epochs, [1, 2, 3]);
  assert.ok(Number.isNaN(story.series[1].values[1]) && Number.isNaN(story.series[1].values[2]));
  assert.equal(story.summary, "Trained for 3 epochs.");
});

test("several cuts are listed; a rate that only wobbles in float32 is no cut", () => {
  const rates = [0.01, 0.01, 0.003, 0.003, 0.0009, 0.0009 * (1 - 1e-9), 0.00027];
  const story = trainingStory({ epochs: { loss: rates.map(() => 1), learning_rate: rates } });
  assert.deepEqual(
    story.rateDrops.map((d) => d.epoch),
    [3, 5, 7],
  );
  assert.equal(story.summary, "Trained for 7 epochs. The learning rate was cut at epochs 3, 5 and 7.");
});

test("accuracies print as percentages and losses with three digits", () => {
  assert.equal(formatMetric("val_accuracy", 0.8946), "89.46%");
  assert.equal(formatMetric("accuracy", 0.9123, 1), "91.2%");
  assert.equal(formatMetric("val_loss", 0.26312), "0.263");
  assert.equal(formatMetric("loss", Number.NaN), "missing");
});

test("the summary speaks Chinese with the page, one number form for every count", () => {
  speak("zh");
  try {
    assert.equal(
      trainingStory(RUN).summary,
      "训练了 14 轮（最多 30 轮）：验证损失连续 3 轮没有改善，训练就提前停止了。保留的是第 11 轮结束时的权重" +
        "（验证准确率 91.2%）。学习率在第 11 轮被调低，从 0.002 降到 0.0006。",
    );
    const rates = [0.01, 0.01, 0.003, 0.003, 0.0009, 0.0009, 0.00027];
    const story = trainingStory({ epochs: { loss: rates.map(() => 1), learning_rate: rates } });
    assert.equal(story.summary, "训练了 7 轮。学习率在第 3、5 和 7 轮各被调低了一次。");
    assert.equal(story.series[0].label, "训练损失");
    assert.equal(formatMetric("loss", Number.NaN), "缺失");
  } finally {
    speak("en");
  }
});

test("the summary says 1 epoch, not 1 epochs", () => {
  const story = trainingStory({ ...RUN, patience: 1, max_epochs: 1, epochs: { loss: [0.5] }, weights_from_epoch: 1 });
  assert.equal(story.summary, "Trained for all 1 epoch. The weights kept are those of epoch 1 (training loss 0.500).");
  assert.match(trainingStory({ ...RUN, patience: 1 }).summary, /had not improved for 1 epoch\. /);
});
