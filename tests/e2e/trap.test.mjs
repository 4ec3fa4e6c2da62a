// A trap in the wasm (a panic is one: the release bundle aborts) must stop
// treue, not the shop: every widget hides, one console error, nothing reported
// as the page's uncaught error, the host page's script runs on, later API calls
// are ignored and `treue.forget()` still cleans up without the wasm.
// The trap is simulated where the wasm calls out: the random source of the
// visitor id a holdout needs (crypto, then Math.random) throws a RuntimeError
// when called from treue_bg.wasm.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, pageUrl, widgets, until } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

test("a trap hides every widget once and leaves the shop's page alone", async () => {
  const context = await env.browser.newContext();
  const rules = { version: 1, measure: { holdout: 0.1 } };
  await context.route("**/fixtures/trap-rules.json", (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify(rules) }));
  await context.addInitScript(() => {
    localStorage.setItem("treue.nps.state.guest", "{}");
    const trapInWasm = (original) => function (...args) {
      if (String(new Error().stack).includes("treue_bg.wasm")) throw new WebAssembly.RuntimeError("unreachable");
      return original.apply(this, args);
    };
    Crypto.prototype.getRandomValues = trapInWasm(Crypto.prototype.getRandomValues);
    Math.random = trapInWasm(Math.random);
  });
  const page = await context.newPage();
  const logs = [];
  const errors = [];
  page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => errors.push(e.message));
  const body = `<div data-treue="cross-sell" data-sku="CAM-1"></div><div data-treue="cross-sell" data-sku="COF-1"></div>`;
  await page.goto(env.base + pageUrl({ catalogue: "/fixtures/catalogue.json", rules: "/fixtures/trap-rules.json", body }));

  assert.deepEqual(await page.evaluate(() => window.treue.ready), { ok: false });
  assert.deepEqual((await widgets(page)).map((w) => w.state), ["failed", "failed"]);
  assert.deepEqual(await page.evaluate(() => window.treue.setCart([{ sku: "COF-1" }])), undefined);
  assert.equal(await page.evaluate(() => window.treue.forget().then(() => localStorage.getItem("treue.nps.state.guest"))), null);

  const ticks = await page.evaluate(() => window.hostTicks);
  await until("the host page's timer to tick", async () => (await page.evaluate(() => window.hostTicks)) > ticks);
  assert.deepEqual(errors, [], "nothing reported as the page's uncaught error");
  const ours = logs.filter((l) => l.includes("[treue]") && l.startsWith("error"));
  assert.equal(ours.length, 1, logs.join("\n"));
  assert.match(ours[0], /stopped after an internal error; the widgets are hidden/);
  await context.close();
});
