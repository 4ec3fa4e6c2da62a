// The marketer's preview (`treue preview`): the real command serving the demo
// shop's catalogue and a copy of its rules, driven in headless Chromium. The
// panes run the shipped bundle in preview mode.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startPreview, until } from "./harness.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const demoRules = JSON.parse(await readFile(join(root, "examples/rules/demo.json"), "utf8"));

// How long a pane may take to draw at most: each loads and compiles the
// bundle, up to three at once, on a shared 2-core machine.
const DRAW_MS = 30000;

let stop;
let base;
let browser;
let dir;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "treue-preview-"));
  const rules = structuredClone(demoRules);
  rules.measure.collector = "http://127.0.0.1:9/collector";
  await writeFile(join(dir, "rules.json"), JSON.stringify(rules, null, 2));
  ({ base, stop } = await startPreview(join(dir, "rules.json")));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  stop?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The preview page, with every request to a collector (which does not answer) and every fetch or beacon to one recorded. */
async function open({ count = 1, viewport = { width: 1400, height: 900 }, context, at = base } = {}) {
  context ??= await browser.newContext({ viewport });
  const collector = [];
  // Watched, not answered: the rules name a port that refuses connections, so
  // a request that reaches for the collector is recorded and goes nowhere.
  context.on("request", (request) => {
    if (request.url().includes("/collector/")) collector.push(request.url());
  });
  // In every frame: a dataLayer for the bundle to push to (a shop with GTM has
  // one), and what the page asked to send, recorded as it asks.
  await context.addInitScript(() => {
    window.dataLayer = [];
    window.sent = [];
    const fetch = window.fetch;
    window.fetch = (input, init) => { window.sent.push(String(input?.url ?? input)); return fetch(input, init); };
    const beacon = navigator.sendBeacon?.bind(navigator);
    if (beacon) navigator.sendBeacon = (url, data) => { window.sent.push(String(url)); return beacon(url, data); };
    document.addEventListener("treue:add-to-cart", () => { window.added = (window.added ?? 0) + 1; });
  });
  const page = await context.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  await page.goto(`${at}/preview/`);
  await page.selectOption("#count", String(count));
  await until("the panes to draw", async () => {
    const all = await panes(page);
    return all.length === count && all.every((p) => p.settled);
  }, DRAW_MS);
  return { page, context, collector };
}

/** Each pane: the version it shows, whether a newer one is still loading, and its widgets' cards. */
function panes(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("[data-pane]")].map((box) => {
      const doc = box.querySelector("iframe:not(.next)")?.contentDocument;
      const widgets = {};
      for (const el of doc?.querySelectorAll("[data-treue]") ?? []) {
        widgets[el.dataset.treue] = {
          state: el.getAttribute("data-treue-state"),
          cards: [...(el.shadowRoot?.querySelectorAll(".card") ?? [])].length,
          text: el.shadowRoot?.textContent ?? "",
        };
      }
      const settled = Boolean(doc) && !box.querySelector("iframe.next") &&
        Object.values(widgets).every((w) => w.state);
      return { version: Number(box.dataset.version ?? 0), settled, widgets };
    }));
}

/** Waits for pane `i` to draw a version newer than `after` and then until `ready(pane)`. */
async function drawn(page, i, after, ready = () => true) {
  let pane;
  await until(`pane ${i} to draw anew`, async () => {
    pane = (await panes(page))[i];
    return pane.version > after && pane.settled && ready(pane);
  }, DRAW_MS);
  return pane;
}

async function choose(page, i, name, value) {
  const field = page.locator(`[data-pane="${i}"] [name="${name}"]`);
  if (typeof value === "boolean") await field.setChecked(value);
  else if (await field.evaluate((el) => el.tagName === "SELECT")) await field.selectOption(value);
  else await field.fill(value);
}

async function rules(page) {
  return JSON.parse(await page.inputValue("#editor"));
}

