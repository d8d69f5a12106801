// Every function of src/ with its length in lines, read with acorn (a parser, not a guess from braces).

import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";
import * as acorn from "acorn";
import * as walk from "acorn-walk";

const src = fileURLToPath(new URL("../../src/", import.meta.url));

function sources(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".js") ? [path] : [];
  });
}

/** [{lines, file (relative to src/), name, line}] of every function in src/, longest first. */
export function functionSizes() {
  const found = [];
  for (const path of sources(src)) {
    const ast = acorn.parse(readFileSync(path, "utf8"), {
      ecmaVersion: "latest",
      sourceType: "module",
      locations: true,
    });
    walk.full(ast, (node) => {
      if (!/Function/.test(node.type)) return;
      const { start, end } = node.loc;
      found.push({
        lines: end.line - start.line + 1,
        file: relative(src, path),
        name: node.id?.name ?? "(anonymous)",
        line: start.line,
      });
    });
  }
  return found.sort((a, b) => b.lines - a.lines);
}
