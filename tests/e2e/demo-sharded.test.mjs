// The demo shop served with a sharded catalogue of 100,000 products
// (`scripts/demo --sharded`, data from scripts/sharded-shop, kept in target/):
// a product page and a cart render suggestions from shards, and a product
// page reads the index, its product's shard and the bestsellers shard only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { handler } from "../../scripts/serve.mjs";
import { until } from "./harness.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
let server, browser, base, products;

before(async () => {
  // Made once (about a minute), then kept while the tools are unchanged.
  const www = execFileSync(join(root, "scripts", "sharded-shop"), ["100000"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  products = JSON.parse(readFileSync(join(www, "data", "shop.json"), "utf8")).products;
  const serve = handler({ mounts: [["/treue/", join(root, "pkg")], ["/", www]] });
  server = createServer(serve);
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
  });
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** A demo page in a fresh context; the demo rules' collector answered here. */
async function open(path, cart) {
  const context = await browser.newContext();
  await context.route("http://127.0.0.1:8081/**", (r) => r.fulfill({ status: 204 }));
  if (cart) await context.addInitScript((lines) => localStorage.setItem("kontor.cart", JSON.stringify(lines)), cart);
  const page = await context.newPage();
  page.logs = [];
  page.on("console", (m) => page.logs.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => page.logs.push(`pageerror: ${e.message}`));
  await page.goto(base + path);
  return page;
}

const titles = (page, selector) => page.evaluate((selector) =>
  [...(document.querySelector(selector)?.shadowRoot?.querySelectorAll(".card .title") ?? [])].map((t) => t.textContent), selector);

const catalogueFiles = (page) => page.evaluate(() =>
  performance.getEntriesByType("resource").map((r) => new URL(r.name).pathname).filter((p) => p.startsWith("/data/catalogue/")));

test("a product page of the 100,000-product demo suggests from its shard, reading three files", async () => {
  const sku = products[54_321].sku;
  const page = await open(`/product.html?sku=${sku}`);
  await until("cross-sell cards", async () => (await titles(page, '[data-treue="cross-sell"]')).length > 0, 60000);
  const files = await catalogueFiles(page);
  assert.equal(files.length, 3, files.join(", "));
  assert.ok(files.includes("/data/catalogue/index.bin"));
  assert.equal(files.filter((f) => /^\/data\/catalogue\/[0-9a-f]{8}\/\d+\.bin$/.test(f)).length, 2, "its shard and the bestsellers shard");
  assert.deepEqual(page.logs.filter((l) => l.startsWith("error") || l.startsWith("pageerror")), []);
  await page.context().close();
});

test("a cart of five lines from different categories suggests from its lines' shards", async () => {
  const seen = new Set();
  const lines = [];
  for (let i = 7; lines.length < 5; i += 4_999) {
    const p = products[i % products.length];
    if (!seen.has(p.category)) { seen.add(p.category); lines.push({ sku: p.sku, quantity: 1 }); }
  }
  const page = await open("/cart.html", lines);
  await until("cart cross-sell cards", async () => (await titles(page, '[data-treue="cross-sell"][data-context="cart"]')).length > 0, 60000);
  const shards = (await catalogueFiles(page)).filter((f) => f.endsWith(".bin") && !f.endsWith("index.bin"));
  assert.ok(shards.length >= 2 && shards.length <= 6, `the lines' shards and the bestsellers shard: ${shards.join(", ")}`);
  const suggested = await titles(page, '[data-treue="cross-sell"][data-context="cart"]');
  const inCart = new Set(lines.map((l) => products.find((p) => p.sku === l.sku).title));
  assert.ok(suggested.every((t) => !inCart.has(t)), "nothing in the cart is suggested");
  assert.deepEqual(page.logs.filter((l) => l.startsWith("error") || l.startsWith("pageerror")), []);
  await page.context().close();
});
