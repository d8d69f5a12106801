// An image by its address: typed into the field, pasted on the page or dragged from another tab. The page fetches
// it only when the visitor asks, from the other site in CORS mode (a picture another site does not share with other
// pages could be shown but never read, so the network could not be shown it), without cookies or referrer, then
// reads it as a file that was opened (imageFile.js). The content security policy allows exactly this:
// connect-src http: https: (site_templates/index.html.j2).

import { MAX_FILE_BYTES } from "./imageFile.js";
import { t } from "../ui/i18n.js";

/** How long the other site has to send the image, in milliseconds. */
export const LINK_TIMEOUT_MS = 20_000;

const ADDRESS = /^https?:\/\/\S+$/i;

/**
 * The web address in `text`, or null: `text` trimmed when it is one http(s) address, or the first address of a
 * text/uri-list (one per line; lines starting with # are comments). Pure.
 */
export function imageAddress(text) {
  if (typeof text !== "string") return null;
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  if (lines.length !== 1 && !(lines.length > 1 && lines.every((line) => ADDRESS.test(line)))) return null;
  if (!ADDRESS.test(lines[0])) return null;
  try {
    const url = new URL(lines[0]);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** The name of the file fetched from `url` (a URL): the last part of its path, else its host. Pure. */
export function linkFileName(url) {
  const last = url.pathname.split("/").filter(Boolean).pop();
  try {
    return last ? decodeURIComponent(last) : url.host;
  } catch {
    return last;
  }
}

const megabytes = (bytes) => Math.round(bytes / (1024 * 1024));

/** The body of `response`, refused (an Error for people) past MAX_FILE_BYTES, read as it arrives. */
async function boundedBody(response, host) {
  const tooLarge = () => new Error(t("ownImage.link.tooLarge", { host, limit: megabytes(MAX_FILE_BYTES) }));
  const length = Number(response.headers.get("content-length"));
  if (length > MAX_FILE_BYTES) throw tooLarge();
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    total += value.byteLength;
    if (total > MAX_FILE_BYTES) {
      reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
}

/**
 * Why a CORS fetch of `url` failed, as a sentence: offline, the site reached but not sharing the image (a no-cors
 * request of the same address succeeds, its answer unreadable), or the site not reached; null when `signal` ended
 * the wait first.
 */
async function whyNotFetched(url, signal) {
  const host = url.host;
  if (!navigator.onLine) return t("ownImage.link.offline", { host });
  const probe = new AbortController();
  const stop = () => probe.abort();
  signal.addEventListener("abort", stop);
  try {
    await fetch(url, { mode: "no-cors", credentials: "omit", referrerPolicy: "no-referrer", signal: probe.signal });
    return t("ownImage.link.cors", { host, open: t("ownImage.open") });
  } catch {
    return signal.aborted ? null : t("ownImage.link.unreachable", { host, open: t("ownImage.open") });
  } finally {
    probe.abort(); // the answer's body is of no use: stop it
    signal.removeEventListener("abort", stop);
  }
}

/**
 * Fetch the image at `address` (an http(s) address, imageAddress). Resolves to a File named after it; rejects with
 * an Error whose message is a sentence for people: offline, not shared with other pages (CORS), not reached, an
 * error status, not an image, too large, or too slow (LINK_TIMEOUT_MS).
 */
export async function fetchImage(address, timeoutMs = LINK_TIMEOUT_MS) {
  const url = new URL(address);
  const host = url.host;
  if (!navigator.onLine) throw new Error(t("ownImage.link.offline", { host }));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const seconds = Math.round(timeoutMs / 1000);
  const timedOut = () => new Error(t("ownImage.link.timeout", { host, seconds, open: t("ownImage.open") }));
  try {
    let response;
    try {
      response = await fetch(url, { credentials: "omit", referrerPolicy: "no-referrer", signal: controller.signal });
    } catch {
      const why = controller.signal.aborted ? null : await whyNotFetched(url, controller.signal);
      throw why ? new Error(why) : timedOut();
    }
    if (!response.ok) throw new Error(t("ownImage.link.status", { host, status: response.status }));
    const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
    // a type that says what it is and is not an image: a web page, a text; no type or a generic one is decoded
    if (type && !type.startsWith("image/") && type !== "application/octet-stream") {
      throw new Error(t("ownImage.link.notImage", { host, type }));
    }
    const chunks = await boundedBody(response, host);
    return new File(chunks, linkFileName(url), { type: type.startsWith("image/") ? type : "" });
  } catch (error) {
    throw error.name === "AbortError" ? timedOut() : error; // the time ran out while the body arrived
  } finally {
    clearTimeout(timer);
  }
}
