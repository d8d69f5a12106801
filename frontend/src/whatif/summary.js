// What if, in numbers: what the edits are, which classes moved most, and how much each layer changed. No DOM.

/** How many weights, biases and switched-off channels `edits` (network/edits.js) hold: {weights, biases, channels}. */
export function editCounts(edits) {
  const counts = { weights: 0, biases: 0, channels: 0 };
  for (const edit of edits) {
    if (edit.silence !== undefined) counts.channels++;
    else if (edit.weight === "bias") counts.biases++;
    else counts.weights++;
  }
  return counts;
}

/**
 * The classes whose probability moved most from `base` to `probabilities` (both arrays of class probabilities),
 * at most `count` of them, each by at least a tenth of a percentage point: [{index, before, after, delta}], the
 * largest moves first.
 */
export function movers(probabilities, base, count = 2) {
  return Array.from(probabilities, (after, index) => ({
    index,
    before: base[index],
    after,
    delta: after - base[index],
  }))
    .filter((move) => Math.abs(move.delta) >= 0.001)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.index - b.index)
    .slice(0, count);
}

/**
 * How much each of `names` changed from `base` to `activations` (Maps name -> {shape, data}): the mean absolute
 * difference over the mean absolute value it is compared with (0 when both are 0; the difference itself when only
 * the compared one is 0). [{name, change}], in the order of `names`.
 */
export function layerChanges(names, activations, base) {
  return names.map((name) => {
    const a = activations.get(name).data;
    const b = base.get(name).data;
    let difference = 0;
    let size = 0;
    for (let i = 0; i < a.length; i++) {
      difference += Math.abs(a[i] - b[i]);
      size += Math.abs(b[i]);
    }
    return { name, change: size > 0 ? difference / size : difference / Math.max(a.length, 1) };
  });
}