test("a rule change draws the panes again with the new rules", async () => {
  const { page, context } = await open();
  let [pane] = await panes(page);
  pane = await drawn(page, 0, 0, (p) => p.widgets["cross-sell"].cards === 4);
  const changed = await rules(page);
  changed.cross_sell.limit = 2;
  await page.fill("#editor", JSON.stringify(changed, null, 2));
  pane = await drawn(page, 0, pane.version, (p) => p.widgets["cross-sell"].cards === 2);
  assert.equal(await page.getAttribute("#status", "data-state"), "ok");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a broken rule shows its path, line and a suggestion, and the panes keep the last good rules", async () => {
  const { page, context } = await open();
  const good = await drawn(page, 0, 0, (p) => p.widgets["cross-sell"].cards === 4);
  const text = JSON.stringify(await rules(page), null, 2);
  // The cross_sell section's "limit" misspelt: line 6 of the pretty-printed document.
  const broken = text.replace('"limit": 4', '"limt": 2');
  const line = broken.split("\n").findIndex((l) => l.includes('"limt"')) + 1;
  await page.fill("#editor", broken);
  await until("the problem to show", async () => (await page.locator("#problems li").count()) > 0);
  const problems = await page.locator("#problems li:not(.off)").allTextContents();
  assert.equal(problems.length, 1, problems.join("\n"));
  assert.match(problems[0], new RegExp(`^rules\\.json:${line}:\\d+: at cross_sell\\.limt: unknown field .limt.`));
  assert.match(problems[0], /did you mean .limit./);
  assert.match(await page.textContent("#problems li.off"), /turns off: cross_sell/);
  assert.equal(await page.getAttribute("#editor", "aria-invalid"), "true");
  const [kept] = await panes(page);
  assert.equal(kept.version, good.version, "no new drawing started");
  assert.equal(kept.widgets["cross-sell"].cards, 4, "the last good rules still show");

  // A syntax error: no path; found where the next member starts, as serde_json (and treue check) say.
  await page.fill("#editor", text.replace('"version": 1,', '"version": 1'));
  await until("the syntax problem", async () => /expected `,`/.test(await page.textContent("#problems")));
  const next = text.split("\n").findIndex((l) => l.includes('"version"')) + 2;
  assert.equal(await page.textContent("#problems li"), `rules.json:${next}:3: expected \`,\` or \`}\``);
  assert.equal((await panes(page))[0].version, good.version);

  // Fixed again: drawn with the document as it now is.
  await page.fill("#editor", text.replace('"limit": 4', '"limit": 3'));
  await drawn(page, 0, good.version, (p) => p.widgets["cross-sell"].cards === 3);
  assert.equal(await page.locator("#problems li").count(), 0);
  await context.close();
});

test("side by side, the customer in payment default sees no upgrade where the rule says so", async () => {
  const { page, context } = await open({ count: 3 });
  // Pane 1: a customer; pane 2: a customer in payment default (the panes' first visitors).
  for (const i of [1, 2]) {
    await choose(page, i, "visitor", "customer");
  }
  await choose(page, 2, "payment_default", true);
  await choose(page, 1, "payment_default", false);
  let [, paying, defaulting] = await panes(page);
  paying = await drawn(page, 1, 0, (p) => p.widgets.upgrade.cards > 0);
  defaulting = await drawn(page, 2, 0, (p) => p.widgets["cross-sell"].cards > 0);
  assert.equal(defaulting.widgets.upgrade.cards, 0, "no upgrade in payment default");
  assert.ok(paying.widgets.upgrade.cards > 0);
  assert.equal((await rules(page)).upgrade.target.exclude_payment_default, true);

  // Without the rule the same visitor sees the upgrade.
  const changed = await rules(page);
  delete changed.upgrade.target.exclude_payment_default;
  await page.fill("#editor", JSON.stringify(changed, null, 2));
  await drawn(page, 2, defaulting.version, (p) => p.widgets.upgrade.cards > 0);
  await context.close();
});

