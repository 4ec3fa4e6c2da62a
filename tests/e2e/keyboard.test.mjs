// A keyboard-only walk through the demo shop's widgets: Tab, arrows, Enter,
// Space and Escape, asserting after each step where focus is (through treue's
// shadow roots) and what a screen reader is told.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { start, standInCollector, until } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

// KAM-00001 has planted partners (cross-sell) and a higher step (upgrade).
const PRODUCT = "KAM-00001";

async function open(path, { cart = [], customer = "K000017", rules } = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(([customer, cart]) => {
    localStorage.setItem("kontor.customer", JSON.stringify(customer));
    localStorage.setItem("kontor.cart", JSON.stringify(cart));
  }, [customer, cart]);
  await standInCollector(context);
  if (rules) {
    const file = fileURLToPath(new URL("../../www/data/rules.json", import.meta.url));
    await context.route("**/data/rules.json", async (route) => {
      const body = rules(JSON.parse(await readFile(file, "utf8")));
      await route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(body) });
    });
  }
  const page = await context.newPage();
  await page.goto(env.base + path);
  await page.evaluate(() => window.treue?.ready);
  return { context, page };
}

/** Where focus is: the widget (data-treue of the host) and the element inside its shadow root. */
function focus(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    let widget = null;
    while (el?.shadowRoot) {
      widget = el.getAttribute("data-treue");
      el = el.shadowRoot.activeElement;
    }
    if (!el) return { widget, tag: null };
    return {
      widget,
      tag: el.tagName.toLowerCase(),
      className: el.className,
      label: el.getAttribute("aria-label") ?? el.textContent.trim(),
      value: el.value,
      checked: el.checked,
    };
  });
}

/** Presses Tab until `wanted(focus)` holds; fails after 80 presses. */
async function tabTo(page, what, wanted) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    if (wanted(await focus(page))) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

/** The text in a widget's polite status region. */
function announced(page, widget) {
  return page.evaluate((w) => document.querySelector(`[data-treue="${w}"]`).shadowRoot.querySelector(".announce")?.textContent ?? "", widget);
}

function buttons(page, widget) {
  return page.evaluate((w) => [...document.querySelector(`[data-treue="${w}"]`).shadowRoot.querySelectorAll("button.add")]
    .map((b) => b.getAttribute("aria-label")), widget);
}

test("cross-sell: Enter adds the card; focus goes to the card now in its place, and the addition is announced", async () => {
  const { context, page } = await open(`/product.html?sku=${PRODUCT}`, { cart: [{ sku: PRODUCT, quantity: 1 }] });
  await page.locator('[data-treue="cross-sell"]').locator("button.add").first().waitFor();
  await tabTo(page, "the first cross-sell card's button", (f) => f.widget === "cross-sell" && f.tag === "button");
  const before = await buttons(page, "cross-sell");
  const used = (await focus(page)).label;
  assert.equal(used, before[0], "Tab reaches the first card's button first");
  await page.keyboard.press("Enter");
  await until("the card to leave the list", async () => !(await buttons(page, "cross-sell")).includes(used));
  const after = await buttons(page, "cross-sell");
  await until("focus on a cross-sell button", async () => (await focus(page)).tag === "button");
  const now = await focus(page);
  assert.equal(now.widget, "cross-sell");
  assert.equal(now.label, after[0], "the button now in the first place has focus");
  const title = used.replace(/ in den Warenkorb legen$/, "");
  assert.equal(await announced(page, "cross-sell"), `${title} in den Warenkorb gelegt`);
  await context.close();
});

test("upgrade: Space chooses it; focus stays in the widget and the swap is announced", async () => {
  const { context, page } = await open(`/product.html?sku=${PRODUCT}`, { cart: [{ sku: PRODUCT, quantity: 1 }] });
  await page.locator('[data-treue="upgrade"]').locator("button.add").first().waitFor();
  await tabTo(page, "the upgrade's button", (f) => f.widget === "upgrade" && f.tag === "button");
  const chosen = (await focus(page)).label;
  assert.match(chosen, /^Stattdessen wählen: /);
  await page.keyboard.press("Space");
  await until("the announcement", async () => (await announced(page, "upgrade")).endsWith("in den Warenkorb gelegt"));
  assert.match(await announced(page, "upgrade"), / statt .+ in den Warenkorb gelegt$/);
  await until("focus in the upgrade widget", async () => (await focus(page)).widget === "upgrade");
  const now = await focus(page);
  const left = await buttons(page, "upgrade");
  if (left.length) assert.equal(now.label, left[0], "the next step's button");
  else assert.equal(now.className, "heading");
  await context.close();
});

