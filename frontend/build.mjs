// Bundles src/main.js into one classic script (dist/app.js), TF.js and the model's code into another that it loads
// later (dist/runtime.js), the features likewise, and the stylesheets into dist/app.css; renders the article's
// formulas with KaTeX into dist/formulas.json (read by builder/render.py), adding the KaTeX styles they need to
// app.css and the woff2 fonts they use to dist/fonts/.
// Usage: node build.mjs [--dev]   (--dev: not minified, with inline source maps)

import { build } from "esbuild";
import { interpolatePuOr, interpolateRdBu } from "d3-scale-chromatic";
import { copyFileSync, readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { FORMULAS } from "./formulas/formulas.mjs";
import { fontFacesUsed, pruneRules, renderFormula, styleRules, trimFontFaces } from "./formulas/katexAssets.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dev = process.argv.includes("--dev");
const out = join(here, "dist");
mkdirSync(out, { recursive: true });

// The page's colour scales are ColorBrewer's RdBu and PuOr as d3 interpolates them; d3-scale-chromatic cannot be
// tree-shaken (its ~40 scales are built when it loads: 32 KB with d3-color and d3-interpolate), and the page only
// samples them at the 256 entries of its lookup tables (src/ui/colors.js LUT_SIZE). So the bundle gets those 256
// samples, computed here by d3 itself; the node tests use d3 directly.
const SAMPLES = 256;
const sampled = (interpolator) => Array.from({ length: SAMPLES }, (_, i) => interpolator(i / (SAMPLES - 1)));
const colourScales = {
  name: "colour-scales",
  setup(build) {
    build.onResolve({ filter: /^d3-scale-chromatic$/ }, () => ({ path: "d3-scale-chromatic", namespace: "sampled" }));
    build.onLoad({ filter: /.*/, namespace: "sampled" }, () => ({
      contents:
        `const sample = (colours) => (t) => colours[Math.round(t * ${SAMPLES - 1})];\n` +
        `export const interpolateRdBu = sample(${JSON.stringify(sampled(interpolateRdBu))});\n` +
        `export const interpolatePuOr = sample(${JSON.stringify(sampled(interpolatePuOr))});\n`,
      loader: "js",
    }));
  },
};

// Both scripts are classic (IIFE): module scripts fail under file://.
const script = {
  absWorkingDir: here, // the metafile's input paths are relative to it
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
};

// dist/wasm.js: the backend reads tfjs-core from the page (window.cnnExplainWasm.tf, set before its modules run),
// carries the SIMD binary as gzipped base64, and leaves out the multi-threaded build, which needs a cross-origin
// isolated page that neither file:// nor GitHub Pages gives (src/model/wasm.js turns threads off).
const wasmPackage = join(here, "node_modules/@tensorflow/tfjs-backend-wasm");
const wasmBinary = readFileSync(join(wasmPackage, "dist/tfjs-backend-wasm-simd.wasm"));
const wasmParts = {
  name: "wasm-parts",
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-core$/ }, () => ({ path: "tfjs-core", namespace: "page" }));
    build.onLoad({ filter: /^tfjs-core$/, namespace: "page" }, () => ({
      contents: "module.exports = window.cnnExplainWasm.tf;",
      loader: "js",
    }));
    build.onResolve({ filter: /^wasm-binary$/ }, () => ({ path: "wasm-binary", namespace: "page" }));
    build.onLoad({ filter: /^wasm-binary$/, namespace: "page" }, () => ({
      contents: `export default ${JSON.stringify(gzipSync(wasmBinary, { level: 9 }).toString("base64"))};`,
      loader: "js",
    }));
    build.onResolve({ filter: /tfjs-backend-wasm-threaded-simd(\.worker)?\.js$/ }, () => ({
      path: "threaded",
      namespace: "page",
    }));
    build.onLoad({ filter: /^threaded$/, namespace: "page" }, () => ({
      contents:
        'export const wasmWorkerContents = "";\n' +
        'export default function () { throw new Error("the multi-threaded WebAssembly backend is not bundled"); }\n',
      loader: "js",
    }));
  },
};
const wasmResult = await build({
  ...script,
  entryPoints: [join(here, "src/model/wasm.js")],
  plugins: [wasmParts],
  outfile: join(out, "wasm.js"),
});

