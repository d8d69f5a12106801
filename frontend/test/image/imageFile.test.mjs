import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_FILE_BYTES, fileProblem, unreadableMessage } from "../../src/image/imageFile.js";
import "../helpers/i18n.mjs";

const shown = (text) => text.replace(/[\u2068\u2069]/g, ""); // the file name's direction isolates are invisible

test("empty and oversized files are refused with their name and size before decoding", () => {
  assert.equal(shown(fileProblem({ name: "empty.png", size: 0 })), "empty.png is empty (0 bytes).");
  assert.match(fileProblem({ name: "empty.png", size: 0 }), /^\u2068empty\.png\u2069 /, "the name is isolated");
  assert.equal(
    shown(fileProblem({ name: "huge.jpg", size: 51 * 1024 * 1024 })),
    "huge.jpg is 51 MB: images up to 50 MB can be read here.",
  );
  assert.equal(fileProblem({ name: "photo.jpg", size: MAX_FILE_BYTES }), null);
  assert.equal(fileProblem({ name: "notes.txt", size: 12 }), null, "the decoder decides what is an image");
});

test("a file the browser cannot decode is named with the formats it can", () => {
  assert.equal(
    shown(unreadableMessage("notes.txt")),
    "notes.txt is not an image this browser can read (PNG, JPEG, WebP, GIF, BMP).",
  );
});