test("a pane's date shows a promotion only within its window", async () => {
  const { page, context } = await open({ count: 2 });
  const changed = await rules(page);
  changed.loyalty.earn.promotions = [
    { id: "advent", name: "Doppelte Punkte im Advent", start: "2026-12-20", end: "2026-12-24", multiplier: 200 },
  ];
  await page.fill("#editor", JSON.stringify(changed, null, 2));
  for (const [i, day] of [[0, "2026-12-22"], [1, "2027-01-10"]]) {
    await choose(page, i, "visitor", "customer");
    await choose(page, i, "today", day);
  }
  const inside = await drawn(page, 0, 0, (p) => /Advent/.test(p.widgets["points-preview"].text));
  const outside = await drawn(page, 1, 0, (p) => p.widgets["points-preview"].text.length > 0);
  assert.doesNotMatch(outside.widgets["points-preview"].text, /Advent/);
  assert.notEqual(inside.widgets["points-preview"].text, outside.widgets["points-preview"].text);
  await context.close();
});

test("a pane's group puts its visitor in the holdout or an arm of the rules' split", async () => {
  const { page, context } = await open({ count: 2 });
  const changed = await rules(page);
  changed.upgrade.target.holdout = 0.5;
  await page.fill("#editor", JSON.stringify(changed, null, 2));
  await until("the groups", async () => (await page.locator('[data-pane="0"] [name="group"] option').count()) === 3);
  const before = await panes(page);
  await page.locator('[data-pane="0"] [name="group"]').selectOption({ label: "upgrade: holdout" });
  await page.locator('[data-pane="1"] [name="group"]').selectOption({ label: "upgrade: shown" });
  const held = await drawn(page, 0, before[0].version, (p) => p.widgets["cross-sell"].cards > 0);
  await drawn(page, 1, before[1].version, (p) => p.widgets.upgrade.cards > 0);
  assert.equal(held.widgets.upgrade.cards, 0, "the holdout sees no upgrade");
  await context.close();
});

/** Adds pane 0's first suggestion to the cart, as a shopper would, and waits for the widget to hand it over. */
async function addFirstSuggestion(page) {
  await drawn(page, 0, 0, (p) => p.widgets["cross-sell"].cards === 4);
  const frame = page.frames().find((f) => f.url().includes("/preview/frame.html"));
  await frame.evaluate(() => document.querySelector('[data-treue="cross-sell"]').shadowRoot.querySelector(".card button").click());
  await until("the widget to hand the product to the shop", () => frame.evaluate(() => window.added === 1));
  return frame;
}

test("a preview sends nothing to the collector and pushes nothing to dataLayer", async () => {
  const { page, context, collector } = await open();
  // Adding a suggestion to the cart is tracked at once on a shop's page (add_to_cart).
  const frame = await addFirstSuggestion(page);
  assert.deepEqual(await frame.evaluate(() => window.dataLayer), []);
  assert.deepEqual(await frame.evaluate(() => window.sent.filter((url) => url.includes("collector"))), []);
  assert.deepEqual(collector, []);
  assert.deepEqual(await frame.evaluate(() => Object.keys(localStorage)), [], "nothing stored");
  await context.close();
});

test("the same pane without preview mode does send and push (what the test above would see)", async () => {
  const context = await browser.newContext();
  await context.route("**/preview/frame.js", async (route) => {
    const body = (await (await route.fetch()).text()).replace("tag.dataset.preview = JSON.stringify(preview);", "");
    await route.fulfill({ status: 200, contentType: "text/javascript", body });
  });
  const { page, collector } = await open({ context });
  const frame = await addFirstSuggestion(page);
  assert.ok((await frame.evaluate(() => window.dataLayer)).some((push) => push.event === "add_to_cart"));
  assert.ok((await frame.evaluate(() => window.sent)).some((url) => url.includes("/collector/")));
  await until("the event to be sent to the collector", () => collector.length > 0);
  await context.close();
});

