// The server sends our JS minified by rJSmin (fieldapp/web/precompress.py), a regex minifier that
// does not understand every construct (a template literal nested in another one loses its
// spaces). This proves, file by file, that the minified code parses to the same syntax tree as
// the source, positions and literals' spellings aside, so the phone runs exactly what was reviewed.
//   node scripts/check_minified.mjs SOURCE_DIR MINIFIED_DIR   (both holding js/…)
import * as acorn from "acorn";
import fs from "node:fs";
import path from "node:path";

const [sourceDir, minifiedDir] = process.argv.slice(2);
const OPTIONS = { ecmaVersion: "latest", sourceType: "module" };
const POSITIONS = new Set(["start", "end", "loc", "range"]);

function shape(node) {
  if (Array.isArray(node)) return node.map(shape);
  if (node && typeof node === "object") {
    // A literal's spelling (0x10 or 16) does not matter; a template's raw text does (String.raw).
    return Object.fromEntries(Object.entries(node)
      .filter(([k]) => !POSITIONS.has(k) && !(k === "raw" && node.type === "Literal"))
      .map(([k, v]) => [k, shape(v)]));
  }
  return typeof node === "bigint" ? `${node}n` : node;
}

function tree(file) {
  return JSON.stringify(shape(acorn.parse(fs.readFileSync(file, "utf8"), OPTIONS)));
}

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

let checked = 0;
const different = [];
for (const minified of files(minifiedDir)) {
  const source = path.join(sourceDir, path.relative(minifiedDir, minified));
  if (tree(source) !== tree(minified)) different.push(path.relative(minifiedDir, minified));
  checked += 1;
}
if (!checked || different.length) {
  console.error(checked ? `minified code differs from its source: ${different.join(", ")}`
    + " (a template literal inside another? write it with +)" : "nothing was minified");
  process.exit(1);
}
console.log(`minified JS: ${checked} files parse as their source`);
