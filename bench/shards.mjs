// scripts/bench-shards --browser's driver: a sharded catalogue in headless
// Chromium, beside a single file in the same run. Reports; never fails on a
// slow figure (only on a broken run).
//
//   node bench/shards.mjs --sharded DIR (--shop FILE | --products CSV) --single FILE --single-shop FILE
//                         [--runs N] [--slow-4g] [--trace]
// DIR is a sharded catalogue's directory, --shop the shop.json of its shop
// (SKUs and categories) or --products its products CSV (for a million
// products, whose shop.json is longer than a JavaScript string may be),
// --single a single-file catalogue to compare with and --single-shop its shop.json.
// Every visit is cold (a new browser context): what a first page view fetches.
import { createServer } from "node:http";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { handler } from "../scripts/serve.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const runs = Number(flag("--runs") ?? 9);
// --slow-4g: Lighthouse's mobile network (150 ms round trip, 1.6 Mbit/s down,
// 750 kbit/s up) on every measured visit; without it, loopback.
const slow = args.includes("--slow-4g");
// --trace: per measured visit, when each file was asked for and arrived in
// the page (Resource Timing) and how long the server took to answer it.
const trace = args.includes("--trace");
const served = [];
const rules = JSON.parse(readFileSync(join(root, "examples/rules/demo.json"), "utf8"));
delete rules.measure;

// The catalogues as the demo server serves them: brotli (quality 11 under 1 MB,
// 5 above, as a CDN compressing on the fly), no-cache with an ETag.
const serve = handler({
  mounts: [["/treue/", join(root, "pkg")], ["/sharded/", resolve(flag("--sharded"))], ["/single.bin", resolve(flag("--single")), true]],
});

function page(url) {
  const p = url.searchParams;
  const cart = p.get("cart") ? p.get("cart").split(",").map((sku) => ({ sku, quantity: 1 })) : null;
  const body = cart
    ? `<script type="application/json" id="treue-cart">${JSON.stringify(cart)}</script>
       <div data-treue="cross-sell" data-context="cart"></div><div data-treue="upgrade" data-context="cart"></div>`
    : ["cross-sell", "upgrade", "points-preview"].map((w) => `<div data-treue="${w}" data-sku="${p.get("sku")}"></div>`).join("");
  return `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>bench</title>
<script type="module" src="/treue/treue.js" data-catalogue="${p.get("catalogue")}" data-rules="/rules.json"></script>
</head><body>${body}</body></html>`;
}

function server() {
  return createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/page") return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(url));
    if (url.pathname === "/rules.json") return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(rules));
    if (trace) {
      const began = performance.now();
      res.on("finish", () => served.push({ path: url.pathname, ms: performance.now() - began }));
    }
    serve(req, res);
  });
}

// Before any script: the time the first widget painted a card (polled once
// a frame, so to the frame), and the time a card entered a widget's shadow
// DOM (a mutation observer on each shadow root, to the task).
function probe() {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    new MutationObserver(() => {
      if (window.__cardInDom === undefined && root.querySelector(".card")) window.__cardInDom = performance.now();
    }).observe(root, { childList: true, subtree: true });
    return root;
  };
  const look = () => {
    const card = [...document.querySelectorAll("[data-treue]")].some((el) => el.shadowRoot?.querySelector(".card"));
    if (card) window.__firstCard = performance.now();
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

async function visit(browser, base, query, { throttle = false } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions",
      { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 });
  }
  await page.addInitScript(probe);
  served.length = 0;
  const loop = trace ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
  loop?.enable();
  await page.goto(`${base}/page?${new URLSearchParams(query)}`);
  await page.waitForFunction(() => window.__firstCard !== undefined, null, { timeout: 60000 });
  await page.evaluate(() => window.treue.ready);
  loop?.disable();
  const figures = await page.evaluate(async () => {
    const files = performance.getEntriesByType("resource")
      .filter((r) => /\/(sharded\/|single\.bin)/.test(r.name))
      .map((r) => ({ path: new URL(r.name).pathname, bytes: r.encodedBodySize, end: r.responseEnd }));
    const timeline = performance.getEntriesByType("resource")
      .filter((r) => /\/(sharded\/|single\.bin|treue\/|rules\.json)/.test(r.name))
      .map((r) => ({ path: new URL(r.name).pathname, start: r.startTime, firstByte: r.responseStart, end: r.responseEnd }));
    // The glue's init answers the running instance's exports once it is initialised.
    const wasm = await (await import("/treue/treue_glue.js")).default();
    return { firstCard: window.__firstCard, cardInDom: window.__cardInDom, files, timeline, memory: wasm.memory.buffer.byteLength };
  });
  await context.close();
  const phases = trace ? traced(query, figures, loop) : undefined;
  const before = figures.files.filter((f) => f.end <= figures.firstCard);
  return { ...figures, phases, bytesBefore: before.reduce((s, f) => s + f.bytes, 0), bytes: figures.files.reduce((s, f) => s + f.bytes, 0) };
}

