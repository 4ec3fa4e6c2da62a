// The served demo shop (www/ with the data scripts/build generates), driven
// like a visitor in headless Chromium: the cross-sell widget on a product
// page, its add button filling the shop's own cart, the cart widget, checkout,
// the demo switchers, and a broken catalogue that leaves the shop working.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { start, widgets, standInCollector } from "./harness.mjs";

const data = fileURLToPath(new URL("../../www/data/", import.meta.url));
let env;
let shop;
let planted;

before(async () => {
  env = await start();
  shop = JSON.parse(await readFile(data + "shop.json", "utf8"));
  planted = new Map();
  for (const line of (await readFile(data + "planted.csv", "utf8")).trim().split("\n").slice(1)) {
    const [sku, partner] = line.split(",");
    planted.set(sku, [...(planted.get(sku) ?? []), partner]);
  }
});
after(async () => { await env?.close(); });

const product = (sku) => shop.products.find((p) => p.sku === sku);
/** The first camera in stock: an anchor with planted partners. */
const camera = () => shop.products.find((p) => p.category === "kameras" && p.availability === "in_stock" && planted.has(p.sku));

/** A fresh page recording console and errors; `setup` runs before it loads. */
async function visit(path, setup) {
  const page = await env.browser.newPage();
  page.logs = [];
  page.errors = [];
  page.on("console", (m) => page.logs.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => page.errors.push(e.message));
  page.collected = await standInCollector(page);
  await setup?.(page);
  await page.goto(env.base + path);
  await page.evaluate(() => window.treue?.ready);
  return page;
}

const cardsOf = (page, selector) =>
  page.waitForFunction((s) => document.querySelector(s)?.shadowRoot?.querySelector(".card"), selector);
const cardTitles = (page, selector) =>
  page.evaluate((s) => [...document.querySelector(s).shadowRoot.querySelectorAll(".card .title")].map((t) => t.textContent), selector);
const treueErrors = (page) => page.logs.filter((l) => l.startsWith("error: [treue]"));

test("the product page shows the shop's product and the cross-sell widget with its planted partners", async () => {
  const p = camera();
  const page = await visit(`/product.html?sku=${p.sku}`);
  assert.equal(await page.locator("main h1").textContent(), p.title);
  const mount = `[data-treue="cross-sell"][data-sku="${p.sku}"]`;
  await cardsOf(page, mount);
  assert.equal(await page.getAttribute(mount, "data-treue-state"), "mounted");
  const titles = await cardTitles(page, mount);
  assert.ok(titles.length >= 2 && titles.length <= 4, `${titles.length} cards (rules limit 4)`);
  for (const partner of planted.get(p.sku)) {
    assert.ok(titles.includes(product(partner).title), `${product(partner).title} is suggested: ${titles.join(" | ")}`);
  }
  assert.deepEqual(page.errors, []);
  assert.deepEqual(treueErrors(page), []);
  await page.close();
});

