// Classroom mode: the parts of the page a teacher's link hides (state.hide, hide= in the hash) and the large-room
// display (state.big, big=1), set on <html> for the style sheet (page.css) to act on.

/** Keep <html>'s data-hide (the hidden parts, space-separated) and class is-big in step with `store`. */
export function followTheRoom(store) {
  const root = document.documentElement;
  const apply = ({ hide, big }) => {
    if (hide.length) root.dataset.hide = hide.join(" ");
    else delete root.dataset.hide;
    root.classList.toggle("is-big", big);
  };
  apply(store.get());
  store.subscribe((state, previous) => {
    if (state.hide !== previous.hide || state.big !== previous.big) apply(state);
  });
}

/** Whether `store`'s page hides `part` (one of state/hash.js HIDEABLE). */
export const hides = (store, part) => store.get().hide.includes(part);
