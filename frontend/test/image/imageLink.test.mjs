import { test } from "node:test";
import assert from "node:assert/strict";

import { imageAddress, linkFileName } from "../../src/image/imageLink.js";

test("an address pasted alone, or the first of a uri-list, is taken; other text is not", () => {
  assert.equal(imageAddress("  https://example.org/a/cat.png \n"), "https://example.org/a/cat.png");
  assert.equal(imageAddress("http://127.0.0.1:8000/x.jpg?size=2"), "http://127.0.0.1:8000/x.jpg?size=2");
  assert.equal(
    imageAddress("# dragged\r\nhttps://a.example/1.png\r\nhttps://a.example/2.png"),
    "https://a.example/1.png",
  );
  assert.equal(imageAddress("see https://example.org/cat.png"), null); // a sentence is pasted text, not a link
  assert.equal(imageAddress("https://a.example/1.png\nnot a link"), null);
  assert.equal(imageAddress("ftp://example.org/cat.png"), null);
  assert.equal(imageAddress("javascript:alert(1)"), null);
  assert.equal(imageAddress("data:image/png;base64,AAAA"), null);
  assert.equal(imageAddress("https://"), null);
  assert.equal(imageAddress(""), null);
  assert.equal(imageAddress(undefined), null);
});

test("a fetched image is named after the last part of its path, else its host", () => {
  assert.equal(linkFileName(new URL("https://example.org/photos/red%20shoe.jpg?w=2")), "red shoe.jpg");
  assert.equal(linkFileName(new URL("https://example.org/photos/")), "photos");
  assert.equal(linkFileName(new URL("https://example.org")), "example.org");
  assert.equal(linkFileName(new URL("https://example.org/%E0%A4%A")), "%E0%A4%A");
});
