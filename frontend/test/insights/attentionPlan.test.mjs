import { test } from "node:test";
import assert from "node:assert/strict";
import "../helpers/i18n.mjs";
import {
  answersByFrame,
  chosenClass,
  gradCamCaption,
  inputBytes,
  isOutdated,
  predictedLabel,
  redrawStep,
  saliencyCaption,
  statusLine,
} from "../../src/insights/attentionPlan.js";

const frame = { live: true, probabilities: [0.1, 0.7, 0.2] };
const classes = ["T-shirt", "Trouser", "Pullover"];

test("the class explained is the predicted one unless the visitor picks another", () => {
  assert.equal(chosenClass("", frame.probabilities), 1);
  assert.equal(chosenClass("2", frame.probabilities), 2);
  assert.equal(chosenClass("0", frame.probabilities), 0);
});

test("the maps are out of date until they are of the frame computed by TF.js and the class chosen", () => {
  assert.equal(isOutdated(null, { frame: null, chosen: null }, ""), true);
  assert.equal(isOutdated({ ...frame, live: false }, { frame: null, chosen: null }, ""), true);
  assert.equal(isOutdated(frame, { frame, chosen: 1 }, ""), false);
  assert.equal(isOutdated(frame, { frame, chosen: 1 }, "1"), false, "the predicted class picked by name");
  assert.equal(isOutdated(frame, { frame, chosen: 1 }, "2"), true);
  assert.equal(isOutdated(frame, { frame: { ...frame }, chosen: 1 }, ""), true, "another image");
});

test("a redraw does nothing without a frame, nothing more when drawn, and waits away from the screen", () => {
  const never = () => assert.fail("asked whether near when drawing anywhere");
  const shown = { frame: null, chosen: null };
  assert.equal(
    redrawStep(null, shown, "", false, () => true),
    "none",
  );
  assert.equal(redrawStep({ ...frame, live: false }, shown, "", true, never), "none");
  assert.equal(
    redrawStep(frame, { frame, chosen: 1 }, "", false, () => true),
    "drawn",
  );
  assert.equal(
    redrawStep(frame, shown, "", false, () => false),
    "away",
  );
  assert.equal(
    redrawStep(frame, shown, "", false, () => true),
    "draw",
  );
  assert.equal(redrawStep(frame, shown, "", true, never), "draw", "for print or in idle time");
});

test("TF.js is asked once per frame, kind and class, and again after it failed", async () => {
  const asked = [];
  let fail = true;
  const answer = answersByFrame((kind, classIndex) => {
    asked.push(`${kind} ${classIndex}`);
    if (kind === "gradCam" && fail) throw new Error("out of memory");
    return { kind, classIndex };
  });
  const first = {};
  assert.deepEqual(await answer(first, "saliency", 1), { kind: "saliency", classIndex: 1 });
  assert.equal(answer(first, "saliency", 1), answer(first, "saliency", 1), "the same answer");
  await answer(first, "saliency", 2);
  await assert.rejects(answer(first, "gradCam", 1), /out of memory/);
  fail = false;
  assert.deepEqual(await answer(first, "gradCam", 1), { kind: "gradCam", classIndex: 1 });
  await answer({}, "saliency", 1); // a new frame
  assert.deepEqual(asked, ["saliency 1", "saliency 2", "gradCam 1", "gradCam 1", "saliency 1"]);
});

test("the input's pixels as the image had them", () => {
  assert.deepEqual([...inputBytes(Float32Array.from([0, 0.5, 1, 0.2]), 255)], [0, 128, 255, 51]);
  assert.deepEqual([...inputBytes([0.25, 1], 2)], [1, 2]);
});

test("the words beside the maps: the predicted option, the captions and the status line", () => {
  assert.equal(predictedLabel(classes, 1), "the predicted one (\u2068Trouser\u2069)");
  assert.deepEqual(saliencyCaption(classes, 2), { key: "attention.saliency", values: { class: "Pullover" } });
  const map = { layer: "conv2", shape: [7, 5] };
  const values = { layer: "conv2", mapHeight: 7, mapWidth: 5, height: 28, width: 28 };
  assert.deepEqual(gradCamCaption(map, 0.3, [28, 28, 1]), { key: "attention.gradCam", values });
  assert.deepEqual(gradCamCaption(map, 0, [28, 28, 1]), { key: "attention.gradCam.none", values });
  assert.deepEqual(statusLine(classes, 1, frame.probabilities), {
    key: "attention.status.predicted",
    values: { class: "Trouser", probability: "70.0%" },
  });
  assert.deepEqual(statusLine(classes, 2, frame.probabilities), {
    key: "attention.status",
    values: { class: "Pullover", probability: "20.0%" },
  });
});
