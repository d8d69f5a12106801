import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_FILE_BYTES, fileProblem, unreadableMessage } from "../src/imageFile.js";

test("empty and oversized files are refused with their name and size before decoding", () => {
  assert.equal(fileProblem({ name: "empty.png", size: 0 }), "empty.png is empty (0 bytes).");
  assert.equal(
    fileProblem({ name: "huge.jpg", size: 51 * 1024 * 1024 }),
    "huge.jpg is 51 MB: images up to 50 MB can be read here.",
  );
  assert.equal(fileProblem({ name: "photo.jpg", size: MAX_FILE_BYTES }), null);
  assert.equal(fileProblem({ name: "notes.txt", size: 12 }), null, "the decoder decides what is an image");
});

test("a file the browser cannot decode is named with the formats it can", () => {
  assert.equal(
    unreadableMessage("notes.txt"),
    "notes.txt is not an image this browser can read (PNG, JPEG, WebP, GIF, BMP).",
  );
});
