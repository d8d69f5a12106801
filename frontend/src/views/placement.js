// Where an explanation view's panel goes over the overview: beside the columns it explains, on the roomier side; a
// wide view that would get more room with those columns at the left edge pans the overview there (the columns
// before them are faded anyway); with too little room either way it covers the overview. No DOM.

export const MIN_SIDE = 540; // narrower room beside the columns than this: the panel covers the whole overview
export const MARGIN = 8;
export const GAP = 14; // between the columns kept in sight and the panel
export const PAN_GAIN = 120; // pan the overview for a wide view when that gives it at least this much more room

/**
 * The panel's place, in the overview root's coordinates, for a view of columns spanning `kept` ({left, right} in the
 * overview's own coordinates) with the overview at `origin.left` and the root showing `visible` ({left, right}):
 * {pan (how far to shift the overview), side ("left", "right" or "over"), room (the width the panel may take),
 * left (the panel's left edge, once its `width` is known: left(width))}. A `wide` view takes all the room.
 */
export function panelSide({ kept, origin, visible, wide }) {
  const visibleLeft = visible.left + MARGIN;
  const visibleRight = visible.right - MARGIN;
  let offset = origin.left;
  let leftRoom = offset + kept.left - GAP - visibleLeft;
  let rightRoom = visibleRight - (offset + kept.right + GAP);
  let pan = 0;
  const pannedRoom = visibleRight - visibleLeft - (kept.right - kept.left) - 2 * GAP;
  if (wide && pannedRoom > Math.max(leftRoom, rightRoom) + PAN_GAIN) {
    pan = visibleLeft + GAP - (offset + kept.left);
    offset += pan;
    leftRoom = 0;
    rightRoom = pannedRoom;
  }
  const side = Math.max(leftRoom, rightRoom) >= MIN_SIDE ? (rightRoom >= leftRoom ? "right" : "left") : "over";
  const room = side === "right" ? rightRoom : side === "left" ? leftRoom : visibleRight - visibleLeft;
  const left = (width) =>
    side === "right" ? offset + kept.right + GAP : side === "left" ? offset + kept.left - GAP - width : visibleLeft;
  return { pan, side, room, left };
}

/** The panel's top: centred on the neuron that opened it (`centre`), kept inside the overview's `height`. */
export function panelTop({ origin, height, panelHeight, centre }) {
  const maxTop = height - MARGIN - panelHeight;
  return origin.top + Math.max(MARGIN, Math.min(maxTop, centre - panelHeight / 2));
}