/**
 * --trace: one visit's timeline in the page's milliseconds (Resource Timing:
 * asked-first byte-arrived per file), the server's time per request, and this
 * process's event loop (it is the server): its longest delay during the
 * visit. Returns the phases summed up at the end.
 */
function traced(query, figures, loop) {
  const short = (path) => path.replace(/^\/sharded\/[0-9a-f]+\//, "shard ").replace(/^\/(sharded|treue)\//, "");
  const ms = (x) => Math.round(x);
  const at = (re) => figures.timeline.filter((r) => re.test(r.path));
  const wasm = at(/treue_bg\.wasm$/)[0];
  const first = at(/(index|single)\.bin$/)[0];
  const shards = at(/^\/sharded\/[0-9a-f]+\//).filter((r) => r.end <= figures.firstCard);
  const lastFile = Math.max(first.end, ...shards.map((r) => r.end));
  const phases = {
    "wasm arrived": wasm.end,
    "index or single file arrived": first.end,
    "shards asked": shards.length ? Math.min(...shards.map((r) => r.start)) : NaN,
    "catalogue complete": lastFile,
    "card in the DOM": figures.cardInDom,
    "first card": figures.firstCard,
    "last file to first card": figures.firstCard - lastFile,
    "server: slowest catalogue answer": Math.max(0, ...served.filter((s) => /\/(sharded|single)/.test(s.path)).map((s) => s.ms)),
    "server: longest event loop delay": loop.max / 1e6,
  };
  console.log(`${query.catalogue}${query.sku ? ` sku ${query.sku}` : " cart"}: first card ${ms(figures.firstCard)} ms; ` +
    figures.timeline.map((r) => `${short(r.path)} ${ms(r.start)}-${ms(r.firstByte)}-${ms(r.end)}`).join(", ") +
    `; server ms: ${served.map((s) => `${short(s.path)} ${s.ms.toFixed(1)}`).join(", ")}` +
    `; event loop max ${(loop.max / 1e6).toFixed(1)} ms`);
  return phases;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const stats = (xs) => `median ${fmt(median(xs))} (min ${fmt(Math.min(...xs))}, max ${fmt(Math.max(...xs))})`;
const fmt = (x) => x.toLocaleString("en");

/** The fields of one CSV line (quoted fields with commas and doubled quotes; no line breaks inside). */
function fields(line) {
  const out = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += c; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { out.push(field); field = ""; } else field += c;
  }
  out.push(field);
  return out;
}

/** SKU and category of every product: from --shop's shop.json, or read line by line from --products' CSV. */
async function shopProducts() {
  if (flag("--shop")) return JSON.parse(readFileSync(resolve(flag("--shop")), "utf8")).products;
  const lines = createInterface({ input: createReadStream(resolve(flag("--products")), "utf8"), crlfDelay: Infinity });
  const products = [];
  let columns;
  for await (const line of lines) {
    const row = fields(line);
    if (!columns) {
      columns = { sku: row.indexOf("sku"), category: row.indexOf("category") };
      continue;
    }
    products.push({ sku: row[columns.sku], category: row[columns.category] });
  }
  return products;
}

async function main() {
  const products = await shopProducts();
  const step = Math.max(1, Math.floor(products.length / runs));
  const skus = Array.from({ length: runs }, (_, i) => products[(i * step + 11) % products.length].sku);
  const small = JSON.parse(readFileSync(resolve(flag("--single-shop")), "utf8")).products;
  const smallSkus = Array.from({ length: runs }, (_, i) => small[(i * Math.floor(small.length / runs) + 11) % small.length].sku);
  const byCategory = new Map();
  for (const p of products) {
    if (!byCategory.has(p.category)) byCategory.set(p.category, []);
    byCategory.get(p.category).push(p.sku);
  }
  const categories = [...byCategory.values()];
  const carts = Array.from({ length: runs }, (_, n) =>
    Array.from({ length: 5 }, (_, i) => { const list = categories[(n * 5 + i * 3) % categories.length]; return list[(n * 31 + i * 17) % list.length]; }));

  const http = server();
  await new Promise((r) => http.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${http.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
  const single = [];
  const product = [];
  const cart = [];
  try {
    // Every page once, not counted: the server compresses each file on its
    // first request (brotli 11 of a 110 KB shard takes longer than the
    // fetch), where a CDN serves it compressed; the measured visits find the
    // server's cache warm and the browser's cold.
    await visit(browser, base, { catalogue: "/single.bin", sku: smallSkus[0] });
    for (let i = 0; i < runs; i++) {
      await visit(browser, base, { catalogue: "/sharded/", sku: skus[i] });
      await visit(browser, base, { catalogue: "/sharded/", cart: carts[i].join(",") });
    }
    for (let i = 0; i < runs; i++) {
      // Alternating, so both forms meet the same moments of a shared machine.
      const how = { throttle: slow };
      single.push(await visit(browser, base, { catalogue: "/single.bin", sku: smallSkus[i] }, how));
      product.push(await visit(browser, base, { catalogue: "/sharded/", sku: skus[i] }, how));
      cart.push(await visit(browser, base, { catalogue: "/sharded/", cart: carts[i].join(",") }, how));
    }
  } finally {
    await browser.close();
    http.close();
  }
  const index = product[0].files.find((f) => f.path.endsWith("/index.bin"));
  const rows = [
    ["product page: catalogue bytes before the first card (brotli)", stats(product.map((r) => r.bytesBefore)), "≤ 50 KB"],
    ["product page: requests for the catalogue", stats(product.map((r) => r.files.length)), "3"],
    ["index (brotli)", fmt(index.bytes), "≤ 20 KB"],
    ["cart of 5 lines from different categories: catalogue bytes (brotli)", stats(cart.map((r) => r.bytes)), "≤ 150 KB"],
    ["cart: requests for the catalogue", stats(cart.map((r) => r.files.length)), "≤ 7"],
    ["time to first card, product page, sharded (ms)", stats(product.map((r) => Math.round(r.firstCard))), "≤ single file"],
    ["time to first card, product page, single file (ms)", stats(single.map((r) => Math.round(r.firstCard))), ""],
    ["time to a card in the DOM, product page, sharded (ms)", stats(product.map((r) => Math.round(r.cardInDom))), "≤ single file"],
    ["time to a card in the DOM, product page, single file (ms)", stats(single.map((r) => Math.round(r.cardInDom))), ""],
    ["sharded minus single file, paired visits: first card (ms)", stats(product.map((r, i) => Math.round(r.firstCard - single[i].firstCard))), ""],
    ["sharded minus single file, paired visits: card in the DOM (ms)", stats(product.map((r, i) => Math.round(r.cardInDom - single[i].cardInDom))), ""],
    ["single file bytes (brotli)", fmt(single[0].bytes), ""],
    ["wasm memory after the product page rendered, sharded", stats(product.map((r) => r.memory)), "≤ 10 MB"],
    ["wasm memory after the product page rendered, single file", stats(single.map((r) => r.memory)), ""],
  ];
  console.log(`${runs} cold visits each, alternating, ${slow ? "network: Lighthouse's slow 4G (150 ms, 1.6 Mbit/s)" : "network: loopback"}; ` +
    `${products.length.toLocaleString("en")} products sharded, ${small.length.toLocaleString("en")} in the single file\n`);
  console.log("| | measured | budget |\n| --- | --- | --- |");
  for (const [what, value, budget] of rows) console.log(`| ${what} | ${value} | ${budget} |`);
  if (trace) {
    console.log("\nmedians (ms from navigation) | product page, sharded | product page, single file |\n| --- | --- | --- |");
    for (const name of Object.keys(product[0].phases)) {
      const m = (visits) => median(visits.map((v) => v.phases[name])).toFixed(1);
      console.log(`| ${name} | ${m(product)} | ${m(single)} |`);
    }
  }
}

await main();
