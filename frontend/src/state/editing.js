// Changing the network's edits in the store (state.edits), each change undoable (state.editHistory). No DOM.

import { record, redo, undo, withEdit } from "../network/edits.js";

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Put `change` (network/edits.js withEdit) in force in `store`, undoably; nothing when it changes nothing. */
export function applyEdit(store, change) {
  const { edits, editHistory } = store.get();
  const next = withEdit(edits, change);
  if (!same(next, edits)) store.set({ edits: next, editHistory: record(editHistory, edits) });
}

/** Back to the trained network, undoably. */
export function resetEdits(store) {
  const { edits, editHistory } = store.get();
  if (edits.length) store.set({ edits: [], editHistory: record(editHistory, edits) });
}

/** Undo the last change of the edits; false when there is none. */
export function undoEdit(store) {
  const { edits, editHistory } = store.get();
  const back = undo(editHistory, edits);
  if (back) store.set({ edits: back.edits, editHistory: back.history });
  return Boolean(back);
}

/** Redo the last change undone; false when there is none. */
export function redoEdit(store) {
  const { edits, editHistory } = store.get();
  const forward = redo(editHistory, edits);
  if (forward) store.set({ edits: forward.edits, editHistory: forward.history });
  return Boolean(forward);
}
