// Reading a visitor's image file in the browser: size checks, then decoding with createImageBitmap (off the main
// thread; upright by its EXIF orientation, as Pillow reads it; a colour profile, which Pillow ignores, is applied as
// the browser shows the picture) and its RGBA pixels.

import { centreCrop, workingSize } from "./preprocess.js";
import { t } from "../ui/i18n.js";

/** The largest file read, in bytes. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

const PREVIEW_SIDE = 240; // the longest side of the whole image's preview, in pixels
const DECODE = { imageOrientation: "from-image" }; // colorSpaceConversion "none" would decode on the main thread

/**
 * Why `file` ({name, size}) cannot be read, known before decoding it, as a sentence in the page's language (its name
 * isolated); null when it may be an image.
 */
export function fileProblem(file) {
  if (file.size === 0) return t("ownImage.file.empty", { name: file.name });
  if (file.size > MAX_FILE_BYTES) {
    const megabytes = (bytes) => Math.round(bytes / (1024 * 1024));
    return t("ownImage.file.tooLarge", {
      name: file.name,
      size: megabytes(file.size),
      limit: megabytes(MAX_FILE_BYTES),
    });
  }
  return null;
}

/** The sentence for a file the browser could not decode (it names the formats browsers read: PNG, JPEG, WebP...). */
export function unreadableMessage(name) {
  return t("ownImage.file.unreadable", { name });
}

/**
 * Decode image `file` for a model reading `outWidth` x `outHeight` images. Resolves to {rgba, width, height}: the
 * pixels of the whole upright image, first scaled down in the browser when its centre crop is larger than
 * MAX_WORKING_SIDE (preprocess.js workingSize); {sourceWidth, sourceHeight}: the upright image's size; {preview,
 * previewScale}: an ImageBitmap of the whole image at most PREVIEW_SIDE on a side (the caller closes it) and its
 * size over `width`. Rejects with an Error whose message is a sentence for people.
 */
export async function readImageFile(file, outWidth, outHeight) {
  const problem = fileProblem(file);
  if (problem) throw new Error(problem);
  let decoded;
  try {
    decoded = await createImageBitmap(file, DECODE);
  } catch {
    throw new Error(unreadableMessage(file.name));
  }
  const { width: sourceWidth, height: sourceHeight } = decoded;
  if (!sourceWidth || !sourceHeight) {
    decoded.close();
    throw new Error(unreadableMessage(file.name));
  }
  const whole = centreCrop(sourceWidth, sourceHeight, outWidth, outHeight);
  const [workingWidth] = workingSize(whole.width, whole.height, outWidth, outHeight);
  let image = decoded;
  if (workingWidth < whole.width) {
    const scale = workingWidth / whole.width;
    const resizeWidth = Math.round(sourceWidth * scale);
    const resizeHeight = Math.round(sourceHeight * scale);
    image = await createImageBitmap(decoded, { resizeWidth, resizeHeight, resizeQuality: "medium" });
    decoded.close();
  }
  try {
    const { width, height } = image;
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(image, 0, 0);
    const rgba = context.getImageData(0, 0, width, height).data;
    const shrink = Math.min(1, PREVIEW_SIDE / Math.max(width, height));
    const preview = await createImageBitmap(image, {
      resizeWidth: Math.max(1, Math.round(width * shrink)),
      resizeHeight: Math.max(1, Math.round(height * shrink)),
      resizeQuality: "medium",
    });
    return { rgba, width, height, sourceWidth, sourceHeight, preview, previewScale: preview.width / width };
  } finally {
    image.close();
  }
}
