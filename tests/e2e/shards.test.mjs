// The sharded catalogue in the browser: the demo shop compiled both ways
// (scripts/build writes www/data/catalogue.bin and www/data/catalogue/), the
// same widgets on both, what a page fetches, a shard that cannot be used, and
// shards on a failing network (retries, the last good copy, its pruning).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { start, pageUrl, until } from "./harness.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const data = join(root, "www", "data");
const single = "/data/catalogue.bin";
const sharded = "/data/catalogue/";

let env, shop, rules;
before(async () => {
  env = await start();
  shop = JSON.parse(await readFile(join(data, "shop.json"), "utf8"));
  // The demo rules without the collector; a merchant link to a product of
  // another shard than its own, so that links are covered too.
  rules = JSON.parse(await readFile(join(data, "rules.json"), "utf8"));
  delete rules.measure;
});
after(async () => { await env?.close(); });

const skus = () => shop.products.map((p) => p.sku);

/**
 * Opens `settings` as a test page with `rules` served, waits for every widget
 * to settle. In `context` when given (its Cache Storage shared between pages).
 */
async function open(settings, { route, context } = {}) {
  const page = await (context ?? env.browser).newPage();
  page.logs = [];
  page.errors = [];
  page.on("console", (m) => page.logs.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => page.errors.push(e.message));
  await page.route("**/test-rules.json", (r) =>
    r.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(rules) }));
  if (route) await route(page);
  await page.goto(env.base + pageUrl({ rules: "/test-rules.json", ...settings }));
  await page.evaluate(() => window.treue?.ready);
  await until("every widget settled", () =>
    page.evaluate(() => [...document.querySelectorAll("[data-treue]")].every((el) => el.hasAttribute("data-treue-state"))));
  return page;
}

/** What every widget shows: its state and its text, in page order. */
function shown(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("[data-treue]")].map((el) => ({
      widget: `${el.dataset.treue} ${el.dataset.sku ?? el.dataset.context ?? ""}`,
      state: el.getAttribute("data-treue-state"),
      titles: [...(el.shadowRoot?.querySelectorAll(".card .title") ?? [])].map((t) => t.textContent),
      text: el.shadowRoot?.textContent ?? "",
    })));
}

function cartHead(lines) {
  return `<script type="application/json" id="treue-cart">${JSON.stringify(lines)}</script>`;
}

const customer = `<script type="application/json" id="treue-customer">${JSON.stringify({
  id: "K-1", points: 1200, tier_spend: 60000,
})}</script>`;

/** The same page on the single file and on the shards. */
async function both(settings) {
  const a = await open({ ...settings, catalogue: single });
  const b = await open({ ...settings, catalogue: sharded });
  const [one, many] = [await shown(a), await shown(b)];
  assert.deepEqual(a.errors, []);
  assert.deepEqual(b.errors, []);
  assert.deepEqual(b.logs.filter((l) => l.startsWith("error")), []);
  await a.close();
  await b.close();
  return [one, many];
}

test("product pages: cross-sell, upgrade and points preview show the same on shards as on the single file", async () => {
  const sample = skus().filter((_, i) => i % 23 === 0);
  const body = sample.map((sku) =>
    `<div data-treue="cross-sell" data-sku="${sku}"></div><div data-treue="upgrade" data-sku="${sku}"></div>` +
    `<div data-treue="points-preview" data-sku="${sku}"></div>`).join("");
  const [one, many] = await both({ body, head: customer });
  assert.deepEqual(many, one);
  const cards = one.filter((w) => w.widget.startsWith("cross-sell") && w.titles.length > 0).length;
  assert.ok(cards >= sample.length / 2, `cross-sell cards on ${cards} of ${sample.length} products`);
  assert.ok(one.some((w) => w.widget.startsWith("upgrade") && w.titles.length > 0), "some upgrade shows");
});

