// How treue starts: at once for a widget in the first viewport, otherwise
// only once the page has loaded (or the visitor scrolls) and at low priority;
// the catalogue and rules are requested while the wasm is still on its way,
// the widgets mount one per task, and a server that sends the wasm with the
// wrong type still gets working widgets.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, pageUrl, widgets, until, holdLoad, slowPicture, fixtureUrls, twoCrossSells as two } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const { catalogue, rules } = fixtureUrls;

const belowTheFold = `<div style="height: 3000px"></div>`;

// treue's requests with the priority the browser gave each, and whether the
// page had finished loading when it was made (read in the page at that moment).
async function watchRequests(page) {
  const seen = [];
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  cdp.on("Network.requestWillBeSent", ({ request }) => {
    const name = ["treue_bg.wasm", catalogue, rules].find((end) => request.url.endsWith(end));
    if (name) seen.push({ name: name.replace(/^.*\//, ""), priority: request.initialPriority });
  });
  return seen;
}

// Two frames and a task after the tag ran: where the old loader had long
// made its requests, and the first viewport has been laid out and observed.
async function afterFirstFrames(page) {
  await until("the treue API", () => page.evaluate(() => Boolean(window.treue?.version)));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 0)))));
}

test("widgets below the fold (and a survey above it), or data-load=\"lazy\", wait for the page's load, then load at low priority", async () => {
  for (const [what, settings] of [
    ["below the fold", { rules, body: `<div data-treue="nps" data-context="thank_you"></div>${slowPicture}${belowTheFold}${two}` }],
    ["data-load=lazy in the first viewport", { rules, load: "lazy", body: `<div data-treue="nps" data-context="thank_you"></div>${two}${slowPicture}` }],
  ]) {
    const context = await env.browser.newContext({ viewport: { width: 412, height: 823 } });
    const release = await holdLoad(context);
    const page = await context.newPage();
    const seen = await watchRequests(page);
    await page.goto(env.base + pageUrl({ catalogue, ...settings }), { waitUntil: "commit" });
    await afterFirstFrames(page);
    assert.deepEqual(seen, [], `${what}: nothing requested while the page loads`);
    assert.notEqual(await page.evaluate(() => document.readyState), "complete");

    release();
    await until("the page's load", () => page.evaluate(() => document.readyState === "complete"));
    assert.deepEqual(await page.evaluate(() => window.treue.ready), { ok: true });
    assert.deepEqual(seen.map((r) => r.name).sort(), ["catalogue.json", "rules.json", "treue_bg.wasm"], what);
    assert.deepEqual([...new Set(seen.map((r) => r.priority))], ["Low"], what);
    const { loadEnd, starts } = await page.evaluate(() => ({
      loadEnd: performance.getEntriesByType("navigation")[0].loadEventEnd,
      starts: performance.getEntriesByType("resource").filter((e) => /treue_bg\.wasm|fixtures\/(catalogue|rules)\.json/.test(e.name)).map((e) => e.startTime),
    }));
    assert.equal(starts.length, 3, what);
    for (const start of starts) assert.ok(start > loadEnd, `${what}: requested at ${start} ms, load ended at ${loadEnd} ms`);
    assert.deepEqual((await widgets(page)).slice(1).map((w) => w.state), ["mounted", "mounted"], what);
    await context.close();
  }
});

test("the visitor's first scroll starts treue while the page is still loading", async () => {
  const context = await env.browser.newContext({ viewport: { width: 412, height: 823 } });
  const release = await holdLoad(context);
  const page = await context.newPage();
  const seen = await watchRequests(page);
  await page.goto(env.base + pageUrl({ catalogue, body: slowPicture + belowTheFold + two }), { waitUntil: "commit" });
  await afterFirstFrames(page);
  assert.deepEqual(seen, []);
  await page.evaluate(() => window.scrollTo(0, 2800));
  await until("the widgets below the fold mounted", async () =>
    (await widgets(page)).every((w) => w.state === "mounted"));
  assert.notEqual(await page.evaluate(() => document.readyState), "complete", "started before the page's load");
  assert.deepEqual([...new Set(seen.map((r) => r.priority))], ["Low"]);
  release();
  await context.close();
});

test("a widget in the first viewport, or data-load=\"eager\", starts at once at the usual priority", async () => {
  for (const [what, settings] of [
    ["a widget in the first viewport", { body: two + slowPicture }],
    ["data-load=eager below the fold", { load: "eager", body: slowPicture + belowTheFold + two }],
  ]) {
    const context = await env.browser.newContext({ viewport: { width: 412, height: 823 } });
    const release = await holdLoad(context);
    const page = await context.newPage();
    const seen = await watchRequests(page);
    await page.goto(env.base + pageUrl({ catalogue, ...settings }), { waitUntil: "commit" });
    await until(`${what}: the widgets mounted`, async () => {
      const all = await widgets(page);
      return all.length === 2 && all.every((w) => w.state === "mounted");
    });
    assert.notEqual(await page.evaluate(() => document.readyState), "complete", `${what}: before the page's load`);
    assert.deepEqual(seen.map((r) => r.name).sort(), ["catalogue.json", "treue_bg.wasm"], what);
    assert.ok(seen.every((r) => r.priority !== "Low"), `${what}: ${JSON.stringify(seen)}`);
    release();
    await context.close();
  }
});