test("a widget's add button fills the shop's cart, and the cart widget completes the order", async () => {
  const p = camera();
  const page = await visit(`/product.html?sku=${p.sku}`);
  const mount = `[data-treue="cross-sell"][data-sku="${p.sku}"]`;
  await cardsOf(page, mount);
  const [first] = await cardTitles(page, mount);
  await page.locator(`${mount} .card .add`).first().click();
  await page.waitForFunction(() => document.querySelector("[data-cart-count]")?.textContent === "1");
  assert.match(await page.locator("#toast").textContent(), /liegt im Warenkorb/);

  await page.goto(env.base + "/cart.html");
  await page.evaluate(() => window.treue?.ready);
  const lines = page.locator(".cart-line .cart-line-title");
  // The shop draws its cart from its own data, which may come after treue is ready.
  await lines.first().waitFor();
  assert.deepEqual(await lines.allTextContents(), [first], "the cart lists the added item");
  const cartMount = `[data-treue="cross-sell"][data-context="cart"]`;
  await cardsOf(page, cartMount);
  const suggestions = await cardTitles(page, cartMount);
  assert.ok(suggestions.length > 0);
  assert.ok(!suggestions.includes(first), `nothing already in the cart is suggested: ${suggestions.join(" | ")}`);

  // Adding from the cart widget: the cart grows and the widget moves on.
  const next = suggestions[0];
  await page.locator(`${cartMount} .card .add`).first().click();
  await page.waitForFunction(() => document.querySelectorAll(".cart-line").length === 2);
  assert.deepEqual(await lines.allTextContents(), [first, next]);
  await page.waitForFunction(
    ([s, t]) => ![...document.querySelector(s).shadowRoot.querySelectorAll(".card .title")].some((e) => e.textContent === t),
    [cartMount, next],
  );
  assert.equal(await page.locator("[data-cart-count]").textContent(), "2");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("checking out empties the cart and thanks the visitor", async () => {
  const p = camera();
  const page = await visit(`/product.html?sku=${p.sku}`);
  await page.getByRole("button", { name: "In den Warenkorb", exact: true }).click();
  await page.goto(env.base + "/cart.html");
  await page.getByRole("button", { name: "Zur Kasse", exact: true }).click();
  await page.waitForURL("**/thank-you.html");
  assert.equal(await page.locator("h1").textContent(), "Vielen Dank für Ihre Bestellung!");
  // The shop's script writes the order number after the page loads.
  await page.waitForFunction(() => /Bestellnummer: KK-\d+/.test(document.querySelector("#order-number")?.textContent ?? ""));
  await page.waitForFunction(() => document.querySelector("[data-cart-count]")?.textContent === "0");
  await page.close();
});

for (const [name, respond] of [
  ["garbage", (route) => route.fulfill({ status: 200, contentType: "application/octet-stream", body: "\u0000\u0001garbage, not a catalogue" })],
  ["a 404", (route) => route.fulfill({ status: 404, contentType: "text/plain", body: "not here" })],
]) {
  test(`a catalogue that is ${name} leaves the shop working and says so once`, async () => {
    const p = camera();
    const page = await visit(`/product.html?sku=${p.sku}`, (pg) => pg.route("**/data/catalogue.bin", respond));
    // The shop's own page is all there (once its own data has filled the
    // placeholder) and its cart works.
    await page.waitForFunction(() => document.querySelector("main h1")?.textContent !== "Artikel");
    assert.equal(await page.locator("main h1").textContent(), p.title);
    await page.getByRole("button", { name: "In den Warenkorb", exact: true }).click();
    await page.waitForFunction(() => document.querySelector("[data-cart-count]")?.textContent === "1");
    // The widget is failed and empty, with one error naming the file.
    const w = await widgets(page);
    assert.ok(w.length >= 2, "the product page's widgets");
    assert.deepEqual(w.map((x) => x.state), w.map(() => "failed"));
    assert.deepEqual(w.flatMap((x) => x.titles), []);
    const errors = treueErrors(page);
    assert.equal(errors.length, 1, page.logs.join("\n"));
    assert.ok(errors[0].includes("catalogue /data/catalogue.bin"), errors[0]);
    assert.deepEqual(page.errors, []);
    // And the cart page too.
    await page.goto(env.base + "/cart.html");
    await page.evaluate(() => window.treue?.ready);
    // The shop draws its cart from its own data, which may come after treue has given up.
    await page.waitForFunction(() => document.querySelectorAll(".cart-line").length > 0);
    assert.equal(await page.locator(".cart-line").count(), 1);
    assert.ok((await widgets(page)).every((x) => x.state === "failed"));
    await page.close();
  });
}

test("every page works under the strict Content-Security-Policy, with landmarks and one h1", async () => {
  const p = camera();
  for (const path of ["/", "/category.html?c=kaffeebohnen", `/product.html?sku=${p.sku}`, "/cart.html", "/thank-you.html"]) {
    const page = await visit(path + (path.includes("?") ? "&" : "?") + "csp=1");
    await page.waitForSelector("#site-header .logo");
    const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get("content-security-policy"));
    assert.match(csp ?? "", /script-src 'self'/, path);
    assert.equal(await page.locator("h1").count(), 1, `${path}: one h1`);
    for (const landmark of ["header", "main", "footer", "nav"]) {
      assert.ok((await page.locator(landmark).count()) >= 1, `${path}: ${landmark}`);
    }
    const tags = await page.locator('script[src="/treue/treue.js"]').count();
    assert.equal(tags, 1, `${path}: the merchant's one script tag`);
    assert.ok(!page.logs.some((l) => /Content Security Policy|Refused/.test(l)), `${path}:\n${page.logs.join("\n")}`);
    assert.deepEqual(page.errors, [], path);
    await page.close();
  }
});

test("the category page lists the category's products, one card per item group", async () => {
  const page = await visit("/category.html?c=laufschuhe");
  assert.equal(await page.locator("main h1").textContent(), "Laufschuhe");
  const groups = new Set(shop.products.filter((p) => p.category === "laufschuhe").map((p) => p.item_group));
  assert.equal(await page.locator(".product-card").count(), groups.size);
  await page.selectOption("#sort", "price-asc");
  const prices = await page.locator(".product-card .price-now").allTextContents();
  const cents = prices.map((t) => Number(t.replace(/[^\d,]/g, "").replace(",", ".")));
  assert.deepEqual(cents, [...cents].sort((a, b) => a - b), "sorted by price");
  await page.close();
});

test("the log-in and theme switchers persist, and the theme reaches the widgets", async () => {
  const p = camera();
  const page = await visit(`/product.html?sku=${p.sku}`);
  await page.selectOption("#login-as", "K000017");
  assert.match(await page.locator("#greeting").textContent(), /Anna Becker · 2\.450 Punkte/);
  const accent = () => page.evaluate(() =>
    getComputedStyle(document.querySelector('[data-treue="cross-sell"]').shadowRoot.querySelector(".add")).backgroundColor);
  await cardsOf(page, '[data-treue="cross-sell"]');
  const before = await accent();
  await page.selectOption("#theme", "nacht");
  assert.notEqual(await accent(), before, "the widget's accent follows the theme");
  await page.reload();
  await page.evaluate(() => window.treue?.ready);
  assert.equal(await page.locator("#login-as").inputValue(), "K000017");
  assert.equal(await page.locator("#theme").inputValue(), "nacht");
  assert.ok(await page.evaluate(() => document.documentElement.classList.contains("theme-nacht")));
  assert.deepEqual(page.errors, []);
  assert.ok(!page.logs.some((l) => l.includes("setCustomer ignored")), page.logs.join("\n"));
  await page.close();
});

test("the shop books a treue:redeem from its own balance and passes the new one back", async () => {
  const page = await visit("/");
  await page.selectOption("#login-as", "K000017");
  // What the loyalty widget dispatches on its redeem button.
  await page.evaluate(() =>
    document.body.dispatchEvent(new CustomEvent("treue:redeem", { bubbles: true, detail: { reward: "express", points: 300 } })));
  assert.match(await page.locator("#greeting").textContent(), /2\.150 Punkte/);
  await page.reload();
  await page.waitForFunction(() => document.getElementById("greeting")?.textContent.includes("Punkte"));
  assert.match(await page.locator("#greeting").textContent(), /2\.150 Punkte/, "the booked balance persists");
  // More than the balance is refused.
  await page.evaluate(() =>
    document.body.dispatchEvent(new CustomEvent("treue:redeem", { bubbles: true, detail: { reward: "x", points: 999999 } })));
  assert.match(await page.locator("#greeting").textContent(), /2\.150 Punkte/);
  assert.ok(!page.logs.some((l) => l.includes("setCustomer ignored")), page.logs.join("\n"));
  await page.close();
});

test("choosing an upgrade in the cart swaps the line for the higher step", async () => {
  // The support contract family: Basis, and Premium that adds round-the-clock support.
  const basis = shop.products.find((p) => p.title.endsWith("Support-Vertrag Basis"));
  const premium = shop.products.find((p) => p.title === basis.title.replace(/Basis$/, "Premium"));
  const page = await visit(`/product.html?sku=${basis.sku}`);
  await page.getByRole("button", { name: "In den Warenkorb", exact: true }).click();
  await page.goto(env.base + "/cart.html");
  const upgrade = '[data-treue="upgrade"][data-context="cart"]';
  await cardsOf(page, upgrade);
  assert.deepEqual(await cardTitles(page, upgrade), [premium.title]);
  await page.locator(`${upgrade} .card button`).first().click();
  await page.waitForFunction((t) => document.querySelector(".cart-line-title")?.textContent === t, premium.title);
  assert.deepEqual(await page.locator(".cart-line .cart-line-title").allTextContents(), [premium.title]);
  assert.deepEqual(page.errors, []);
  await page.close();
});
