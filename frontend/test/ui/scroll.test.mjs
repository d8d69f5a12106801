import { test } from "node:test";
import assert from "node:assert/strict";
import { scrollSides } from "../../src/ui/scroll.js";

const box = (over) => ({
  scrollLeft: 0,
  scrollTop: 0,
  scrollWidth: 100,
  scrollHeight: 100,
  clientWidth: 100,
  clientHeight: 100,
  ...over,
});

test("a box that fits names no side; one wider or taller names the sides with more to see", () => {
  assert.equal(scrollSides(box()), "");
  assert.equal(scrollSides(box({ scrollWidth: 300 })), "right");
  assert.equal(scrollSides(box({ scrollWidth: 300, scrollLeft: 100 })), "left right");
  assert.equal(scrollSides(box({ scrollWidth: 300, scrollLeft: 200 })), "left");
  assert.equal(scrollSides(box({ scrollHeight: 250 })), "down");
  assert.equal(scrollSides(box({ scrollHeight: 250, scrollTop: 150 })), "up");
  assert.equal(scrollSides(box({ scrollWidth: 300, scrollHeight: 250, scrollTop: 20 })), "right up down");
});

test("a pixel of rounding is not more to see", () => {
  assert.equal(scrollSides(box({ scrollWidth: 101, scrollHeight: 101 })), "");
  assert.equal(scrollSides(box({ scrollWidth: 300, scrollLeft: 199.5 })), "left");
  assert.equal(scrollSides(box({ scrollWidth: 102 })), "right");
  assert.equal(scrollSides(box({ scrollHeight: 300, scrollTop: 198 })), "up down");
});
