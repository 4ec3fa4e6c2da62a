// The demo shop on a phone: every page, at 360 and 390 px, no wider than the
// viewport (nothing to scroll sideways, in the shop's markup or in treue's
// shadow roots), card badges side by side rather than on top of each other,
// and the survey appearing without moving the page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { start, standInCollector, until } from "./harness.mjs";

const data = fileURLToPath(new URL("../../www/data/", import.meta.url));
let env;
let shop;

before(async () => {
  env = await start();
  shop = JSON.parse(await readFile(data + "shop.json", "utf8"));
});
after(async () => { await env?.close(); });

/** A camera with every widget, and a product with a long title. */
function products() {
  return {
    camera: shop.products.find((p) => p.sku === "KAM-00001"),
    longTitle: shop.products.find((p) => p.title.includes("Entkalkungstabletten")),
  };
}

/** A phone's browser context with a logged-in customer, a filled cart and a placed order. */
async function phone(width, theme = "kontor") {
  const context = await env.browser.newContext({ viewport: { width, height: 780 }, isMobile: true, hasTouch: true });
  const { camera, longTitle } = products();
  const lines = [{ sku: camera.sku, quantity: 1 }, { sku: longTitle.sku, quantity: 2 }];
  await context.addInitScript(([lines, theme]) => {
    localStorage.setItem("kontor.customer", JSON.stringify("K000017"));
    localStorage.setItem("kontor.theme", JSON.stringify(theme));
    localStorage.setItem("kontor.cart", JSON.stringify(lines));
    localStorage.setItem("kontor.lastOrder", JSON.stringify({ number: "KK-0000001", lines }));
  }, [lines, theme]);
  await standInCollector(context);
  return { context, camera, longTitle };
}

/** A first visit as Lighthouse makes it: nothing stored, an empty cart. */
async function guest(width, height) {
  const context = await env.browser.newContext({ viewport: { width, height }, isMobile: width < 640, hasTouch: width < 640 });
  await standInCollector(context);
  return { context, ...products() };
}

/** Every demo page: home, each category, a product with all its widgets, one with a long title, cart, thank-you. */
const demoPages = (camera, longTitle) => [
  "/",
  ...shop.categories.map((c) => `/category.html?c=${c.slug}`),
  `/product.html?sku=${camera.sku}`,
  `/product.html?sku=${longTitle.sku}`,
  "/cart.html",
  "/thank-you.html",
];

/** Waits until the shop has rendered and every treue widget has settled. */
async function settled(page) {
  await page.evaluate(() => window.treue?.ready);
  await until("the shop's page and treue's widgets", () =>
    page.evaluate(() =>
      !document.querySelector("main .loading") &&
      [...document.querySelectorAll("[data-treue]")].every((el) => el.hasAttribute("data-treue-state"))));
}

