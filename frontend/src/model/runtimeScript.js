// dist/runtime.js: TF.js and the model's code (runtime.js), a script of its own that the page loads once the first
// picture is on screen (session.js). Its modules are set up when first imported: tfjs-core in one task, then its cpu
// backend, gradients and the model's code in another, so that neither keeps the page from answering input for long.

window.cnnExplain.features.runtime = {
  /** Promise of runtime.js's exports, set up in two tasks (`nextTask()`: a Promise resolved in a task of its own). */
  load: (nextTask) => import("./tfCore.js").then(nextTask).then(() => import("./runtime.js")),
};