test("the catalogue and rules are requested before the wasm has even arrived", async () => {
  const context = await env.browser.newContext();
  const order = [];
  const page = await context.newPage();
  page.on("request", (r) => {
    if (r.url().endsWith(catalogue)) order.push("catalogue requested");
    if (r.url().endsWith(rules)) order.push("rules requested");
  });
  // The wasm is answered only once both data requests were seen (or after 5 s,
  // so a loader that waits for the wasm first fails here instead of hanging).
  await context.route("**/treue/treue_bg.wasm", async (route) => {
    const end = Date.now() + 5000;
    while (order.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    order.push("wasm answered");
    await route.continue();
  });
  await page.goto(env.base + pageUrl({ catalogue, rules, body: two }));
  assert.deepEqual(await page.evaluate(() => window.treue.ready), { ok: true });
  assert.deepEqual(order.slice().sort(), ["catalogue requested", "rules requested", "wasm answered"]);
  assert.equal(order[2], "wasm answered", order.join(", "));
  assert.deepEqual((await widgets(page)).map((w) => w.state), ["mounted", "mounted"]);
  await context.close();
});

test("the widgets mount one per task, so the page gets its turn between them", async () => {
  const context = await env.browser.newContext();
  // The shop's own observer: its callback runs once at the end of each task
  // that changed the page, with every change of that task.
  await context.addInitScript(() => {
    window.mountBatches = [];
    new MutationObserver((records) => {
      const mounted = records.filter((r) => r.target.getAttribute?.("data-treue-state") === "mounted").length;
      if (mounted) window.mountBatches.push(mounted);
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-treue-state"] });
  });
  const page = await context.newPage();
  await page.goto(env.base + pageUrl({ catalogue, body: two + `<div data-treue="cross-sell" data-context="cart"></div>` }));
  assert.deepEqual(await page.evaluate(() => window.treue.ready), { ok: true });
  assert.deepEqual(await page.evaluate(() => window.mountBatches), [1, 1, 1]);
  assert.deepEqual((await widgets(page)).map((w) => w.state), ["mounted", "mounted", "mounted"]);
  await context.close();
});

test("a wasm served without application/wasm still loads, with a warning naming the fix", async () => {
  const context = await env.browser.newContext();
  await context.route("**/treue/treue_bg.wasm", async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-type": "application/octet-stream" } });
  });
  const page = await context.newPage();
  const logs = [];
  page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
  await page.goto(env.base + pageUrl({ catalogue, body: two }));
  assert.deepEqual(await page.evaluate(() => window.treue.ready), { ok: true });
  assert.deepEqual((await widgets(page)).map((w) => w.state), ["mounted", "mounted"]);
  const warnings = logs.filter((l) => l.startsWith("warning: [treue]"));
  assert.equal(warnings.length, 1, logs.join("\n"));
  assert.match(warnings[0], /treue_bg\.wasm is served as application\/octet-stream; serve it as application\/wasm/);
  await context.close();
});

test("a missing wasm leaves the widgets empty with one error and the page working", async () => {
  const context = await env.browser.newContext();
  await context.route("**/treue/treue_bg.wasm", (route) => route.fulfill({ status: 404, body: "not here" }));
  const page = await context.newPage();
  const logs = [];
  const errors = [];
  page.on("console", (m) => logs.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(env.base + pageUrl({ catalogue, body: two }));
  assert.deepEqual(await page.evaluate(() => window.treue.ready), { ok: false });
  const ours = logs.filter((l) => l.startsWith("error: [treue]"));
  assert.equal(ours.length, 1, logs.join("\n"));
  assert.match(ours[0], /could not start/);
  assert.equal(await page.locator("#host-status").textContent(), "host script ran");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the demo server answers a return visit's revalidation with 304 while a file is unchanged", async () => {
  const first = await fetch(`${env.base}/treue/treue_bg.wasm`);
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("content-type"), "application/wasm");
  assert.equal(first.headers.get("cache-control"), "no-cache");
  const etag = first.headers.get("etag");
  assert.ok(etag, "an ETag to revalidate with");
  await first.arrayBuffer();
  const again = await fetch(`${env.base}/treue/treue_bg.wasm`, { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
  const other = await fetch(`${env.base}/treue/treue_bg.wasm`, { headers: { "if-none-match": '"something-else"' } });
  assert.equal(other.status, 200);
});
