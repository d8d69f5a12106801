import { test } from "node:test";
import assert from "node:assert/strict";
import { GAP, MARGIN, panelSide, panelTop } from "../../src/views/placement.js";

const visible = { left: 0, right: 1400 };

test("a narrow view goes beside its columns, on the roomier side", () => {
  const right = panelSide({ kept: { left: 100, right: 300 }, origin: { left: 20 }, visible, wide: false });
  assert.equal(right.side, "right");
  assert.equal(right.pan, 0);
  assert.equal(right.left(500), 20 + 300 + GAP);
  assert.equal(right.room, 1400 - MARGIN - (20 + 300 + GAP));
  const left = panelSide({ kept: { left: 1000, right: 1200 }, origin: { left: 20 }, visible, wide: false });
  assert.equal(left.side, "left");
  assert.equal(left.left(500), 20 + 1000 - GAP - 500);
});

test("a wide view pans the overview so its columns sit at the left edge when that gives it more room", () => {
  const placed = panelSide({ kept: { left: 600, right: 700 }, origin: { left: 20 }, visible, wide: true });
  assert.equal(placed.pan, MARGIN + GAP - (20 + 600));
  assert.equal(placed.side, "right");
  assert.equal(placed.room, 1400 - 2 * MARGIN - 100 - 2 * GAP);
  assert.equal(placed.left(placed.room), MARGIN + GAP + 100 + GAP);
});

test("with too little room beside the columns the panel covers the overview", () => {
  const placed = panelSide({
    kept: { left: 100, right: 500 },
    origin: { left: 0 },
    visible: { left: 0, right: 800 },
    wide: false,
  });
  assert.equal(placed.side, "over");
  assert.equal(placed.left(300), MARGIN);
  assert.equal(placed.room, 800 - 2 * MARGIN);
});

test("the panel is centred on its neuron but stays inside the overview", () => {
  assert.equal(panelTop({ origin: { top: 50 }, height: 600, panelHeight: 200, centre: 300 }), 50 + 200);
  assert.equal(panelTop({ origin: { top: 50 }, height: 600, panelHeight: 200, centre: 20 }), 50 + MARGIN);
  assert.equal(panelTop({ origin: { top: 50 }, height: 600, panelHeight: 200, centre: 590 }), 50 + 600 - MARGIN - 200);
});
