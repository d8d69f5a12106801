// The longest functions in src/, by lines (acorn): `node dev/function_sizes.mjs [--over N]` lists every function
// longer than N lines (default 60), longest first. test/sizes.test.mjs holds the limit.

import { functionSizes } from "../test/helpers/sizes.mjs";

const at = process.argv.indexOf("--over");
const over = at > 0 ? Number(process.argv[at + 1]) : 60;
for (const { lines, file, name, line } of functionSizes().filter((f) => f.lines > over))
  console.log(`${String(lines).padStart(4)}  ${file}:${line}  ${name}`);
