import { test } from "node:test";
import assert from "node:assert/strict";
import { readNetwork } from "../../src/network/network.js";
import { classRowCount, computeLayout, groupSpans, labelWidth, nextNeuron } from "../../src/overview/layout.js";
import { makeSpec } from "../helpers/specs.mjs";

function allBoxes(layout) {
  return layout.columns.flatMap((column) => column.boxes.map((box, i) => ({ ...box, id: `${column.name}#${i}` })));
}

function assertClean(layout, message) {
  const boxes = allBoxes(layout);
  for (const b of boxes) {
    assert.ok(b.w > 0 && b.h > 0, `${message}: ${b.id} is empty`);
    assert.ok(b.x >= 0 && b.y >= 0, `${message}: ${b.id} starts outside`);
    assert.ok(
      b.x + b.w <= layout.width + 0.5 && b.y + b.h <= layout.neuronBottom + 0.5,
      `${message}: ${b.id} ends outside`,
    );
    assert.ok(b.y >= layout.neuronTop - 0.5, `${message}: ${b.id} overlaps the labels`);
  }
  boxes.sort((a, b) => a.x - b.x);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length && boxes[j].x < boxes[i].x + boxes[i].w; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      assert.ok(!overlap, `${message}: ${a.id} overlaps ${b.id}`);
    }
  }
  for (let i = 1; i < layout.columns.length; i++) {
    const prev = layout.columns[i - 1];
    assert.ok(layout.columns[i].x >= prev.x + prev.width, `${message}: column ${i} starts inside column ${i - 1}`);
  }
  // every label whole (as wide as its estimate), inside the box, and clear of the others in its row
  const labels = layout.columns.map((c) => ({ name: c.name, x: c.labelX, y: c.labelY, w: c.labelWidth }));
  layout.columns.forEach((c, i) => {
    assert.ok(labels[i].w >= labelWidth(c), `${message}: the label of ${c.name} is cut`);
    assert.ok(labels[i].x >= 0 && labels[i].x + labels[i].w <= layout.width, `${message}: ${c.name}'s label is out`);
  });
  for (const a of labels)
    for (const b of labels)
      if (a !== b && a.y === b.y)
        assert.ok(a.x + a.w <= b.x || b.x + b.w <= a.x, `${message}: the labels of ${a.name} and ${b.name} overlap`);
}

test("Tiny VGG: input, ten layer columns and the class column; flatten is no column", () => {
  const columns = readNetwork(makeSpec()).columns;
  assert.deepEqual(
    columns.map((c) => c.name),
    [
      "input",
      "conv_1_1",
      "relu_1_1",
      "conv_1_2",
      "relu_1_2",
      "max_pool_1",
      "conv_2_1",
      "relu_2_1",
      "conv_2_2",
      "relu_2_2",
      "max_pool_2",
      "output",
    ],
  );
  assert.deepEqual(
    columns.map((c) => c.connect),
    [null, "all", "one", "all", "one", "one", "all", "one", "all", "one", "one", "all"],
  );
  assert.equal(columns.at(-1).source, "max_pool_2", "the class column reads through flatten");
  assert.equal(columns.at(-1).kind, "output");
});

test("Tiny VGG fits a 1400 x 700 box in one row of labels with large neurons", () => {
  const layout = computeLayout(readNetwork(makeSpec()), 1400, 700);
  assertClean(layout, "tiny vgg");
  assert.equal(layout.width, 1400);
  assert.equal(layout.height, 700);
  assert.equal(layout.labelRows, 1);
  assert.ok(layout.cell >= 36, `cell ${layout.cell}`);
  assert.equal(layout.columns.find((c) => c.name === "output").boxes.length, 10);
  assert.equal(layout.columns[0].boxes.length, 1);
});

test("every depth, width, input size and class count gives in-bounds, non-overlapping boxes", () => {
  for (const blocks of [1, 2, 3, 4, 5, 6])
    for (const filters of [1, 3, 10, 32, 64])
      for (const channels of [1, 3])
        for (const [size, classes] of [
          [8, 2],
          [28, 10],
          [64, 20],
          [128, 100],
        ])
          for (const [width, height] of [
            [1400, 700],
            [800, 500],
          ]) {
            const spec = makeSpec({ blocks, filters, channels, size, classes, hidden: blocks === 3 ? 128 : 0 });
            const name = `${blocks} blocks x ${filters} filters, ${channels}ch ${size}px, ${classes} classes, ${width}x${height}`;
            const layout = computeLayout(readNetwork(spec), width, height);
            assertClean(layout, name);
            assert.ok(layout.width >= width && layout.height >= height, name);
            const output = layout.columns.at(-1);
            assert.equal(output.boxes.length, classRowCount(classes), name);
          }
});

test("small networks fit the box exactly; only very wide ones grow (and then scroll)", () => {
  for (const blocks of [1, 2, 3]) {
    const layout = computeLayout(readNetwork(makeSpec({ blocks, filters: 10 })), 1400, 800);
    assert.equal(layout.width, 1400, `${blocks} blocks`);
  }
  const deep = computeLayout(readNetwork(makeSpec({ blocks: 6, filters: 64 })), 800, 500);
  assert.ok(deep.width > 800);
});

