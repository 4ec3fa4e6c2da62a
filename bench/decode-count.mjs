// Decodes a payload RUNS times with the bench build of the bundle, in Node's
// V8, for scripts/bench-decode-instructions (which runs it under callgrind).
//   node bench/decode-count.mjs PKG_DIR PAYLOAD RUNS
import { readFileSync } from "node:fs";

const [pkg, payload, runs] = process.argv.slice(2);
const glue = await import(`${pkg}/treue_glue.js`);
await glue.default({ module_or_path: readFileSync(`${pkg}/treue_bg.wasm`) });
const bytes = new Uint8Array(readFileSync(payload));
for (let i = 0; i < Number(runs); i++) {
  glue.benchFree();
  glue.benchDecode(bytes);
}
