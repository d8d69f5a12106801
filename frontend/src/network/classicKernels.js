// Classic image kernels (edge, blur, sharpen, ...), which no network learned: the playground shows them for kernel
// sizes the model has none of, and a learner can put one into a convolution of the network (what if). No DOM.

import { t, tPlain } from "../ui/i18n.js";

/**
 * Classic image kernels of `size` x `size` weights, for the kernel sizes the model has no filter of (its own are
 * shown only at their size, never cropped or padded): [{id, name, about, values: Float64Array (row-major)}]. The
 * centre is the middle weight, or for an even size the upper-left of the middle four.
 */
export function classicKernels(size) {
  const count = size * size;
  const centre = Math.floor((size - 1) / 2) * (size + 1);
  // id, and its messages playground.classic.<id> (the name) and playground.classic.<id>.about
  const kernel = (id, value, values = {}) => ({
    id,
    name: t(`playground.classic.${id}`),
    about: tPlain(`playground.classic.${id}.about`, values),
    values: Float64Array.from({ length: count }, value),
  });
  if (size === 1) return [kernel("identity", () => 1)];
  const column = (i) => i % size;
  const row = (i) => Math.floor(i / size);
  return [
    kernel("edge", (_, i) => (i === centre ? count - 1 : -1), { neighbours: count - 1 }),
    kernel("vertical", (_, i) => (column(i) === size - 1 ? 1 : column(i) === 0 ? -1 : 0)),
    kernel("horizontal", (_, i) => (row(i) === size - 1 ? 1 : row(i) === 0 ? -1 : 0)),
    kernel("blur", () => 1 / count, { weights: count }),
    kernel("sharpen", (_, i) => (i === centre ? 2 : 0) - 1 / count),
  ];
}
