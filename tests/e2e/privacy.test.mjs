// Privacy: `treue.forget()` removes everything treue stored on this device.
// A visitor's page stores the visitor id (holdout group), the survey's state,
// a queued survey answer (no collector, so it stays queued) and the catalogue
// copy in Cache Storage; after `await treue.forget()` none of it is left, the
// shop's own keys are, and a reload does not bring the answer back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, pageUrl, until } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const rules = { version: 1, measure: { holdout: 0.1 }, nps: { trigger: { pages: ["thank_you"] } } };
const body = `<div data-treue="cross-sell" data-sku="CAM-1"></div><div data-treue="nps" data-context="thank_you"></div>`;
const settings = { catalogue: "/fixtures/catalogue.json", rules: "/fixtures/privacy-rules.json", body };

async function open(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  await page.goto(env.base + pageUrl(settings));
  await page.evaluate(() => window.treue?.ready);
  return page;
}

/** What this origin holds: treue's localStorage keys, every localStorage key, Cache Storage names. */
const stored = (page) => page.evaluate(async () => ({
  treue: Object.keys(localStorage).filter((k) => k.startsWith("treue.")).sort(),
  all: Object.keys(localStorage).sort(),
  caches: await caches.keys(),
}));

test("treue.forget() removes the visitor id, the survey's state and queue, and the catalogue copy", async () => {
  const context = await env.browser.newContext();
  await context.route("**/fixtures/privacy-rules.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(rules) }));
  const page = await open(context);
  await page.evaluate(() => localStorage.setItem("shop.cart", "[1]"));
  const survey = page.locator('[data-treue="nps"]');
  await survey.locator(".score input").nth(9).check();
  await survey.locator(".nps-form button[type=submit]").click();
  await until("the queued answer and the catalogue copy", async () => {
    const now = await stored(page);
    return now.treue.includes("treue.nps.queue.guest") && now.caches.includes("treue-catalogue");
  });
  const before = await stored(page);
  assert.deepEqual(before.treue, ["treue.nps.queue.guest", "treue.nps.state.guest", "treue.visitor"]);

  const result = await page.evaluate(() => window.treue.forget());
  assert.equal(result, undefined);
  const afterForget = await stored(page);
  assert.deepEqual(afterForget.treue, []);
  assert.deepEqual(afterForget.all, ["shop.cart"], "the shop's own keys stay");
  assert.deepEqual(afterForget.caches, []);

  assert.deepEqual(page.errors, []);

  // Nor does the answer come back on the next page (which shows the survey
  // afresh, so its display is queued as an event).
  await page.close();
  const next = await open(context);
  // The next page has shown the survey: its display is queued, and its state read.
  await until("the next page's display", () => next.evaluate(() =>
    JSON.parse(localStorage.getItem("treue.nps.queue.guest") ?? "[]").some((q) => q.to === "events")));
  const answers = await next.evaluate(() =>
    JSON.parse(localStorage.getItem("treue.nps.queue.guest") ?? "[]").filter((q) => q.to === "answers"));
  assert.deepEqual(answers, []);
  await context.close();
});

test("after treue.forget() the page stores nothing again: an answer given then is not kept", async () => {
  const context = await env.browser.newContext();
  await context.route("**/fixtures/privacy-rules.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(rules) }));
  const page = await open(context);
  await until("the survey's state", async () => (await stored(page)).treue.includes("treue.nps.state.guest"));
  await page.evaluate(() => window.treue.forget());
  assert.deepEqual((await stored(page)).treue, []);

  const survey = page.locator('[data-treue="nps"]');
  await survey.locator(".score input").nth(9).check();
  await survey.locator(".nps-form button[type=submit]").click();
  // The answer's writes come before its thanks are drawn.
  await survey.locator("h2", { hasText: "Vielen Dank" }).waitFor();
  assert.deepEqual((await stored(page)).treue, [], "the widgets still work, from memory");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("treue.forget() resolves, never rejects, when storage is blocked and there is no Cache Storage", async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(window, "localStorage", { get() { throw new DOMException("blocked", "SecurityError"); } });
    Object.defineProperty(window, "caches", { value: undefined });
  });
  const page = await open(context);
  assert.equal(await page.evaluate(() => window.treue.forget().then(() => "resolved", () => "rejected")), "resolved");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("treue.forget() called before the wasm runs waits for it and then removes the keys", async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    localStorage.setItem("treue.visitor", "v-0000000000000000");
    // The call the shop makes first thing, before treue has even loaded its wasm.
    document.addEventListener("DOMContentLoaded", () => { window.forgotten = window.treue.forget().then(() => Object.keys(localStorage)); });
  });
  const page = await open(context);
  assert.deepEqual(await page.evaluate(() => window.forgotten), []);
  assert.deepEqual(page.errors, []);
  await context.close();
});