// runtime.js hands wasm.js the tfjs-core exports that its modules import (the virtual module "tfjs-core-for-wasm"): so the
// page holds one engine, one registry of backends. The names are read from every module esbuild put into wasm.js.
const coreNamesForWasm = (() => {
  const names = new Set();
  const files = Object.keys(wasmResult.metafile.inputs).filter((input) => !input.includes(":")); // not virtual
  for (const file of files) {
    const source = readFileSync(join(here, file), "utf8");
    for (const [, list] of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']@tensorflow\/tfjs-core["']/g)) {
      for (const item of list.split(",")) if (item.trim()) names.add(item.trim().split(/\s+as\s+/)[0]);
    }
    if (/import\s*\*\s*as\s+\w+\s*from\s*["']@tensorflow\/tfjs-core["']/.test(source)) {
      throw new Error(`${file} imports all of tfjs-core: build.mjs cannot list the names it needs`);
    }
  }
  return [...names].sort();
})();
const coreForWasm = {
  name: "tfjs-core-for-wasm",
  setup(build) {
    build.onResolve({ filter: /^tfjs-core-for-wasm$/ }, () => ({ path: "tfjs-core-for-wasm", namespace: "wasm-host" }));
    build.onLoad({ filter: /.*/, namespace: "wasm-host" }, () => ({
      contents:
        `import { ${coreNamesForWasm.join(", ")} } from "@tensorflow/tfjs-core";\n` +
        `export default { ${coreNamesForWasm.join(", ")} };\n`,
      loader: "js",
      resolveDir: here,
    }));
  },
};
// The features that load only when the visitor asks for them (dist/<name>.js, classic scripts too): each runs on the
// page's own modules, so that it sees the page's state (the language's catalog, the scope of listeners): an import of a
// module of src/ outside the feature's folder reads window.cnnExplain.modules[path], which app.js fills (the virtual
// module "page-modules" below) with exactly the modules the features import. Their own modules and libraries they
// alone use are bundled in.
const FEATURES = ["tour", "whatif", "training"];
// training/worker.js runs in a Web Worker started from a blob: address (a worker script's own file cannot be loaded
// under file://): dist/training.js carries it as a string, the virtual module "training-worker".
const workerResult = await build({
  ...script,
  entryPoints: [join(here, "src/training/worker.js")],
  write: false,
  outfile: join(out, "worker.js"),
});
const trainingWorker = {
  name: "training-worker",
  setup(build) {
    build.onResolve({ filter: /^training-worker$/ }, () => ({ path: "training-worker", namespace: "worker" }));
    build.onLoad({ filter: /.*/, namespace: "worker" }, () => ({
      contents: `export default ${JSON.stringify(workerResult.outputFiles[0].text)};`,
      loader: "js",
    }));
  },
};
const shared = new Set(); // "ui/i18n.js", ...: the modules of src/ the features read from the page
// a feature's own modules: those of its folder (`own`: the ones named, for a folder the page shares, or those a
// function of their path accepts)
const pageModules = (feature, own = null) => ({
  name: "page-modules",
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const path = join(args.resolveDir, args.path.endsWith(".js") ? args.path : `${args.path}.js`);
      const inSrc = relative(join(here, "src"), path);
      const owned =
        typeof own === "function" ? own(inSrc) : own ? own.includes(inSrc) : inSrc.startsWith(`${feature}/`);
      if (inSrc.startsWith("..") || owned) return undefined;
      shared.add(inSrc);
      return { path: inSrc, namespace: "page" };
    });
    build.onLoad({ filter: /.*/, namespace: "page" }, (args) => ({
      contents: `module.exports = window.cnnExplain.modules[${JSON.stringify(args.path)}];`,
      loader: "js",
    }));
  },
});
// dist/explore.js: the views, the insights and the article (src/explore.js), loaded once TF.js has computed the
// first image. It bundles every module app.js does not hold without it (`first`, the modules of main.js alone, read from
// a build of it without the features' modules), and reads the rest from the page, as the features do.
const firstBuild = await build({
  ...script,
  entryPoints: [join(here, "src/main.js")],
  plugins: [
    colourScales,
    {
      name: "page-modules-none",
      setup(build) {
        build.onResolve({ filter: /^page-modules$/ }, () => ({ path: "page-modules", namespace: "page-none" }));
        build.onLoad({ filter: /.*/, namespace: "page-none" }, () => ({
          contents: "export default {};",
          loader: "js",
        }));
      },
    },
  ],
  write: false,
  outfile: join(out, "app.js"),
});
const first = new Set(Object.keys(firstBuild.metafile.inputs).map((input) => relative("src", input)));
const featureResults = [];
for (const feature of FEATURES) {
  featureResults.push(
    await build({
      ...script,
      entryPoints: [join(here, "src", feature, `${feature}.js`)],
      plugins: [colourScales, trainingWorker, pageModules(feature)],
      outfile: join(out, `${feature}.js`),
    }),
  );
}
// after the features: a module they read from the page is in app.js, and explore.js reads it from there too
const exploreModules = (path) => !first.has(path) && !shared.has(path);
const exploreResult = await build({
  ...script,
  entryPoints: [join(here, "src/explore.js")],
  plugins: [colourScales, pageModules("explore", exploreModules)],
  outfile: join(out, "explore.js"),
});
// dist/runtime.js: TF.js (tfjs-core, its cpu backend and gradients) and the model's code, half of the page's code,
// which the first picture does not need: the page loads it once that picture is on screen (src/model/session.js).
const runtimeResult = await build({
  ...script,
  entryPoints: [join(here, "src/model/runtimeScript.js")],
  plugins: [
    coreForWasm,
    pageModules("model", ["model/runtimeScript.js", "model/runtime.js", "model/layers.js", "model/tfCore.js"]),
  ],
  outfile: join(out, "runtime.js"),
});
// a module that explore.js bundles and a later script reads from the page would be in the page twice, each copy with
// its own state
const twice = Object.keys(exploreResult.metafile.inputs).filter((input) => shared.has(relative("src", input)));
if (twice.length) throw new Error(`explore.js bundles modules that app.js also holds: ${twice.join(", ")}`);
const modulesForFeatures = {
  name: "page-modules-host",
  setup(build) {
    build.onResolve({ filter: /^page-modules$/ }, () => ({ path: "page-modules", namespace: "page-host" }));
    build.onLoad({ filter: /.*/, namespace: "page-host" }, () => {
      const names = [...shared].sort();
      return {
        contents:
          names.map((name, i) => `import * as m${i} from "./src/${name}";`).join("\n") +
          `\nexport default { ${names.map((name, i) => `${JSON.stringify(name)}: m${i}`).join(", ")} };\n`,
        loader: "js",
        resolveDir: here,
      };
    });
  },
};

