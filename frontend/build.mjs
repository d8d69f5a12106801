// Bundles src/main.js into one classic script (dist/app.js) and src/*.css into dist/app.css.
// Usage: node build.mjs [--dev]   (--dev: not minified, with inline source maps)

import { build } from "esbuild";
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dev = process.argv.includes("--dev");
const out = join(here, "dist");
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: [join(here, "src/main.js")],
  outfile: join(out, "app.js"),
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2020"],
  minify: !dev,
  sourcemap: dev ? "inline" : false,
  legalComments: "none",
  define: { "process.env.NODE_ENV": '"production"' },
  metafile: true,
  logLevel: "warning",
});

// The stylesheets, in name order, as one file (style.css first).
const css = readdirSync(join(here, "src"))
  .filter((name) => name.endsWith(".css"))
  .sort((a, b) => (a === "style.css" ? -1 : b === "style.css" ? 1 : a.localeCompare(b)));
const cssResult = await build({
  stdin: { contents: css.map((name) => readFileSync(join(here, "src", name), "utf8")).join("\n"), loader: "css" },
  outfile: join(out, "app.css"),
  minify: !dev,
  target: ["chrome100", "firefox100", "safari15"],
  write: false,
  logLevel: "warning",
});
writeFileSync(join(out, "app.css"), cssResult.outputFiles[0].contents);

const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`app.js ${bytes} bytes, app.css ${cssResult.outputFiles[0].contents.length} bytes`);
