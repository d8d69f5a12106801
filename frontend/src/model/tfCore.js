// Set up by runtimeScript.js before the rest of TF.js: tfjs-core's own modules (the part of them the page uses).

export { tidy } from "@tensorflow/tfjs-core";