test("carts of five lines from different categories, loyalty and a page without a SKU show the same", async () => {
  const byCategory = new Map();
  for (const p of shop.products) {
    if (!byCategory.has(p.category)) byCategory.set(p.category, []);
    byCategory.get(p.category).push(p.sku);
  }
  const lists = [...byCategory.values()];
  for (let n = 0; n < 6; n++) {
    const lines = lists.slice(n, n + 5).map((list, i) => ({ sku: list[(n * 7 + i * 3) % list.length], quantity: 1 + (i % 2) }));
    const body = `<div data-treue="cross-sell" data-context="cart"></div><div data-treue="upgrade" data-context="cart"></div>` +
      `<div data-treue="loyalty"></div>`;
    const [one, many] = await both({ body, head: cartHead(lines) + customer });
    assert.deepEqual(many, one, `cart ${JSON.stringify(lines)}`);
    assert.ok(one[0].titles.length > 0, "the cart widget suggests something");
  }
  // No SKU and no cart: the index and the bestsellers shard only.
  const [one, many] = await both({ body: `<div data-treue="cross-sell"></div><div data-treue="loyalty"></div>`, head: customer });
  assert.deepEqual(many, one);
  assert.ok(one[1].text.includes("1.200") || one[1].text.includes("1200"), `the loyalty panel shows the balance: ${one[1].text}`);
});

test("a product page fetches the index, its shard and the bestsellers shard, in one round after the index", async () => {
  const sku = skus()[5];
  const page = await open({ catalogue: sharded, body: `<div data-treue="cross-sell" data-sku="${sku}"></div>` });
  const fetched = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((r) => new URL(r.name).pathname).filter((p) => p.startsWith("/data/catalogue/")));
  assert.equal(fetched[0], "/data/catalogue/index.bin");
  assert.equal(fetched.length, 3, fetched.join(", "));
  assert.ok((await shown(page))[0].titles.length > 0);
  await page.close();
});

test("a cart change that needs another shard fetches it and renders again", async () => {
  const page = await open({ catalogue: sharded, body: `<div data-treue="cross-sell" data-context="cart"></div>` });
  const before = (await shown(page))[0].titles;
  const sku = skus().at(-1);
  await page.evaluate((sku) => window.treue.setCart([{ sku, quantity: 1 }]), sku);
  const reference = await open({ catalogue: single, body: `<div data-treue="cross-sell" data-context="cart"></div>`, head: cartHead([{ sku, quantity: 1 }]) });
  const expected = (await shown(reference))[0].titles;
  assert.notDeepEqual(expected, before, "the cart changes the suggestions");
  await until("the cart's suggestions", async () => JSON.stringify((await shown(page))[0].titles) === JSON.stringify(expected));
  const shards = await page.evaluate(() =>
    performance.getEntriesByType("resource").filter((r) => /\/data\/catalogue\/.+\/\d+\.bin$/.test(r.name)).length);
  assert.equal(shards, 2, "the bestsellers shard, then the cart line's");
  await page.close();
  await reference.close();
});

test("rules' cross_sell.links to a product of another shard: its card is fetched and shown", async () => {
  const all = skus();
  const [from, to] = [all[3], all.at(-3)];
  const saved = rules.cross_sell;
  rules.cross_sell = { ...saved, links: { [from]: [to] } };
  try {
    const [one, many] = await both({ body: `<div data-treue="cross-sell" data-sku="${from}"></div>` });
    assert.deepEqual(many, one);
    const title = shop.products.find((p) => p.sku === to).title;
    assert.equal(one[0].titles[0], title, "the merchant's link comes first");
  } finally {
    rules.cross_sell = saved;
  }
});

/** The sharded demo catalogue compiled again with other settings: another build of the same shard count. */
function otherCompile() {
  const out = mkdtempSync(join(tmpdir(), "treue-shards-")) + "/";
  execFileSync(join(root, "target", "release-native", "treue"), [
    "compile", "--products", join(data, "products.csv"), "--orders", join(data, "orders.csv"),
    "--top-k", "3", "--sharded", "--out", out,
  ], { stdio: "ignore" });
  return out;
}

