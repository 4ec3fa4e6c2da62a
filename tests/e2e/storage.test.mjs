// Storage that fails: localStorage that throws on access (cookies blocked), or
// on every write (quota full), and no Cache Storage at all (plain http, some
// private modes). The widgets still render, the survey still takes an answer,
// nothing throws into the page and the host page's own script keeps running.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, pageUrl, widgets, until } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

// A holdout makes treue want a stored visitor id (the storage under test); so
// small a share that the random per-page id lands in the control group (no
// cards) about once in 10,000 runs, not once in ten.
const rules = { version: 1, measure: { holdout: 0.0001 }, nps: { trigger: { pages: ["thank_you"] } } };
const body = `<div data-treue="cross-sell" data-sku="CAM-1"></div><div data-treue="nps" data-context="thank_you"></div>`;

const noCaches = () => Object.defineProperty(window, "caches", { value: undefined, configurable: true });
const blocked = () => {
  Object.defineProperty(window, "localStorage", { get() { throw new DOMException("The operation is insecure.", "SecurityError"); } });
};
const full = () => {
  Storage.prototype.setItem = function () { throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); };
};

async function check(init) {
  const context = await env.browser.newContext();
  await context.route("**/fixtures/storage-rules.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(rules) }));
  await context.addInitScript(noCaches);
  await context.addInitScript(init);
  const page = await context.newPage();
  page.logs = [];
  page.errors = [];
  page.on("console", (m) => page.logs.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => page.errors.push(e.message));
  await page.goto(env.base + pageUrl({ catalogue: "/fixtures/catalogue.json", rules: "/fixtures/storage-rules.json", body }));
  assert.deepEqual(await page.evaluate(() => window.treue.ready), { ok: true });

  const [crossSell, nps] = await widgets(page);
  assert.equal(crossSell.state, "mounted");
  assert.equal(crossSell.titles[0], "SDXC-Karte 64 GB <b>V30</b>");
  assert.equal(nps.state, "mounted");
  const survey = page.locator('[data-treue="nps"]');
  await survey.locator(".score input").nth(9).check();
  await survey.locator(".nps-form button[type=submit]").click();
  await survey.locator("h2", { hasText: "Vielen Dank" }).waitFor();
  await page.evaluate(() => window.treue.setCart([{ sku: "COF-1" }]));
  assert.equal(await page.evaluate(() => window.treue.forget().then(() => "resolved", () => "rejected")), "resolved");

  const ticks = await page.evaluate(() => window.hostTicks);
  await until("the host page's timer to tick", async () => (await page.evaluate(() => window.hostTicks)) > ticks);
  assert.equal(await page.locator("#host-status").textContent(), "host script ran");
  assert.deepEqual(page.errors, []);
  assert.ok(!page.logs.some((l) => l.startsWith("error: [treue]")), page.logs.join("\n"));
  // One warning that answers are not kept across pages, not one per write.
  assert.equal(page.logs.filter((l) => l.includes("localStorage is unavailable")).length, 1, page.logs.join("\n"));
  await context.close();
}

test("localStorage that throws on access and no Cache Storage: widgets render, nothing throws", () => check(blocked));

test("localStorage that is full (every setItem throws) and no Cache Storage: widgets render, nothing throws", () => check(full));
