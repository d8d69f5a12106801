// The training run's own thread: a Web Worker whose code is bundled into dist/training.js as a string and started
// from a blob: address, which works under file://. It runs driver.js, which says what the messages are.

import { createDriver } from "./driver.js";

const receive = createDriver((message) => self.postMessage(message));
self.onmessage = ({ data }) => receive(data);
