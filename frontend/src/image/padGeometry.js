// The drawing pad's numbers: its resolution for the model's input size, how far its brush goes and where it starts,
// the brush's width in the pad's pixels, and where a pointer is on the pad. No DOM.

const PAD_MIN_SIDE = 280; // the pad's resolution: the model's size times the smallest whole factor reaching this

/** The pad's side in pixels for a model reading `size` x `size` images: a whole multiple of it, at least 280. */
export function padSide(size) {
  return size * Math.ceil(PAD_MIN_SIDE / size);
}

/**
 * The brush slider for a model reading `size`-pixel images, in the model's pixels, as strings for the slider:
 * {min, max, value (`kept`, another pad's setting, else about a tenth of the image)}.
 */
export function brushRange(size, kept = null) {
  return {
    min: "1",
    max: String(Math.max(4, Math.round(size / 4))),
    value: kept ?? String(Math.max(1, Math.round(size / 10))),
  };
}

/** The width in the pad's pixels (`side` of them) of a brush of `brush` model pixels (of `size`). */
export function brushWidth(brush, side, size) {
  return (brush * side) / size;
}

/** The point [x, y] in the pad's pixels (`side` of them) under the pointer at (`clientX`, `clientY`) over `box`. */
export function padPoint({ clientX, clientY }, box, side) {
  return [((clientX - box.left) * side) / box.width, ((clientY - box.top) * side) / box.height];
}
