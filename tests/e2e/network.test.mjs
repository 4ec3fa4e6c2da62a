// Networks that fail: a catalogue request that errors once is retried; one
// that keeps failing falls back to the copy that loaded last time on this
// device; without such a copy the widgets stay empty with one message.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, pageUrl, widgets } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const body = `<div data-treue="cross-sell" data-sku="CAM-1"></div>`;
const catalogueUrl = "**/fixtures/catalogue.json";

// A page in its own browser context, so its Cache Storage starts empty.
async function openIn(context, settings) {
  const page = await context.newPage();
  page.logs = [];
  page.errors = [];
  page.on("console", (m) => page.logs.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => page.errors.push(e.message));
  await page.goto(env.base + pageUrl(settings));
  await page.evaluate(() => window.treue?.ready);
  return page;
}

test("a catalogue request that fails with 503 once is retried and the widget renders", async () => {
  const context = await env.browser.newContext();
  let calls = 0;
  await context.route(catalogueUrl, (route) => (++calls === 1 ? route.fulfill({ status: 503, body: "busy" }) : route.continue()));
  const page = await openIn(context, { catalogue: "/fixtures/catalogue.json", body });
  assert.equal(calls, 2);
  assert.equal((await widgets(page))[0].state, "mounted");
  // Chromium itself logs the 503; treue says nothing, since the retry worked.
  assert.ok(!page.logs.some((l) => l.includes("[treue]")), page.logs.join("\n"));
  await context.close();
});

test("when the network fails, the last good catalogue on this device still gives suggestions", async () => {
  const context = await env.browser.newContext();
  const first = await openIn(context, { catalogue: "/fixtures/catalogue.json", body });
  assert.equal((await widgets(first))[0].titles[0], "SDXC-Karte 64 GB <b>V30</b>");
  await first.waitForTimeout(300); // the copy is stored in the background
  await first.close();

  let calls = 0;
  await context.route(catalogueUrl, (route) => { calls += 1; return route.abort("internetdisconnected"); });
  const again = await openIn(context, { catalogue: "/fixtures/catalogue.json", body });
  assert.equal(calls, 3, "tried three times before falling back");
  const w = await widgets(again);
  assert.equal(w[0].state, "mounted");
  assert.equal(w[0].titles[0], "SDXC-Karte 64 GB <b>V30</b>");
  assert.ok(again.logs.some((l) => l.startsWith("warning: [treue] catalogue /fixtures/catalogue.json") && l.includes("copy that loaded last time")),
    again.logs.join("\n"));
  assert.deepEqual(again.errors, []);
  await context.close();
});

test("without a copy, a dead network leaves the widgets empty with one error and the page working", async () => {
  const context = await env.browser.newContext();
  await context.route(catalogueUrl, (route) => route.abort("connectionrefused"));
  const page = await openIn(context, { catalogue: "/fixtures/catalogue.json", body });
  const errors = page.logs.filter((l) => l.startsWith("error: [treue]"));
  assert.equal(errors.length, 1, page.logs.join("\n"));
  assert.match(errors[0], /catalogue \/fixtures\/catalogue.json: could not be fetched/);
  assert.equal((await widgets(page))[0].state, "failed");
  assert.equal(await page.locator("#host-status").textContent(), "host script ran");
  assert.deepEqual(page.errors, []);
  await context.close();
});
