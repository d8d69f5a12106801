// Files that arrive on the page without the file picker: dragged and dropped anywhere (a drop target shows while
// dragging) or pasted with Ctrl+V / Cmd+V outside text fields; and images' addresses, dragged from another tab
// (text/uri-list) or pasted as text.

import { imageAddress } from "./imageLink.js";
import { t } from "../ui/i18n.js";
import { listen, onScopeEnd } from "../ui/scope.js";

function isEditable(target) {
  return target instanceof Element && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

function carriesFiles(event) {
  const types = event.dataTransfer ? Array.from(event.dataTransfer.types) : [];
  return types.includes("Files") || types.includes("text/uri-list");
}

/**
 * Call `onFile(file)` for the first file dropped on the page or pasted (an image file first, if there are several),
 * else `onLink(address)` for an address dropped or pasted alone (imageLink.js imageAddress), while `accepts()`: a
 * page whose controls for images are hidden (classroom mode) takes none.
 */
export function listenForFiles(onFile, onLink, accepts = () => true) {
  const target = document.createElement("div");
  target.className = "drop-target";
  target.textContent = t("drop.target");
  target.setAttribute("aria-hidden", "true");
  document.body.appendChild(target);
  onScopeEnd(() => target.remove());
  let depth = 0; // dragenter minus dragleave: the pointer moves over many elements while dragging
  const dragging = (on) => document.body.classList.toggle("is-dropping", on);
  const hasFiles = (event) => accepts() && carriesFiles(event);
  const first = (files) => files.find((file) => file.type.startsWith("image/")) ?? files[0];

  listen(document, "dragenter", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth++;
    dragging(true);
  });
  listen(document, "dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  });
  listen(document, "dragleave", (event) => {
    if (!hasFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (!depth) dragging(false);
  });
  listen(document, "drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    depth = 0;
    dragging(false);
    const files = Array.from(event.dataTransfer.files);
    const address = imageAddress(event.dataTransfer.getData("text/uri-list"));
    if (files.length) onFile(first(files));
    else if (address) onLink(address);
  });
  listen(document, "paste", (event) => {
    if (isEditable(event.target) || !event.clipboardData || !accepts()) return;
    const files = Array.from(event.clipboardData.files);
    const address = files.length ? null : imageAddress(event.clipboardData.getData("text/plain"));
    if (!files.length && !address) return;
    event.preventDefault();
    if (address) onLink(address);
    else onFile(first(files));
  });
}
