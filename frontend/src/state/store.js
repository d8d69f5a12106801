// The current UI state in one small store; views subscribe to it (a later issue mirrors it to the URL hash).

/** The state as first shown: the first sample (null: an image from elsewhere), colour ranges per block. */
export function initialState() {
  return { sample: 0, colorMode: "block" };
}

/** A store holding `state`: {get() -> state, set(patch) -> state, subscribe(listener) -> unsubscribe}. */
export function createStore(state = initialState()) {
  let current = { ...state };
  const listeners = new Set();
  return {
    get: () => current,
    set(patch) {
      const previous = current;
      current = { ...current, ...patch };
      for (const listener of listeners) listener(current, previous);
      return current;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
