// What the first render knows (the cart stated in the page, calls queued
// before the tag loaded) and when a list counts as seen: view_item_list goes
// to the dataLayer and the collector once the widget has been at least half
// visible for a second, once per list.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, pageUrl, widgets, until } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const catalogue = "/fixtures/catalogue.json";
const rules = "/impressions/rules.json";
const dataLayer = "<script>window.dataLayer = [];</script>";
// The snippet README documents, before the tag.
const queue = `<script>
  window.treue = window.treue || { q: [] };
  ["setCart", "setCustomer", "refresh", "forget"].forEach(function (name) {
    treue[name] = treue[name] || function () { treue.q.push([name, [].slice.call(arguments)]); };
  });
</script>`;
const widget = (sku, style = "") => `<div data-treue="cross-sell" data-sku="${sku}" style="${style}"></div>`;
const below = "position:absolute; top:4000px; left:0; width:600px";

/** Opens a test page whose rules name a stand-in collector; `sent` collects the events it receives. */
async function open(settings) {
  const page = await env.browser.newPage();
  page.errors = [];
  page.logs = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  page.on("console", (m) => page.logs.push(m.text()));
  page.sent = [];
  await page.route("**/impressions/rules.json", (route) => route.fulfill({
    contentType: "application/json",
    body: JSON.stringify({ version: 1, cross_sell: { limit: 3 }, measure: { collector: "/collector" } }),
  }));
  await page.route("**/collector/**", (route) => {
    if (route.request().url().endsWith("/v1/events")) page.sent.push(JSON.parse(route.request().postData()));
    return route.fulfill({ status: 204 });
  });
  await page.goto(env.base + pageUrl({ catalogue, rules, ...settings }));
  return page;
}

/** The item ids of every view_item_list in the dataLayer, in order. */
const viewed = (page) => page.evaluate(() => window.dataLayer
  .filter((p) => p.event === "view_item_list")
  .map((p) => p.ecommerce.items.map((i) => i.item_id).join(",")));
const collected = (page) => page.sent.filter((e) => e.name === "view_item_list").map((e) => e.items.map((i) => i.item_id).join(","));

test("a cart stated in the page is left out of the first render and its one view_item_list", async () => {
  const page = await open({
    head: dataLayer,
    body: `<script type="application/json" id="treue-cart">[{"sku":"SD-64","quantity":1}]</script>
           ${widget("CAM-1")}${widget("COF-1", below)}`,
  });
  await until("the first impression", async () => (await viewed(page)).length > 0);
  const [first] = await viewed(page);
  assert.ok(!first.split(",").includes("SD-64"), `the cart's item was counted as shown: ${first}`);
  assert.ok(!(await widgets(page))[0].titles.some((t) => t.startsWith("SDXC")), "the cart's item was drawn");
  await until("the collector's copy", () => collected(page).length > 0);
  assert.deepEqual(collected(page), [first]);

  // Away and back: the same list is not counted again. A widget the shop adds
  // beside it once it is back in view is the sign that a second count would
  // have arrived by now (its second in view started later).
  await page.evaluate(() => document.querySelectorAll("[data-treue]")[1].scrollIntoView());
  await until("the lower widget's impression", async () => (await viewed(page)).length === 2);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate((html) => document.getElementById("main").insertAdjacentHTML("beforeend", html), widget("COF-1"));
  await until("the added widget's impression", async () => (await viewed(page)).length === 3);
  await until("every list at the collector", () => collected(page).length === 3);
  const lists = await viewed(page);
  assert.equal(lists.length, 3, `${lists}`);
  assert.equal(lists.filter((l) => l === first).length, 1, "the list in view from the start was counted once");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a widget below the fold sends nothing until it is scrolled into view, then once", async () => {
  // The lower widget comes first in the page, so it mounts first: had it
  // counted without being seen, it would have been sent before the upper one.
  const page = await open({ head: dataLayer, body: `${widget("COF-1", below)}${widget("CAM-1")}` });
  await until("both widgets drawn", async () => (await widgets(page)).every((w) => w.titles.length > 0));
  await until("the visible widget's impression", async () => (await viewed(page)).length > 0);
  const lists = await viewed(page);
  assert.equal(lists.length, 1, `${lists}`);
  assert.ok(lists[0].includes("SD-64"), `the visible widget is the camera's: ${lists[0]}`);
  assert.ok(!collected(page).some((l) => l.includes("DESC-1")), "the lower widget reached the collector unseen");

  await page.evaluate(() => document.querySelector("[data-treue]").scrollIntoView());
  await until("the lower widget's impression", async () => (await viewed(page)).length === 2);
  assert.ok((await viewed(page))[1].includes("DESC-1"), `${await viewed(page)}`);
  await until("both lists at the collector", () => collected(page).length === 2);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("calls queued before the tag loads are applied before the first render", async () => {
  const page = await open({
    head: `${dataLayer}${queue}<script>treue.setCart([{ sku: "SD-64", quantity: 1 }]);</script>`,
    body: widget("CAM-1"),
  });
  await until("the widget drawn", async () => (await widgets(page))[0].titles.length > 0);
  assert.ok(!(await widgets(page))[0].titles.some((t) => t.startsWith("SDXC")), "the queued cart was not applied");
  await until("the impression", async () => (await viewed(page)).length > 0);
  const lists = await viewed(page);
  assert.equal(lists.length, 1, `${lists}`);
  assert.ok(!lists[0].split(",").includes("SD-64"), lists[0]);
  assert.ok(await page.evaluate(() => typeof window.treue.version === "string"), "the stub was replaced by the API");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a #treue-cart that cannot be read is named on the console and ignored", async () => {
  const page = await open({
    body: `<script type="application/json" id="treue-cart">[{"sku":"SD-64"},{"quantity":1}]</script>${widget("CAM-1")}`,
  });
  await until("the widget drawn", async () => (await widgets(page))[0].titles.length > 0);
  await until("the console message", () => page.logs.some((l) => l.includes("#treue-cart ignored") && l.includes("[1]") && l.includes("sku")));
  assert.ok((await widgets(page))[0].titles.some((t) => t.startsWith("SDXC")), "a cart that was not read left an item out");
  await page.close();
});