/** What pane `i` shows once drawn with `page` and `cart` (SKUs) as chosen: its widgets. */
async function drawnWith(page, i, { kind, cart }) {
  await choose(page, i, "cart", cart);
  await choose(page, i, "page", kind);
  let pane;
  await until(`pane ${i} drawn as ${kind}`, async () => {
    const shown = await page.evaluate((i) =>
      decodeURIComponent(document.querySelector(`[data-pane="${i}"] iframe:not(.next)`)?.src.split("?s=")[1] ?? "{}"), i);
    const state = JSON.parse(shown);
    pane = (await panes(page))[i];
    return state.page === kind && state.cart?.length === cart.length && pane.settled;
  }, DRAW_MS);
  return pane.widgets;
}

test("over a sharded catalogue's directory the panes read its index and shards and draw as on the single file", async () => {
  const sharded = await startPreview(join(dir, "rules.json"), "www/data/catalogue/");
  try {
    const single = await open();
    const shards = await open({ at: sharded.base });
    const product = await drawn(single.page, 0, 0, (p) => p.widgets["cross-sell"].cards === 4);
    assert.deepEqual((await drawn(shards.page, 0, 0, (p) => p.widgets["cross-sell"].cards === 4)).widgets, product.widgets);
    // A cart of three lines from across the shop: the shards of each line.
    const skus = await single.page.evaluate(() => {
      const all = [...document.querySelectorAll('[data-pane="0"] [name="cart"] option')].map((o) => o.value);
      return [all[3], all[Math.floor(all.length / 2)], all.at(-4)];
    });
    const cart = await drawnWith(single.page, 0, { kind: "cart", cart: skus });
    assert.ok(cart["cross-sell"].cards > 0, "the cart gets suggestions");
    assert.deepEqual(await drawnWith(shards.page, 0, { kind: "cart", cart: skus }), cart);

    const frame = shards.page.frames().find((f) => f.url().includes("/preview/frame.html"));
    const fetched = await frame.evaluate(() =>
      performance.getEntriesByType("resource").map((r) => new URL(r.name).pathname).filter((p) => p.startsWith("/preview/catalogue")));
    assert.match(fetched[0] ?? "", /^\/preview\/catalogue\/\d+\/index\.bin$/, fetched.join(", "));
    assert.ok(fetched.length >= 5, `the index, the bestsellers shard and the lines' shards: ${fetched.join(", ")}`);
    assert.ok(fetched.slice(1).every((p) => /^\/preview\/catalogue\/\d+\/[0-9a-f]{8}\/\d+\.bin$/.test(p)), fetched.join(", "));
    assert.deepEqual(shards.page.errors, []);
    await single.context.close();
    await shards.context.close();
  } finally {
    sharded.stop();
  }
});

test("on a phone the page and every pane fit the screen, nothing to scroll sideways", async () => {
  for (const width of [360, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 780 }, isMobile: true, hasTouch: true });
    const { page } = await open({ count: 2, context });
    const sizes = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      wide: [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > innerWidth + 0.5)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
      panes: [...document.querySelectorAll("[data-pane] iframe")].map((frame) => ({
        right: frame.getBoundingClientRect().right,
        content: frame.contentDocument.documentElement.scrollWidth,
        inside: frame.contentDocument.documentElement.clientWidth,
      })),
    }));
    assert.equal(sizes.page, width, `the preview is ${sizes.page} px wide at ${width} px`);
    assert.deepEqual(sizes.wide, []);
    assert.equal(sizes.panes.length, 2);
    for (const pane of sizes.panes) {
      assert.ok(pane.right <= width, `a pane reaches ${pane.right} px`);
      assert.ok(pane.content <= pane.inside, `a pane's page is ${pane.content} px wide in ${pane.inside} px`);
    }
    await context.close();
  }
});