test("64 filters fold into several sub-columns instead of tiny squares", () => {
  const layout = computeLayout(readNetwork(makeSpec({ blocks: 2, filters: 64 })), 1400, 700);
  const conv = layout.columns.find((c) => c.name === "conv_1_1");
  const xs = new Set(conv.boxes.map((b) => b.x));
  assert.ok(xs.size > 1, "more than one sub-column");
  assert.ok(conv.boxes[0].w >= 12);
});

test("more than 20 classes: top 10 rows and one summary row", () => {
  assert.equal(classRowCount(2), 2);
  assert.equal(classRowCount(20), 20);
  assert.equal(classRowCount(21), 11);
  assert.equal(classRowCount(100), 11);
});

test("a phone: neurons a finger can press, one row of whole labels, and the network scrolls", () => {
  const network = readNetwork(makeSpec());
  const phone = computeLayout(network, 390, 500, { minCell: 24 });
  assertClean(phone, "phone");
  assert.ok(phone.cell >= 24, `cell ${phone.cell}`);
  assert.equal(phone.labelRows, 1);
  assert.ok(phone.width > 390);
});

test("measured labels set the room between columns: a long name pushes its neighbours away", () => {
  const network = readNetwork(makeSpec());
  const widths = network.columns.map(labelWidth);
  const plain = computeLayout(network, 600, 600, { labelWidths: widths });
  widths[3] = 400;
  const long = computeLayout(network, 600, 600, { labelWidths: widths });
  assertClean(long, "long label");
  const gap = (layout) => layout.columns[4].x - layout.columns[2].x;
  assert.ok(gap(long) > gap(plain) + 150, `${gap(plain)} -> ${gap(long)}`);
  assert.ok(long.columns[3].labelWidth >= 400);
});

test("the layout follows the box: a narrower box gives smaller neurons", () => {
  const wide = computeLayout(readNetwork(makeSpec()), 1400, 700);
  const narrow = computeLayout(readNetwork(makeSpec()), 900, 700);
  assert.ok(narrow.cell < wide.cell);
  assert.equal(narrow.width, 900);
});

test("legend groups span their columns", () => {
  const layout = computeLayout(readNetwork(makeSpec()), 1400, 700);
  const group = layout.groups.find((g) => g.layers[0] === "conv_1_2");
  const first = layout.columns.find((c) => c.name === "conv_1_2");
  const last = layout.columns.find((c) => c.name === "max_pool_1");
  assert.equal(group.x, first.x);
  assert.equal(group.x + group.width, last.x + last.width);
});

test("a network of only a dense layer reading the input still lays out", () => {
  const spec = {
    format: 1,
    name: "net",
    classes: ["a", "b"],
    input: { name: "input", shape: [8, 8, 1], pixel_divisor: 255 },
    layers: [
      {
        name: "output",
        kind: "dense",
        units: 2,
        activation: "softmax",
        input: "input",
        input_shape: [64],
        shape: [2],
        use_bias: true,
      },
    ],
  };
  const layout = computeLayout(readNetwork(spec), 1000, 600);
  assert.deepEqual(
    layout.columns.map((c) => c.name),
    ["input", "output"],
  );
  assertClean(layout, "dense only");
});

test("group spans cover their laid-out columns", () => {
  const spec = makeSpec({ blocks: 2 });
  const layout = computeLayout(readNetwork(spec), 1400, 700);
  const [span] = groupSpans(layout.columns, [{ kind: "spatial", layers: ["conv_1_2", "max_pool_1"] }]);
  const first = layout.columns.find((c) => c.name === "conv_1_2");
  const last = layout.columns.find((c) => c.name === "max_pool_1");
  assert.equal(span.x, first.x);
  assert.equal(span.width, last.x + last.width - first.x);
});

test("the arrow keys move along a column and to the nearest neuron of the next one; Home and End to the ends", () => {
  const column = (ys) => ({ boxes: ys.map((y) => ({ x: 0, y, w: 10, h: 10 })) });
  const columns = [column([0, 20, 40]), column([5, 55]), column([0])];
  assert.deepEqual(nextNeuron(columns, 0, 1, "ArrowDown"), [0, 2]);
  assert.deepEqual(nextNeuron(columns, 0, 2, "ArrowDown"), [0, 2], "stops at the end");
  assert.deepEqual(nextNeuron(columns, 0, 0, "ArrowUp"), [0, 0]);
  assert.deepEqual(nextNeuron(columns, 0, 1, "End"), [0, 2]);
  assert.deepEqual(nextNeuron(columns, 0, 2, "Home"), [0, 0]);
  assert.deepEqual(nextNeuron(columns, 0, 2, "ArrowRight"), [1, 1], "45 is nearer 60 than 10");
  assert.deepEqual(nextNeuron(columns, 0, 0, "ArrowRight"), [1, 0]);
  assert.deepEqual(nextNeuron(columns, 1, 1, "ArrowLeft"), [0, 2]);
  assert.equal(nextNeuron(columns, 0, 0, "ArrowLeft"), null, "no column before the first");
  assert.equal(nextNeuron(columns, 2, 0, "ArrowRight"), null, "none after the last");
  assert.equal(nextNeuron(columns, 0, 0, "a"), null);
});
