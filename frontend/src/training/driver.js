// A training run driven by messages, a batch per task (so the messages that come meanwhile are read between
// batches): in a Web Worker (worker.js), or on the page's own thread where no worker can start (training.js). In:
// {type: "start", spec, sets (data/training.js's, still compressed), divisor, settings, image}, {type: "pause"},
// {type: "resume"}, {type: "image", pixels}, {type: "stop"}. Out, through `post`: one {type: "progress", report} a
// batch (with the first conv layer's kernel, the image's class probabilities, the batch's time, and at an epoch's
// end every weight), then {type: "done", history}.

import { createTrainer, decodeSets } from "./trainer.js";

/** A driver that posts its messages with `post`: returns receive(message). */
export function createDriver(post) {
  let run = null; // {trainer, spec, image, paused, token}
  let token = 0;
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
      report.probabilities = run.image ? run.trainer.probabilities(run.image) : null;
      if (report.epochEnd) report.weights = run.trainer.weights();
      post({ type: "progress", report });
      if (report.done) {
        post({ type: "done", history: run.trainer.history });
        run = null;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 0)); // read the messages that came meanwhile
    }
  }

  return (data) => {
    if (data.type === "start") {
      token += 1;
      const trainer = createTrainer({ ...data, ...decodeSets(data.sets) }); // in a worker: off the page's thread
      run = { trainer, spec: data.spec, image: data.image, paused: false, token };
      loop(token);
    } else if (data.type === "pause" && run) run.paused = true;
    else if (data.type === "resume" && run?.paused) {
      run.paused = false;
      loop(run.token);
    } else if (data.type === "image" && run) run.image = data.pixels;
    else if (data.type === "stop") run = null;
  };
}
