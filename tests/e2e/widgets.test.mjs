// Mounting, several widgets, late mount points, the script tag twice, and what
// the shop receives: in headless Chromium on test pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, pageUrl, widgets } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const catalogue = "/fixtures/catalogue.json";

test("every mount point on the page renders, of several kinds and contexts", async () => {
  const page = await env.open(pageUrl({
    catalogue,
    body: `<div data-treue="cross-sell" data-sku="CAM-1"></div><div data-treue="cross-sell" data-sku="COF-1"></div>
           <div data-treue="cross-sell" data-context="cart"></div>`,
  }));
  await page.evaluate(() => window.treue.setCart([{ sku: "COF-1", quantity: 1 }]));
  await page.waitForFunction(() => document.querySelectorAll("[data-treue]")[2].shadowRoot?.querySelector(".card"));
  const w = await widgets(page);
  assert.deepEqual(w.map((x) => x.state), ["mounted", "mounted", "mounted"]);
  assert.equal(w[0].titles[0], "SDXC-Karte 64 GB <b>V30</b>");
  assert.equal(w[1].titles[0], "Entkalker 3er-Pack");
  assert.equal(w[2].titles[0], "Entkalker 3er-Pack", "the cart widget follows setCart");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("mount points the shop inserts later are found without a call", async () => {
  const page = await env.open(pageUrl({ catalogue, body: "" }));
  await page.evaluate(() => {
    const el = document.createElement("div");
    el.dataset.treue = "cross-sell";
    el.dataset.sku = "COF-1";
    document.getElementById("main").append(el);
  });
  await page.waitForFunction(() => document.querySelector("[data-treue]")?.shadowRoot?.querySelector(".card"));
  assert.equal((await widgets(page))[0].state, "mounted");
  // A changed data-sku (a single-page shop moving to another product) re-renders.
  await page.evaluate(() => { document.querySelector("[data-treue]").dataset.sku = "CAM-1"; });
  await page.waitForFunction(() =>
    document.querySelector("[data-treue]").shadowRoot.querySelector(".card .title")?.textContent.startsWith("SDXC"));
  await page.close();
});

test("the script tag included twice mounts everything once", async () => {
  const page = await env.open(pageUrl({ catalogue, twice: "1", body: `<div data-treue="cross-sell" data-sku="CAM-1"></div>` }));
  await page.evaluate(() => window.treue.ready);
  const roots = await page.evaluate(() => document.querySelector("[data-treue]").shadowRoot.querySelectorAll(".treue").length);
  assert.equal(roots, 1);
  const inits = await page.evaluate(() => performance.getEntriesByType("resource").filter((r) => r.name.endsWith("treue_bg.wasm")).length);
  assert.equal(inits, 1, "the wasm module was fetched once");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the add button reaches the shop as a bubbling treue:add-to-cart event", async () => {
  const page = await env.open(pageUrl({ catalogue, body: `<div data-treue="cross-sell" data-sku="COF-1"></div>` }));
  await page.evaluate(() => {
    window.received = [];
    document.addEventListener("treue:add-to-cart", (e) => window.received.push(e.detail));
  });
  await page.locator("[data-treue] .card .add").first().click();
  assert.deepEqual(await page.evaluate(() => window.received), [{ sku: "DESC-1", quantity: 1, list: "cross_sell" }]);
  await page.close();
});

test("an unknown widget kind is named on the console and the others still render", async () => {
  const page = await env.open(pageUrl({
    catalogue,
    body: `<div data-treue="cross-sel"></div><div data-treue="cross-sell" data-sku="CAM-1"></div>`,
  }));
  const w = await widgets(page);
  assert.deepEqual(w.map((x) => x.state), ["unknown", "mounted"]);
  assert.ok(page.logs.some((l) => l.startsWith("warning: [treue] unknown widget data-treue=\"cross-sel\"")), page.logs.join("\n"));
  await page.close();
});

test("bad arguments from the shop's code are reported, never thrown", async () => {
  const page = await env.open(pageUrl({ catalogue, body: `<div data-treue="cross-sell" data-context="cart"></div>` }));
  const threw = await page.evaluate(() => {
    try { window.treue.setCart([{ quantity: 2 }]); window.treue.setCart("nonsense"); window.treue.setCustomer(42); return false; }
    catch { return true; }
  });
  assert.equal(threw, false);
  assert.ok(page.logs.some((l) => l.includes("setCart ignored: at [0]") && l.includes("missing field `sku`")), page.logs.join("\n"));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("under a strict Content-Security-Policy the widgets work and nothing is refused", async () => {
  const page = await env.open(pageUrl({ catalogue, csp: "1", body: `<div data-treue="cross-sell" data-sku="CAM-1"></div>` }));
  const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get("content-security-policy"));
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  const w = await widgets(page);
  assert.equal(w[0].state, "mounted");
  assert.equal(w[0].titles[0], "SDXC-Karte 64 GB <b>V30</b>");
  // The widget CSS applies (adopted stylesheet, not an inline <style>).
  const radius = await page.evaluate(() =>
    getComputedStyle(document.querySelector("[data-treue]").shadowRoot.querySelector(".card")).borderTopLeftRadius);
  assert.equal(radius, "10px");
  assert.ok(!page.logs.some((l) => /Content Security Policy|Refused/.test(l)), page.logs.join("\n"));
  await page.close();
});