/** Elements reaching past the viewport's right edge, outside the page's own sideways scrollers. */
function overflowing(page, width) {
  return page.evaluate((width) => {
    const scrolled = (el) => {
      for (let p = el.parentElement ?? el.getRootNode().host; p; p = p.parentElement ?? p.getRootNode().host) {
        if (/auto|scroll|hidden|clip/.test(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    const all = [...document.querySelectorAll("body *")];
    for (const host of document.querySelectorAll("[data-treue]")) all.push(...(host.shadowRoot?.querySelectorAll("*") ?? []));
    return {
      scrollWidth: document.documentElement.scrollWidth,
      wide: all
        .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 0.5 && !scrolled(el); })
        .map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute("class") ?? ""} "${el.textContent.trim().slice(0, 30)}"`),
    };
  }, width);
}

for (const width of [360, 390]) {
  test(`no demo page is wider than a ${width} px phone`, async () => {
    const { context, camera, longTitle } = await phone(width);
    const page = await context.newPage();
    for (const path of demoPages(camera, longTitle)) {
      await page.goto(env.base + path);
      await settled(page);
      const { scrollWidth, wide } = await overflowing(page, width);
      assert.deepEqual(wide, [], `${path} at ${width} px: elements past the right edge`);
      assert.ok(scrollWidth <= width, `${path} at ${width} px is ${scrollWidth} px wide`);
    }
    await context.close();
  });
}

test("card badges stand side by side on a phone, never on top of each other", async () => {
  const { context } = await phone(360);
  const page = await context.newPage();
  await page.goto(env.base + "/");
  await settled(page);
  const pairs = await page.evaluate(() =>
    [...document.querySelectorAll(".flags")].filter((f) => f.children.length > 1).map((f) => {
      const [a, b] = [...f.children].map((c) => c.getBoundingClientRect());
      const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
      return { text: f.textContent, apart };
    }));
  assert.ok(pairs.length > 0, "the home page shows a card with both badges");
  for (const { text, apart } of pairs) assert.ok(apart, `badges overlap: ${text}`);
  await context.close();
});

test("the survey appears without moving the thank-you page, and closing it moves nothing either", async () => {
  for (const width of [390, 1280]) {
    const context = await env.browser.newContext({ viewport: { width, height: 800 }, isMobile: width < 640, hasTouch: width < 640 });
    await standInCollector(context);
    const page = await context.newPage();
    await page.goto(env.base + "/thank-you.html");
    const survey = page.locator('[data-treue="nps"]');
    await survey.locator(".score").first().waitFor();
    const place = () => page.locator("main a.button").evaluate((el) => { const r = el.getBoundingClientRect(); return [r.x, r.y + scrollY]; });
    const shown = await place();
    assert.equal(await survey.evaluate((el) => getComputedStyle(el).position), "fixed", `${width} px`);
    const box = await survey.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= width, `${width} px: the survey lies inside the viewport (${JSON.stringify(box)})`);
    await survey.locator(".close").click();
    await until("the survey closed", async () => (await survey.evaluate((el) => el.shadowRoot.querySelector(".nps"))) === null);
    assert.deepEqual(await place(), shown, `${width} px: the page's own content stays where it was`);
    await context.close();
  }
});

test("cards on a phone: whole titles and reasons on hover, one-line reasons, shop texts in their own direction", async () => {
  const { context, camera } = await phone(390);
  const page = await context.newPage();
  await page.goto(`${env.base}/product.html?sku=${camera.sku}`);
  await settled(page);
  const widget = page.locator('[data-treue="cross-sell"]');
  await widget.locator(".card").first().waitFor();
  const cards = await widget.evaluate((host) => [...host.shadowRoot.querySelectorAll(".card")].map((card) => {
    const [title, reason] = [card.querySelector(".title"), card.querySelector(".reason")];
    return {
      title: [title.textContent, title.title, title.dir],
      reason: [reason.textContent, reason.title, reason.dir],
      reasonLines: Math.round(reason.getBoundingClientRect().height / parseFloat(getComputedStyle(reason).lineHeight)),
      link: card.querySelector(".link").textContent,
    };
  }));
  assert.ok(cards.length > 0);
  for (const card of cards) {
    const [text, hover, dir] = card.title;
    assert.deepEqual([hover, dir], [text, "auto"], "the title's hover text is the whole title");
    assert.equal(card.link, text, "the link's name is the whole title");
    assert.deepEqual([card.reason[1], card.reason[2]], [card.reason[0], "auto"]);
    assert.equal(card.reasonLines, 1, `"${card.reason[0]}" in one line`);
  }
  await context.close();
});

test("cards on a phone: an image that is refused leaves a box of the same size", async () => {
  const { context, camera } = await phone(390);
  const page = await context.newPage();
  await page.route("**/img/**", (route) => route.abort("blockedbyclient"));
  await page.goto(`${env.base}/product.html?sku=${camera.sku}`);
  await settled(page);
  const widget = page.locator('[data-treue="cross-sell"]');
  await widget.locator(".image.missing").first().waitFor();
  const boxes = await widget.evaluate((host) => [...host.shadowRoot.querySelectorAll(".card")].map((card) => {
    const image = card.querySelector(".image").getBoundingClientRect();
    return { missing: card.querySelector(".image.missing") !== null, width: image.width, height: image.height, card: card.getBoundingClientRect().width };
  }));
  for (const box of boxes.filter((b) => b.missing)) {
    assert.ok(box.width > 100, `the placeholder fills the card's width (${box.width} of ${box.card})`);
    assert.equal(Math.round(box.height), Math.round(box.width), "square, as the image would be");
  }
  await context.close();
});

/** The layout shifts the page has had so far, each with what moved. */
function shifts(page) {
  return page.evaluate(() => window.shifts.map((s) => `${s.value.toFixed(4)} at ${Math.round(s.startTime)} ms: ${s.moved}`));
}

/** Records every layout shift from the start of each page, as Lighthouse's CLS counts them. */
async function recordShifts(context) {
  await context.addInitScript(() => {
    window.shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue;
        const moved = e.sources.map((s) => `${s.node?.id || s.node?.className || s.node?.nodeName} y ${Math.round(s.previousRect.y)} -> ${Math.round(s.currentRect.y)}`).join(", ");
        window.shifts.push({ value: e.value, startTime: e.startTime, moved });
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
}

// On a phone the product's kept room puts the recommendations below the first
// viewport, whatever the product's height; on a desktop the demo's product
// (drawn from JSON, 617 to 846 px tall) can still move them by a few pixels
// where a server-rendered page would not, so the phone is what is asserted.
// 412 x 823 is Lighthouse's mobile screen.
for (const [who, width, height] of [["a guest", 412, 823], ["a customer with a cart", 390, 780]]) {
  test(`no demo page moves while it loads, for ${who} at ${width} px (the shop's chrome before its first paint, treue's widgets in kept room)`, async () => {
    const { context, camera, longTitle } = who === "a guest" ? await guest(width, height) : await phone(width);
    await recordShifts(context);
    // The shop's own script and data from a slow server: the browser may
    // paint before they arrive, and then nothing may move when they do.
    await context.route(/\/(shop\.js|data\/shop\.json)$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await route.continue();
    });
    const page = await context.newPage();
    for (const path of demoPages(camera, longTitle)) {
      await page.goto(env.base + path);
      await settled(page);
      assert.deepEqual(await shifts(page), [], `${path} at ${width} px`);
    }
    await context.close();
  });
}
