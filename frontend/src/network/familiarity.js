// How familiar an image looks to the network (builder/familiarity.py): the statistics of its hidden activation
// layers' channels (each map's mean, maximum and share above 0, averaged over groups of channels), and their squared
// Mahalanobis distance from the training images' ||Lᵀ(f - mean)||². Pure.

/**
 * The statistics of `activations` (Map: layer name -> {shape [H, W, C], data in H x W x C order}) that `recipe`
 * ({layers: [{name, groups}]}) names, in the builder's order: per layer, per statistic, per group.
 */
export function familiarityFeatures(recipe, activations) {
  const features = [];
  for (const { name, groups } of recipe.layers) {
    if (!groups) continue;
    const { shape, data } = activations.get(name);
    const channels = shape[shape.length - 1];
    const positions = data.length / channels;
    const sums = new Float64Array(channels);
    const maxima = new Float64Array(channels).fill(-Infinity);
    const active = new Float64Array(channels);
    for (let i = 0; i < data.length; i++) {
      const c = i % channels;
      const value = data[i];
      sums[c] += value;
      if (value > maxima[c]) maxima[c] = value;
      if (value > 0) active[c] += 1;
    }
    const member = (c) => Math.floor((c * groups) / channels);
    for (const [values, divisor] of [
      [sums, positions],
      [maxima, 1],
      [active, positions],
    ]) {
      const totals = new Float64Array(groups);
      const counts = new Float64Array(groups);
      for (let c = 0; c < channels; c++) {
        totals[member(c)] += values[c] / divisor;
        counts[member(c)] += 1;
      }
      for (let g = 0; g < groups; g++) features.push(totals[g] / counts[g]);
    }
  }
  return features;
}

/**
 * `recipe`'s score of `activations`: ||Lᵀ(f - mean)||², with `recipe.mean` (Float64Array) and `recipe.factor` (the
 * lower triangle of L, row by row).
 */
export function familiarityScore(recipe, activations) {
  const features = familiarityFeatures(recipe, activations);
  const { mean, factor } = recipe;
  const size = mean.length;
  if (features.length !== size) throw new Error(`${features.length} statistics; the recipe has ${size}`);
  const projected = new Float64Array(size); // Lᵀ(f - mean): column j of L is row j of Lᵀ
  let row = 0;
  for (let i = 0; i < size; i++) {
    const centred = features[i] - mean[i];
    for (let j = 0; j <= i; j++) projected[j] += factor[row + j] * centred;
    row += i + 1;
  }
  let score = 0;
  for (const value of projected) score += value * value;
  return score;
}

/** {score, threshold, unfamiliar} of `activations` under the decoded `recipe`. */
export function judgeFamiliarity(recipe, activations) {
  const score = familiarityScore(recipe, activations);
  return { score, threshold: recipe.threshold, unfamiliar: score > recipe.threshold };
}
