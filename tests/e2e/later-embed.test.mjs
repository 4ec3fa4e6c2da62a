// README's later embed (an inert treue tag and an inline script that adds it
// once the page has settled): the widgets still render, under a strict CSP
// that allows the script by the hash README states; nothing of treue is
// requested before the page's `load` and its largest paint; and a treue.js
// that cannot be loaded leaves the page working.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, pageUrl, widgets, until, holdLoad, slowPicture, fixtureUrls, twoCrossSells as two } from "./harness.mjs";
import { readFile } from "node:fs/promises";
import { hash, statedHash, script } from "../../scripts/later-embed.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const { catalogue, rules } = fixtureUrls;
const lateHeading = `<script type="module" src="/fixtures/late-heading.js"></script>`;

// Every request for a file of treue's bundle or its rules, in order (the
// catalogue fixture is also the late heading's data).
function watchTreue(page) {
  const seen = [];
  page.on("request", (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith("/treue/") || path === rules) seen.push(path);
  });
  return seen;
}

test("README states the hash of the later embed's script as it is printed", () => {
  assert.equal(statedHash, hash);
});

test("the later embed waits by the loader's own rule: the same quiet time and the same limit after load", async () => {
  const loader = await readFile(new URL("../../src/loader/treue.js", import.meta.url), "utf8");
  const constant = (name) => Number(loader.match(new RegExp(`const ${name} = ([\\d_]+);`))[1].replace(/_/g, ""));
  const [, quiet, limit] = script.match(/quiet < (\d+) && performance\.now\(\) - since < (\d+)/) ?? [];
  assert.equal(Number(quiet), constant("QUIET_MS"));
  assert.equal(Number(limit), constant("SETTLE_MAX_MS"));
});

test("the later embed requests nothing of treue before the page's load and largest paint, then renders the widgets", async () => {
  const context = await env.browser.newContext({ viewport: { width: 412, height: 823 } });
  const release = await holdLoad(context);
  const page = await context.newPage();
  const seen = watchTreue(page);
  const violations = [];
  page.on("console", (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await page.goto(env.base + pageUrl({ catalogue, rules, later: 1, csp: 1, head: lateHeading, body: two + slowPicture }), { waitUntil: "commit" });
  await until("the page's first paint", () => page.evaluate(() => performance.getEntriesByType("paint").length > 0));
  assert.deepEqual(seen, [], "nothing of treue while the page loads");
  assert.notEqual(await page.evaluate(() => document.readyState), "complete");

  release();
  await until("the widgets mounted", async () => {
    const all = await widgets(page);
    return all.length === 2 && all.every((w) => w.state === "mounted");
  });
  assert.deepEqual(violations, [], "the inline script runs under the strict CSP with README's hash");
  assert.deepEqual(await page.evaluate(() => window.treue.ready), { ok: true });
  assert.equal(seen[0], "/treue/treue.js", seen.join(", "));

  const timing = await page.evaluate(() => new Promise((resolve) => {
    new PerformanceObserver((list) => resolve({
      lcp: list.getEntries().map((e) => ({ at: e.startTime, id: e.element?.id ?? null })),
      loadEnd: performance.getEntriesByType("navigation")[0].loadEventEnd,
      treue: performance.getEntriesByType("resource").filter((e) => e.name.includes("/treue/treue.js")).map((e) => e.startTime),
    })).observe({ type: "largest-contentful-paint", buffered: true });
  }));
  assert.equal(timing.lcp.at(-1).id, "late-heading", "the heading drawn after load is the largest paint");
  assert.equal(timing.treue.length, 1);
  assert.ok(timing.treue[0] > timing.loadEnd, `treue.js requested at ${timing.treue[0]} ms, load ended at ${timing.loadEnd} ms`);
  for (const { at } of timing.lcp) assert.ok(timing.treue[0] > at, `treue.js requested at ${timing.treue[0]} ms, a largest-paint candidate at ${at} ms`);

  // One tag, the one added, with the inert tag's attributes.
  const tags = await page.evaluate(() => [...document.querySelectorAll("script[src='/treue/treue.js']")].map((s) => ({ type: s.type, catalogue: s.dataset.catalogue, rules: s.dataset.rules })));
  assert.deepEqual(tags, [{ type: "module", catalogue, rules }]);
  await context.close();
});

test("the visitor's first scroll adds the tag while the page is still loading", async () => {
  const context = await env.browser.newContext({ viewport: { width: 412, height: 823 } });
  const release = await holdLoad(context);
  const page = await context.newPage();
  const seen = watchTreue(page);
  await page.goto(env.base + pageUrl({ catalogue, later: 1, body: slowPicture + `<div style="height: 3000px"></div>` + two }), { waitUntil: "commit" });
  await until("the page's first paint", () => page.evaluate(() => performance.getEntriesByType("paint").length > 0));
  assert.deepEqual(seen, []);
  await page.evaluate(() => window.scrollTo(0, 2800));
  await until("the widgets mounted", async () => (await widgets(page)).every((w) => w.state === "mounted"));
  assert.notEqual(await page.evaluate(() => document.readyState), "complete", "started before the page's load");
  release();
  await context.close();
});

test("with the later embed, a treue.js that cannot be loaded leaves the page working and the mount points empty", async () => {
  const context = await env.browser.newContext();
  let asked = 0;
  await context.route("**/treue/treue.js", (route) => { asked += 1; return route.fulfill({ status: 404, body: "not here" }); });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(env.base + pageUrl({ catalogue, later: 1, head: lateHeading, body: two }));
  await until("the tag's request", () => asked > 0);
  await until("the late heading", async () => (await page.locator("#late-heading").count()) === 1);
  assert.equal(await page.locator("#host-status").textContent(), "host script ran");
  const ticks = await page.evaluate(() => window.hostTicks);
  await until("the host page's timer still running", () => page.evaluate((t) => window.hostTicks > t, ticks));
  assert.deepEqual(errors, []);
  assert.deepEqual((await widgets(page)).map((w) => w.state), [null, null]);
  assert.deepEqual(await page.evaluate(() => document.querySelectorAll("[data-treue]")[0].shadowRoot), null);
  await context.close();
});
