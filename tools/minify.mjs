// Compress the loader that esbuild bundled and minified, in place, with terser (pinned in tools/pins.py): on this
// code terser's compressor gives about 5% fewer brotli bytes than esbuild's minifier alone, room under the loader's
// 5 KB. The first line becomes `preamble` (V8's compile hint, tools/bundle.py). Run by tools/bundle.py:
//   node minify.mjs <node_modules folder with terser> <file> <preamble>
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [modules, file, preamble] = process.argv.slice(2);
const { minify } = createRequire(join(modules, "terser", "package.json"))("terser");
const result = await minify(readFileSync(file, "utf8"), {
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false, preamble },
});
writeFileSync(file, result.code);
