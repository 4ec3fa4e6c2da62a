// Networks that fail: a catalogue request that errors once is retried; one
// that keeps failing falls back to the copy that loaded last time on this
// device; without such a copy the widgets stay empty with one message.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, pageUrl, widgets, until } from "./harness.mjs";

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
  // The copy is stored in the background.
  await until("the copy in Cache Storage", () => first.evaluate(async () =>
    Boolean(await (await caches.open("treue-catalogue")).match("/fixtures/catalogue.json"))));
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

test("a catalogue request that hangs is given up after 10 s and tried again; the page stays responsive", async () => {
  const context = await env.browser.newContext();
  let calls = 0;
  await context.route(catalogueUrl, async (route) => {
    calls += 1;
    if (calls === 1) {
      // Never answered in time: treue aborts it at 10 s.
      await new Promise((r) => setTimeout(r, 11_000));
      await route.abort().catch(() => {});
    } else {
      await route.continue();
    }
  });
  const started = Date.now();
  const page = await openIn(context, { catalogue: "/fixtures/catalogue.json", body });
  const waited = Date.now() - started;
  assert.equal(calls, 2);
  assert.ok(waited >= 10_000, `gave up after ${waited} ms`);
  const w = await widgets(page);
  assert.equal(w[0].state, "mounted");
  assert.equal(w[0].titles[0], "SDXC-Karte 64 GB <b>V30</b>");
  // The host page's 20 ms timer ran all along (about 500 ticks in 10 s).
  assert.ok((await page.evaluate(() => window.hostTicks)) > 200);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("an unchanged catalogue is not stored again, and a changed one replaces the copy", async () => {
  const context = await env.browser.newContext();
  // Count treue's reads and writes of Cache Storage.
  await context.addInitScript(() => {
    window.cacheCalls = { match: 0, put: 0 };
    window.lookedUp = false;
    for (const name of ["match", "put"]) {
      const original = Cache.prototype[name];
      Cache.prototype[name] = function (...args) {
        window.cacheCalls[name] += 1;
        const done = original.apply(this, args);
        // A write follows the lookup in the same run of microtasks; the next task sees it.
        if (name === "match") done.then(() => setTimeout(() => { window.lookedUp = true; }));
        return done;
      };
    }
  });
  // After the copy's fingerprint was looked up and a write could follow it.
  const visit = async () => {
    const page = await openIn(context, { catalogue: "/fixtures/catalogue.json", body });
    await page.waitForFunction(() => window.lookedUp);
    const calls = await page.evaluate(() => window.cacheCalls);
    const title = (await widgets(page))[0].titles[0];
    await page.close();
    return { calls, title };
  };
  assert.deepEqual(await visit(), { calls: { match: 1, put: 1 }, title: "SDXC-Karte 64 GB <b>V30</b>" });
  assert.deepEqual(await visit(), { calls: { match: 1, put: 0 }, title: "SDXC-Karte 64 GB <b>V30</b>" });

  await context.route(catalogueUrl, async (route) => {
    const response = await route.fetch();
    const text = (await response.text()).replace("SDXC-Karte 64 GB", "SDXC-Karte 128 GB");
    await route.fulfill({ response, body: text });
  });
  assert.deepEqual(await visit(), { calls: { match: 1, put: 1 }, title: "SDXC-Karte 128 GB <b>V30</b>" });
  // Offline, the copy that loaded last is the changed one.
  await context.unroute(catalogueUrl);
  await context.route(catalogueUrl, (route) => route.abort("internetdisconnected"));
  const offline = await openIn(context, { catalogue: "/fixtures/catalogue.json", body });
  assert.equal((await widgets(offline))[0].titles[0], "SDXC-Karte 128 GB <b>V30</b>");
  await context.close();
});