/** The shard a product page of `sku` fetches beside the bestsellers shard (numbered last). */
async function shardOf(sku) {
  const page = await open({ catalogue: sharded, body: `<div data-treue="upgrade" data-sku="${sku}"></div>` });
  const found = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((r) => new URL(r.name).pathname).filter((p) => /\/\d+\.bin$/.test(p)));
  await page.close();
  const number = (p) => Number(p.match(/(\d+)\.bin$/)[1]);
  return found.sort((a, b) => number(a) - number(b))[0];
}

test("a shard of another compile, or a missing one, is named once on the console; its widget stays empty, the rest work", async () => {
  const other = otherCompile();
  const [otherBuild] = (await readdir(other)).filter((d) => /^[0-9a-f]{8}$/.test(d));
  // Three products of three different shards.
  const picked = new Map();
  for (const sku of skus()) {
    const path = await shardOf(sku);
    if (![...picked.values()].includes(path)) picked.set(sku, path);
    if (picked.size === 3) break;
  }
  const [[good], [stale, stalePath], [gone, gonePath]] = [...picked];
  const staleBytes = await readFile(join(other, otherBuild, stalePath.split("/").at(-1)));
  const page = await open(
    { catalogue: sharded, body: [good, stale, gone].map((s) => `<div data-treue="cross-sell" data-sku="${s}"></div>`).join("") },
    { route: async (page) => {
      await page.route(`**${stalePath}`, (r) => r.fulfill({ status: 200, contentType: "application/octet-stream", body: staleBytes }));
      await page.route(`**${gonePath}`, (r) => r.fulfill({ status: 404, contentType: "text/plain", body: "not found" }));
    } },
  );
  const w = await shown(page);
  assert.ok(w[0].titles.length > 0, "the product of a good shard gets suggestions");
  assert.deepEqual([w[1].titles, w[2].titles], [[], []], "the products of the bad shards get none");
  const errors = page.logs.filter((l) => l.startsWith("error: [treue]"));
  assert.equal(errors.length, 2, errors.join("\n"));
  assert.match(errors.find((e) => e.includes(stalePath)) ?? "", /index and shards of different compiles/);
  assert.match(errors.find((e) => e.includes(gonePath)) ?? "", /HTTP 404/);
  assert.deepEqual(page.errors, []);
  assert.ok(await page.evaluate(() => window.hostTicks > 0), "the host page's script keeps running");
  await page.close();
});

/** Two products of different shards, and the path of each one's shard. */
async function twoShards() {
  const [first, ...rest] = skus();
  const firstPath = await shardOf(first);
  for (const sku of rest) {
    const path = await shardOf(sku);
    if (path !== firstPath) return [[first, firstPath], [sku, path]];
  }
  throw new Error("every product in one shard");
}

const crossSells = (...list) => list.map((sku) => `<div data-treue="cross-sell" data-sku="${sku}"></div>`).join("");

/** What the single file shows for `body`: the reference for the shards. */
async function reference(body) {
  const page = await open({ catalogue: single, body });
  const w = await shown(page);
  await page.close();
  return w;
}

test("a shard request that fails with 503 once is retried and its widget renders", async () => {
  const [[sku, path]] = await twoShards();
  let calls = 0;
  const page = await open({ catalogue: sharded, body: crossSells(sku) }, {
    route: (page) => page.route(`**${path}`, (r) => (++calls === 1 ? r.fulfill({ status: 503, body: "busy" }) : r.continue())),
  });
  assert.equal(calls, 2);
  const w = await shown(page);
  assert.deepEqual(w, await reference(crossSells(sku)));
  assert.ok(w[0].titles.length > 0);
  // Chromium logs the 503 itself; treue says nothing, since the retry worked.
  assert.deepEqual(page.logs.filter((l) => l.includes("[treue]")), []);
  await page.close();
});

