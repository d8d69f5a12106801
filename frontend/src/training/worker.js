// The training run's own thread (a Web Worker; its code is bundled into dist/training.js as a string and started
// from a blob: address, which works under file://). Messages in: {type: "start", spec, sets (data/training.js's,
// still compressed), divisor, settings, image}, {type: "pause"}, {type: "resume"}, {type: "image", pixels}, {type: "stop"}. Messages out: one
// {type: "progress", report} a batch (with the first conv layer's kernel, the image's class probabilities, the
// batch's time, and at an epoch's end every weight), then {type: "done", history}.

import { compile, softmax } from "./engine.js";
import { createTrainer, decodeSets } from "./trainer.js";

let run = null; // {trainer, net, spec, image, divisor, paused, token}
let token = 0;

function probabilities(current) {
  if (!current.image) return null;
  const d = Math.fround(current.divisor);
  const x = Float32Array.from(current.image, (v) => v / d);
  return softmax(current.net.forward(x, current.trainer.liveWeights()).logits);
}

let looping = false; // one loop at a time: a resume right after a pause finds the last one still waiting

async function loop(mine) {
  if (looping) return;
  looping = true;
  try {
    await steps(mine);
  } finally {
    looping = false;
  }
  if (run && !run.paused && run.token !== mine) loop(run.token); // a new run began while the old loop waited
}

async function steps(mine) {
  while (run && run.token === mine && !run.paused) {
    const started = performance.now();
    const report = run.trainer.step();
    report.ms = performance.now() - started;
    const first = run.spec.layers.find((layer) => layer.kind === "conv");
    const live = run.trainer.liveWeights();
    report.firstKernel = first ? { layer: first.name, ...live[first.name].kernel } : null;
    report.probabilities = probabilities(run);
    if (report.epochEnd) report.weights = run.trainer.weights();
    self.postMessage({ type: "progress", report });
    if (report.done) {
      self.postMessage({ type: "done", history: run.trainer.history });
      run = null;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 0)); // read the messages that came meanwhile
  }
}

self.onmessage = ({ data }) => {
  if (data.type === "start") {
    token += 1;
    const trainer = createTrainer({ ...data, ...decodeSets(data.sets) }); // decoded here, off the page's thread
    run = { trainer, net: compile(data.spec), spec: data.spec, image: data.image, divisor: data.divisor };
    Object.assign(run, { paused: false, token });
    loop(token);
  } else if (data.type === "pause" && run) run.paused = true;
  else if (data.type === "resume" && run?.paused) {
    run.paused = false;
    loop(run.token);
  } else if (data.type === "image" && run) run.image = data.pixels;
  else if (data.type === "stop") run = null;
};