test("points preview: the breakdown opens with Enter and closes with Space, focus on its summary", async () => {
  const { context, page } = await open(`/product.html?sku=${PRODUCT}`, { cart: [{ sku: PRODUCT, quantity: 1 }] });
  const details = page.locator('[data-treue="points-preview"]').locator(".breakdown");
  await details.locator("summary").waitFor();
  await tabTo(page, "the breakdown's summary", (f) => f.widget === "points-preview" && f.tag === "summary");
  const isOpen = () => details.evaluate((d) => d.open);
  assert.equal(await isOpen(), false);
  await page.keyboard.press("Enter");
  await until("the breakdown open", isOpen);
  assert.equal((await focus(page)).tag, "summary");
  await page.keyboard.press("Space");
  await until("the breakdown closed", async () => !(await isOpen()));
  assert.equal((await focus(page)).tag, "summary");
  await context.close();
});

/** The demo's thank-you page with the survey after three seconds, so focus is somewhere first. */
const thankYou = () => open("/thank-you.html", { customer: null, rules: (r) => ({ ...r, nps: { ...r.nps, trigger: { ...r.nps?.trigger, delay_seconds: 3 } } }) });
const surveyMark = (page) => page.locator('[data-treue="nps"]').getAttribute("data-treue-survey");

/** Focus on the shop's skip link while the survey still waits, then the survey shown. */
async function beforeSurvey(page) {
  await page.keyboard.press("Tab");
  assert.deepEqual(await focus(page), { widget: null, tag: "a", className: "skip-link", label: "Zum Inhalt springen", value: undefined, checked: undefined });
  assert.equal(await surveyMark(page), "waiting");
  await page.locator('[data-treue="nps"]').locator(".score").first().waitFor();
}

/** Tab into the scores, then the right arrow `n` times: score `n` focused and picked. */
async function arrowTo(page, n) {
  await tabTo(page, "the survey's scores", (f) => f.widget === "nps" && f.tag === "input");
  assert.equal((await focus(page)).value, "0", "the radio group is entered at its first score");
  for (let i = 0; i < n; i++) await page.keyboard.press("ArrowRight");
  await until(`score ${n} focused and picked`, async () => {
    const f = await focus(page);
    return f.value === String(n) && f.checked;
  });
}

/** The survey closed with `mark`, focus back on the skip link, the closing announced. */
async function closedBack(page, mark) {
  await until(`the survey ${mark}`, async () => (await surveyMark(page)) === mark);
  await until("focus back on the skip link", async () => (await focus(page)).className === "skip-link");
  const status = await page.locator('[data-treue="nps"]').evaluate((h) => h.shadowRoot.querySelector(".closing")?.textContent);
  assert.equal(status, "Umfrage geschlossen");
}

test("survey: Tab and arrows through the scores, Space picks, Escape closes it and focus returns", async () => {
  const { context, page } = await thankYou();
  await beforeSurvey(page);
  await arrowTo(page, 2);
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("Space");
  await until("score 1 picked", async () => (await focus(page)).value === "1" && (await focus(page)).checked);
  await page.keyboard.press("Escape");
  await closedBack(page, "dismissed");
  await context.close();
});

test("survey: Enter sends the score, focus moves to the follow-up; its × by keyboard closes it, focus returns, the closing is announced", async () => {
  const { context, page } = await thankYou();
  await beforeSurvey(page);
  await arrowTo(page, 9);
  await page.keyboard.press("Enter");
  await until("focus on the follow-up's heading", async () => (await focus(page)).className.includes("heading"));
  assert.equal((await focus(page)).tag, "h2");
  await page.keyboard.press("Shift+Tab");
  assert.equal((await focus(page)).label, "Umfrage schließen");
  await page.keyboard.press("Enter");
  await closedBack(page, "answered");
  await context.close();
});

test("survey: Escape from the follow-up closes it too, and says so", async () => {
  const { context, page } = await thankYou();
  await beforeSurvey(page);
  await arrowTo(page, 3);
  await page.keyboard.press("Enter");
  await until("focus on the follow-up's heading", async () => (await focus(page)).className.includes("heading"));
  await page.keyboard.press("Tab");
  assert.equal((await focus(page)).tag, "input", "a detractor's first reason");
  await page.keyboard.press("Escape");
  await closedBack(page, "answered");
  await context.close();
});