// V8 compiles every function of app.js while it downloads, on another thread (Chrome 136's compile hint): nearly all
// of them run before the first picture, and compiled one by one on first call they would hold up the main thread.
const result = await build({
  ...script,
  banner: { js: "//# allFunctionsCalledOnLoad" },
  entryPoints: [join(here, "src/main.js")],
  plugins: [colourScales, modulesForFeatures],
  outfile: join(out, "app.js"),
});

// The article's formulas, rendered once here; the KaTeX stylesheet keeps only the fonts they use.
const katexDist = join(here, "node_modules/katex/dist");
const styles = new Map();
// a formula with words in it has a variant per language ("input.zh"), which that language's article shows
const formulas = Object.fromEntries(
  Object.entries(FORMULAS).flatMap(([name, { tex, display, languages = {} }]) => [
    [name, renderFormula(tex, { display }, styles)],
    ...Object.entries(languages).map(([code, words]) => [`${name}.${code}`, renderFormula(words, { display }, styles)]),
  ]),
);
writeFileSync(join(out, "formulas.json"), JSON.stringify(formulas, null, 1) + "\n");
const katexCss = readFileSync(join(katexDist, "katex.css"), "utf8");
const formulaHtml = Object.values(formulas).join("");
const faces = fontFacesUsed(formulaHtml, katexCss);
rmSync(join(out, "fonts"), { recursive: true, force: true });
mkdirSync(join(out, "fonts"));
for (const face of faces) copyFileSync(join(katexDist, "fonts", `${face}.woff2`), join(out, "fonts", `${face}.woff2`));

// The stylesheets, in cascade order (later rules win ties), then KaTeX's.
const STYLESHEETS = [
  "ui/page.css",
  "article/article.css",
  "views/classViews.css",
  "image/ownImage.css",
  "article/playground.css",
  "views/views.css",
  "insights/curves.css",
  "insights/insights.css",
  "ui/themes.css",
];
const cssSources = [
  ...STYLESHEETS.map((name) => readFileSync(join(here, "src", name), "utf8")),
  trimFontFaces(pruneRules(katexCss, formulaHtml), faces),
  styleRules(styles),
];
const cssResult = await build({
  stdin: { contents: cssSources.join("\n"), loader: "css" },
  outfile: join(out, "app.css"),
  minify: !dev,
  target: ["chrome100", "firefox100", "safari15"],
  write: false,
  logLevel: "warning",
});
writeFileSync(join(out, "app.css"), cssResult.outputFiles[0].contents);

// a feature's style sheet (src/<name>/<name>.css) loads with it: dist/<name>.css
for (const feature of FEATURES) {
  await build({
    entryPoints: [join(here, "src", feature, `${feature}.css`)],
    outfile: join(out, `${feature}.css`),
    minify: !dev,
    target: ["chrome100", "firefox100", "safari15"],
    logLevel: "warning",
  });
}

const size = (built) => Object.values(built.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
const features = FEATURES.map((name, i) => `${name}.js ${size(featureResults[i])} bytes`).join(", ");
console.log(
  `app.js ${size(result)} bytes, explore.js ${size(exploreResult)} bytes, runtime.js ${size(runtimeResult)} bytes, wasm.js ${size(wasmResult)} bytes, ${features}, app.css ${cssResult.outputFiles[0].contents.length} bytes, fonts ${[...faces].join(" ")}`,
);
