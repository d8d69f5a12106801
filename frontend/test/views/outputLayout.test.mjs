import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MAP_LABELS,
  centredScroll,
  clampElement,
  curvePath,
  edgeEnds,
  elementAfterKey,
  elementAt,
  elementY,
  flowEdges,
  flowGeometry,
  mapGrid,
  mapLabels,
  pixelAnchor,
  pixelBreaks,
  pointedPaths,
  unitAfterKey,
} from "../../src/views/outputLayout.js";

test("the maps take the fewest columns at which each is at least 24 pixels, and at most 64", () => {
  // 10 maps in 400 px with 42 px of labels: one column gives 36 - 42 px, two columns 5 rows of 76 - 42 = 34 px
  assert.deepEqual(mapGrid(10, 400, 42), { columns: 2, size: 34 });
  assert.deepEqual(mapGrid(1, 400, 42), { columns: 1, size: 64 });
  assert.deepEqual(mapGrid(4, 300, 20), { columns: 1, size: 52 }); // 4 rows: (300 - 12) / 4 - 20
  // nothing fits: every map in one row, at the smallest size
  assert.deepEqual(mapGrid(3, 50, 42), { columns: 3, size: 24 });
});

test("the labels under a map are measured once it is laid out", () => {
  assert.equal(mapLabels(100, 64), 36);
  assert.equal(mapLabels(0, 0), MAP_LABELS);
  assert.equal(mapLabels(undefined, undefined), MAP_LABELS);
});

test("the flow canvas fills its box under the label, at least 80 pixels each way, the node centred at the right", () => {
  assert.deepEqual(flowGeometry({ width: 300.4, height: 500 }, 20, 2), {
    width: 300,
    height: 476,
    top: 2,
    span: 472,
    nodeX: 300 - 15 - 2,
    nodeY: 238,
    ratio: 2,
  });
  const small = flowGeometry({ width: 10, height: 50 }, 20, 1);
  assert.equal(small.width, 80);
  assert.equal(small.height, 80);
  assert.equal(small.span, 76);
});

test("an element's place on the column and the element under a point are each other's inverse", () => {
  const geometry = { top: 2, span: 100 };
  assert.equal(elementY(geometry, 10, 0), 7);
  assert.equal(elementY(geometry, 10, 9), 97);
  for (let i = 0; i < 10; i++) assert.equal(elementAt(geometry, 10, elementY(geometry, 10, i)), i);
  assert.equal(elementAt(geometry, 10, 2), 0);
  assert.equal(elementAt(geometry, 10, 11.9), 0);
  assert.equal(elementAt(geometry, 10, 12), 1);
  assert.equal(elementAt(geometry, 10, 1), -1); // above the column
  assert.equal(elementAt(geometry, 10, 102), 10); // below it
  assert.deepEqual([clampElement(-3, 10), clampElement(12, 10), clampElement(4, 10)], [0, 9, 4]);
});

test("edges leave the column's right side level and reach the node's left side level, bent halfway", () => {
  assert.equal(curvePath({ x: 0, y: 10 }, { x: 100, y: 50 }), "M0 10C50 10 50 50 100 50");
  const geometry = { nodeX: 283, nodeY: 238 };
  assert.deepEqual(edgeEnds(geometry, 30, { x: 10, y: 5 }), {
    from: { x: 10 + 6 + 22, y: 30 },
    to: { x: 10 + 283 - 15, y: 5 + 238 },
    mid: (38 + 278) / 2,
  });
  assert.deepEqual(edgeEnds(geometry, 30).from, { x: 28, y: 30 });
});

test("edges are drawn weakest first, more opaque the larger their weight", () => {
  const geometry = { top: 0, span: 40 };
  const edges = flowEdges(geometry, 4, Float64Array.from([0.5, -2, 0.1, 1]), { min: -2, max: 2 });
  assert.deepEqual(
    edges.map((edge) => edge.index),
    [2, 0, 3, 1],
  );
  assert.deepEqual(
    edges.map((edge) => edge.y),
    [25, 5, 35, 15],
  );
  const alphas = edges.map((edge) => edge.alpha);
  [0.22 + 0.78 * 0.05, 0.22 + 0.78 * 0.25, 0.22 + 0.78 * 0.5, 1].forEach((alpha, i) =>
    assert.ok(Math.abs(alphas[i] - alpha) < 1e-12, `${alphas[i]} != ${alpha}`),
  );
  // all-zero weights: faint edges, not NaN
  assert.ok(flowEdges(geometry, 2, Float64Array.from([0, 0]), { min: 0, max: 0 }).every((edge) => edge.alpha === 0.22));
});

test("a gap is drawn between pixels only when a pixel's values are at least 4 pixels tall", () => {
  assert.deepEqual(pixelBreaks(12, 3, 2), [3, 6, 9]);
  assert.deepEqual(pixelBreaks(8, 2, 2), [2, 4, 6]); // a pixel exactly 4 pixels tall
  assert.deepEqual(pixelBreaks(12, 3, 1), []);
  assert.deepEqual(pixelBreaks(12, 0, 5), []); // a vector: no pixels
  assert.deepEqual(pixelBreaks(3, 3, 5), []); // one pixel
});

test("the pointed element's marker, edge and connector end are placed in the figure", () => {
  const geometry = { top: 2, span: 100, nodeX: 100, nodeY: 50 };
  assert.deepEqual(pointedPaths(geometry, 10, 0, { x: 10, y: 20 }), {
    y: 27,
    stripX: 16,
    marker: "M12 21h30v12h-30z",
    edge: "M38 27C66.5 27 66.5 70 95 70",
  });
  // elements thinner than a pixel: the marker is still a pixel tall, plus its margins
  assert.equal(pointedPaths(geometry, 200, 0, { x: 0, y: 0 }).marker, "M2 0.75h30v3h-30z");
  const frame = { left: 10, top: 20, width: 70, height: 70 };
  assert.deepEqual(pixelAnchor(frame, [7, 7, 10], 0, 0), { x: 20, y: 25 });
  assert.deepEqual(pixelAnchor(frame, [7, 7, 10], 6, 3), { x: 50, y: 85 });
});

test("keys move along the column by one value or one pixel, and left and right change unit", () => {
  assert.equal(elementAfterKey("ArrowDown", 5, 100, 10), 6);
  assert.equal(elementAfterKey("ArrowUp", 5, 100, 10), 4);
  assert.equal(elementAfterKey("PageDown", 5, 100, 10), 15);
  assert.equal(elementAfterKey("PageUp", 5, 100, 10), -5); // clamped when shown
  assert.equal(elementAfterKey("PageDown", 5, 100, 0), null); // a vector has no pixels
  assert.equal(elementAfterKey("Home", 5, 100, 10), 0);
  assert.equal(elementAfterKey("End", 5, 100, 10), 99);
  assert.equal(elementAfterKey("ArrowLeft", 5, 100, 10), null);
  assert.equal(elementAfterKey("a", 5, 100, 10), null);
  assert.equal(unitAfterKey("ArrowLeft", 0, 10), 9);
  assert.equal(unitAfterKey("ArrowRight", 9, 10), 0);
  assert.equal(unitAfterKey("ArrowRight", 3, 10), 4);
  assert.equal(unitAfterKey("ArrowUp", 3, 10), null);
});

test("the current class is scrolled to the middle of its list", () => {
  assert.equal(centredScroll({ offsetTop: 300, offsetHeight: 20 }, { offsetTop: 100, clientHeight: 100 }), 160);
});
