// Two bench builds of the bundle compared on one payload, in one headless
// Chromium page: decodes alternate between them (A, B, B, A, ...), so both
// meet the same moments of a machine whose speed swings by 2x within minutes,
// where two separate runs of scripts/bench cannot tell a 10 % change from noise.
// Each decode notes the time at the decoder's pauses (benchDecodeStages), so
// the medians are given stage by stage too.
//
//   node bench/decode-ab.mjs DIR_A DIR_B PAYLOAD [PAIRS] [PAYLOAD_B]
// DIR_A and DIR_B hold a `--features bench` build as scripts/bench makes it
// (treue_glue.js, treue_bg.wasm; target/bench-pkg after `scripts/bench
// --wasm-only`, copied aside); PAIRS decodes of each are timed (default 40).
// The same DIR twice shows the noise left. PAYLOAD_B, when B reads another
// payload version: the same catalogue compiled by B's treue.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const [dirA, dirB, payload, pairsArg, payloadB = payload] = process.argv.slice(2);
if (!payload) {
  console.error("usage: node bench/decode-ab.mjs DIR_A DIR_B PAYLOAD [PAIRS]");
  process.exit(2);
}
const pairs = Number(pairsArg ?? 40);
const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
const page = `<!doctype html><script type="module">
import initA, * as a from "/a/treue_glue.js";
import initB, * as b from "/b/treue_glue.js";
await initA({ module_or_path: "/a/treue_bg.wasm" });
await initB({ module_or_path: "/b/treue_bg.wasm" });
const load = async (url) => new Uint8Array(await (await fetch(url)).arrayBuffer());
const bytes = { a: await load("/a/payload"), b: await load("/b/payload") };
const time = (w) => Array.from(w.benchDecodeStages(w === a ? bytes.a : bytes.b));
for (let i = 0; i < 3; i++) { time(a); time(b); } // the engine's warm-up
const times = { a: [], b: [] };
for (let i = 0; i < ${pairs}; i++) {
  const order = i % 2 ? [["b", b], ["a", a]] : [["a", a], ["b", b]];
  for (const [name, w] of order) times[name].push(time(w));
}
window.done = times;
</script>`;

const server = createServer(async (req, res) => {
  const isolate = { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" };
  const [, dir, file] = req.url.match(/^\/(a|b)\/(.+)$/) ?? [];
  try {
    if (req.url === "/") return res.writeHead(200, { ...isolate, "content-type": types[".html"] }).end(page);
    const path = file === "payload" ? resolve(dir === "a" ? payload : payloadB)
      : dir ? join(resolve(dir === "a" ? dirA : dirB), file) : null;
    if (!path) return res.writeHead(404).end();
    const type = types[path.slice(path.lastIndexOf("."))] ?? "application/octet-stream";
    res.writeHead(200, { ...isolate, "content-type": type }).end(await readFile(path));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const tab = await browser.newPage();
  tab.on("pageerror", (e) => console.error(e));
  await tab.goto(`http://127.0.0.1:${server.address().port}/`);
  const times = await tab.waitForFunction(() => window.done, null, { timeout: 600_000, polling: 500 }).then((h) => h.jsonValue());
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const f = (x) => `${x.toFixed(2)} ms`;
  // Marks: one per pause of the decoder, the end of decoding, the end of the bestseller lists.
  const stages = ["checksum, tables, SKUs, titles", "URLs, images", "scalar columns", "lists", "UTF-8 check, SKU index", "bestsellers"];
  const span = (marks, i) => marks[i] - (i ? marks[i - 1] : 0);
  const rows = stages.map((name, i) => [name, median(times.a.map((m) => span(m, i))), median(times.b.map((m) => span(m, i)))]);
  const total = (marks) => marks[marks.length - 1];
  rows.push(["decode and bestsellers", median(times.a.map(total)), median(times.b.map(total))]);
  console.log(`A ${dirA}\nB ${dirB}\nmedians of ${pairs} decodes each:`);
  for (const [name, a, b] of rows) console.log(`  ${name.padEnd(32)} A ${f(a).padStart(9)}   B ${f(b).padStart(9)}`);
  const diffs = times.a.map((m, i) => total(times.b[i]) - total(m));
  const faster = diffs.filter((d) => d < 0).length;
  console.log(`B - A per pair: median ${f(median(diffs))} (${(100 * median(diffs) / rows.at(-1)[1]).toFixed(1)} %); B faster in ${faster} of ${diffs.length} pairs`);
} finally {
  await browser.close();
  server.close();
}
