// The in-wasm figures of scripts/bench, run inside headless Chromium: decode
// time of a large catalogue, suggestion time per call, linear memory. Loaded
// by bench/wasm.html from the bench build (`--features bench`) of the bundle.
import init, * as wasm from "/bench-pkg/treue_glue.js";

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const stats = (times) => {
  const s = [...times].sort((a, b) => a - b);
  return { runs: s.length, min: s[0], p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s[s.length - 1] };
};

// A small seeded generator so every run asks the same questions.
function rng(seed) {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

async function run(catalogueUrl) {
  const exports = await init({ module_or_path: "/bench-pkg/treue_bg.wasm" });
  const memoryBefore = exports.memory.buffer.byteLength;
  const bytes = new Uint8Array(await (await fetch(catalogueUrl)).arrayBuffer());

  const decode = [];
  let products = 0;
  for (let i = 0; i < 32; i++) {
    wasm.benchFree(); // not timed: a page never frees its catalogue
    const t = performance.now();
    products = wasm.benchDecode(bytes);
    decode.push(performance.now() - t);
  }
  decode.splice(0, 2); // the first runs include the engine's warm-up
  const memoryAfter = exports.memory.buffer.byteLength;

  const random = rng(42);
  const sku = () => wasm.benchSku(Math.floor(random() * products));
  const time = (calls, make) => {
    const questions = Array.from({ length: calls }, make);
    for (const q of questions.slice(0, 50)) wasm.benchSuggest(q, 8); // warm-up
    const times = [];
    let found = 0;
    for (const q of questions) {
      const t = performance.now();
      found += wasm.benchSuggest(q, 8);
      times.push(performance.now() - t);
    }
    return { ...stats(times), avgFound: found / calls };
  };
  const product = time(2000, () => [sku()]);
  const cart = time(2000, () => Array.from({ length: 10 }, sku));
  return {
    products,
    payloadBytes: bytes.length,
    decode: stats(decode),
    product,
    cart,
    memory: { before: memoryBefore, after: memoryAfter },
    timerResolution: crossOriginIsolated ? "5 µs (cross-origin isolated)" : "100 µs",
  };
}

const url = new URL(location.href).searchParams.get("catalogue");
window.benchResult = run(url).catch((e) => ({ error: String(e?.stack ?? e) }));
