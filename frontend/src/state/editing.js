// Changing the network's edits in the store (state.edits), each change undoable (state.editHistory). No DOM.

import { record, redo, undo, withEdit } from "../network/edits.js";

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Put `changes` (network/edits.js withEdit) in force in `store`, as one step to undo (or, not `undoable`, as part of
 * the last one: the steps of a drag); nothing when they change nothing.
 */
export function applyEdits(store, changes, undoable = true) {
  const { edits, editHistory } = store.get();
  const next = changes.reduce(withEdit, edits);
  if (same(next, edits)) return;
  store.set(undoable ? { edits: next, editHistory: record(editHistory, edits) } : { edits: next });
}

/** Put `change` in force in `store`, undoably. */
export const applyEdit = (store, change) => applyEdits(store, [change]);

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
