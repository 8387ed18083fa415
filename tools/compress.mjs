// Precompress every file of the bundle: <file>.gz (gzip level 9) and <file>.br (brotli quality 11), with Node's
// zlib. Run by tools/bundle.py: node compress.mjs <listing.json>
import { readFileSync, writeFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

for (const file of JSON.parse(readFileSync(process.argv[2], "utf8"))) {
  const data = readFileSync(file);
  writeFileSync(file + ".gz", gzipSync(data, { level: 9 }));
  writeFileSync(file + ".br", brotliCompressSync(data, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
  }));
}