test("a shard that keeps failing leaves its widget empty with one error naming the file; the rest work", async () => {
  const [[good], [bad, badPath]] = await twoShards();
  let calls = 0;
  const page = await open({ catalogue: sharded, body: crossSells(good, bad) }, {
    route: (page) => page.route(`**${badPath}`, (r) => { calls += 1; return r.fulfill({ status: 503, body: "busy" }); }),
  });
  assert.equal(calls, 3, "tried three times");
  const w = await shown(page);
  assert.ok(w[0].titles.length > 0, "the product of the good shard gets suggestions");
  assert.deepEqual(w[1].titles, [], "the product of the failing shard gets none");
  const errors = page.logs.filter((l) => l.startsWith("error: [treue]"));
  assert.equal(errors.length, 1, page.logs.join("\n"));
  assert.ok(errors[0].includes(`catalogue shard ${badPath}: HTTP 503`), errors[0]);
  assert.deepEqual(page.errors, []);
  assert.ok(await page.evaluate(() => window.hostTicks > 0), "the host page's script keeps running");
  await page.close();
});

/** The URLs below the sharded catalogue's directory that Cache Storage holds copies of, as paths. */
function copies(page) {
  return page.evaluate(async () => {
    const cache = await caches.open("treue-catalogue");
    return (await cache.keys()).map((r) => new URL(r.url).pathname).filter((p) => p.startsWith("/data/catalogue/")).sort();
  });
}

test("when the network fails, the last good copy of a shard still gives its widget suggestions", async () => {
  const [[sku, path]] = await twoShards();
  const context = await env.browser.newContext();
  const first = await open({ catalogue: sharded, body: crossSells(sku) }, { context });
  const expected = await shown(first);
  assert.ok(expected[0].titles.length > 0);
  await until("the copies in Cache Storage", async () => (await copies(first)).includes(path));
  await first.close();

  let calls = 0;
  await context.route(`**${path}`, (r) => { calls += 1; return r.abort("internetdisconnected"); });
  const again = await open({ catalogue: sharded, body: crossSells(sku) }, { context });
  assert.equal(calls, 3, "tried three times before falling back");
  assert.deepEqual(await shown(again), expected);
  const said = again.logs.filter((l) => l.includes("[treue]"));
  assert.equal(said.length, 1, said.join("\n"));
  assert.match(said[0], /^warning: \[treue\] catalogue shard .+ using the copy that loaded last time$/);
  assert.ok(said[0].includes(path), said[0]);
  assert.deepEqual(again.errors, []);
  await context.close();
});

test("a new compile's index deletes the copies of shards it no longer names", async () => {
  const other = otherCompile();
  const [[a], [b]] = await twoShards();
  const context = await env.browser.newContext();
  const first = await open({ catalogue: sharded, body: crossSells(a, b) }, { context });
  // The index, the bestsellers shard and the two products' shards.
  await until("the copies in Cache Storage", async () => (await copies(first)).length === 4);
  const before = await copies(first);
  await first.close();

  // The same directory now serves the other compile.
  await context.route("**/data/catalogue/**", async (r) => {
    const below = new URL(r.request().url()).pathname.slice("/data/catalogue/".length);
    const body = await readFile(join(other, below)).catch(() => null);
    return body ? r.fulfill({ status: 200, contentType: "application/octet-stream", body }) : r.fulfill({ status: 404, body: "not found" });
  });
  const exists = async (path) => readFile(join(other, path.slice("/data/catalogue/".length))).then(() => true, () => false);
  const again = await open({ catalogue: sharded, body: crossSells(a, b) }, { context });
  assert.ok((await shown(again)).every((w) => w.titles.length > 0), "the new compile's shards give suggestions");
  let after;
  await until("only the new compile's copies", async () => {
    after = await copies(again);
    const named = await Promise.all(after.map(exists));
    return after.length === 4 && named.every(Boolean);
  });
  assert.ok(before.some((p) => !after.includes(p)), `some shard changed between the compiles: ${before} / ${after}`);
  assert.deepEqual(again.errors, []);
  await context.close();
});
