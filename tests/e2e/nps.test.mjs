// The NPS survey in headless Chromium: the question and its follow-ups, who sees
// it, and delivery that loses nothing (collector down, offline, reload, no
// storage). A fake collector runs here on node:http; it also serves each test's
// rules, so `measure.collector` can name its port.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start, pageUrl, until as pollUntil } from "./harness.mjs";

let env;
let collector;
before(async () => {
  env = await start();
  collector = await fakeCollector();
});
after(async () => {
  await env?.close();
  collector?.server.close();
});

const catalogue = "/fixtures/catalogue.json";
const thankYou = `<div data-treue="nps" data-context="thank_you"></div>`;
const QUEUE = "treue.nps.queue.guest";

// The collector of docs/protocol.md, in little: idempotent by id, CORS for anyone,
// and switchable to failing ("down") or to refusing bodies ("bad"). `requests`
// and `stored` are answers; `events` the stored survey events.
async function fakeCollector() {
  const c = { mode: "ok", requests: [], stored: [], events: [] };
  const cors = {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers": "content-type",
  };
  c.server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (req.method === "OPTIONS") return res.writeHead(204, cors).end();
    if (req.method === "GET" && url.pathname === "/rules") {
      const rules = {
        version: 1,
        measure: { collector: c.base },
        nps: JSON.parse(url.searchParams.get("nps") ?? "{}"),
        texts: JSON.parse(url.searchParams.get("texts") ?? "{}"),
      };
      return res.writeHead(200, { ...cors, "content-type": "application/json" }).end(JSON.stringify(rules));
    }
    let body = "";
    req.on("data", (chunk) => { body += chunk; });
    req.on("end", () => {
      const isAnswer = url.pathname === "/v1/answers";
      if (isAnswer) c.requests.push({ type: req.headers["content-type"], body, mode: c.mode });
      if (c.mode === "down") return res.writeHead(503, cors).end("down");
      if (c.mode === "answers-only" && !isAnswer) return res.writeHead(404, cors).end("not found");
      if (c.mode === "bad") return res.writeHead(400, { ...cors, "content-type": "application/json" }).end('{"ok":false,"error":"at score: expected an integer 0 to 10"}');
      const item = JSON.parse(body);
      const list = isAnswer ? c.stored : c.events;
      const duplicate = list.some((a) => a.id === item.id);
      if (!duplicate) list.push(item);
      res.writeHead(200, { ...cors, "content-type": "application/json" }).end(JSON.stringify({ ok: true, id: item.id, duplicate }));
    });
  });
  await new Promise((r) => c.server.listen(0, "127.0.0.1", r));
  c.base = `http://127.0.0.1:${c.server.address().port}`;
  c.reset = (mode = "ok") => { c.mode = mode; c.requests = []; c.stored = []; c.events = []; };
  return c;
}

function surveyPage(nps = {}, extra = {}, texts = {}) {
  const rules = `${collector.base}/rules?${new URLSearchParams({ nps: JSON.stringify(nps), texts: JSON.stringify(texts) })}`;
  return pageUrl({ catalogue, rules, body: thankYou, ...extra });
}

/** A page in `context` (pages of one context share localStorage), recording console and errors. */
async function open(context, path) {
  const page = await context.newPage();
  page.logs = [];
  page.errors = [];
  page.on("console", (m) => page.logs.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => page.errors.push(e.message));
  await page.goto(env.base + path);
  await page.evaluate(() => window.treue?.ready);
  return page;
}

const survey = (page) => page.locator('[data-treue="nps"]');
const status = (page) => survey(page).getAttribute("data-treue-survey");
/** The answers waiting in a visitor's queue (the queue holds each body as its JSON text). */
const queued = (page, key = QUEUE) => page.evaluate((k) =>
  JSON.parse(localStorage.getItem(k) ?? "[]").filter((q) => q.to === "answers").map((q) => JSON.parse(q.body)), key);

// The harness's polling wait, given longer: a retry after the outbox's
// back-off (2 s, then 4 s, ...) can come after its default 10 s on a busy machine.
const until = (what, check, ms = 15000) => pollUntil(what, check, ms);

/** A fresh browser context (its own localStorage) showing the survey; the collector starts in `mode`. */
async function surveyShown({ mode = "ok", nps = {}, extra = {}, texts = {}, init } = {}) {
  collector.reset(mode);
  const context = await env.browser.newContext();
  if (init) await context.addInitScript(init);
  const page = await open(context, surveyPage(nps, extra, texts));
  await survey(page).locator(".score").first().waitFor();
  return { context, page };
}

async function giveScore(page, score) {
  await survey(page).locator(".score input").nth(score).check();
  await survey(page).locator(".nps-form button[type=submit]").click();
}

test("a promoter's answer reaches the collector exactly once, with every protocol field", async () => {
  const { context, page } = await surveyShown({ nps: { trigger: { pages: ["thank_you"] }, referral_url: "/empfehlen" } });
  assert.equal(await status(page), "shown");
  assert.equal(await survey(page).locator("h2").textContent(),
    "Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?");
  await giveScore(page, 10);
  await until("the answer", () => collector.stored.length === 1);
  const [answer] = collector.stored;
  assert.match(answer.id, /^a-[0-9a-f]{16}$/);
  assert.ok(!Number.isNaN(Date.parse(answer.answered_at)));
  assert.deepEqual({ ...answer, id: null, answered_at: null }, {
    id: null, survey: "nps", score: 10, reasons: [], comment: null, customer_id: null, segment: null, tier: null,
    page: "thank_you", locale: "de", answered_at: null,
  });
  assert.equal(collector.requests[0].type, "application/json");
  // The promoter's follow-up: thanks and the referral link from the rules.
  assert.equal(await survey(page).locator(".referral").getAttribute("href"), "/empfehlen");
  assert.equal(await status(page), "answered", "a promoter's survey is answered, not still shown");
  // Once acknowledged it has left the queue, and nothing can send it again.
  await until("the acknowledged answer to leave the queue", async () => (await queued(page)).length === 0);
  assert.equal(collector.requests.length, 1, "sent once");
  assert.deepEqual(collector.events.map((e) => [e.name, e.survey, e.customer_id]), [["survey_shown", "nps", null]], "the display");
  assert.match(collector.events[0].id, /^e-[0-9a-f]{16}$/);
  assert.deepEqual(await queued(page), [], "acknowledged answers leave the queue");
  assert.equal(await page.evaluate(() => localStorage.getItem("treue.nps.queue.guest")), null);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a detractor's reasons and comment go out in the one answer, for the customer the shop names", async () => {
  const customer = `<script type="module">treue.setCustomer({ id: "c-42", segment: "A", tier: "gold" })</script>`;
  const { context, page } = await surveyShown({ extra: { body: thankYou + customer } });
  await giveScore(page, 3);
  await survey(page).locator(".pick input[value=not_attentive]").check();
  await survey(page).locator(".pick input[value=price]").check();
  await survey(page).locator("textarea").fill("Niemand hat zurückgerufen.");
  // Held while the follow-up is open; the reasons are kept at once, what is
  // typed when the field is left (not on every keystroke).
  assert.deepEqual((await queued(page, "treue.nps.queue.c:c-42")).map((a) => [a.reasons, a.comment]),
    [[["not_attentive", "price"], null]]);
  await survey(page).locator("textarea").blur();
  const kept = await queued(page, "treue.nps.queue.c:c-42");
  assert.equal(kept.length, 1);
  assert.equal(kept[0].comment, "Niemand hat zurückgerufen.");
  assert.equal(collector.requests.length, 0, "nothing sent before the follow-up is done");
  await survey(page).locator(".nps-form button[type=submit]").click();
  await until("the answer", () => collector.stored.length === 1);
  const [answer] = collector.stored;
  assert.deepEqual([answer.score, answer.reasons, answer.comment], [3, ["not_attentive", "price"], "Niemand hat zurückgerufen."]);
  assert.deepEqual([answer.customer_id, answer.segment, answer.tier], ["c-42", "A", "gold"]);
  assert.equal(await survey(page).locator("[role=status]").textContent(), "Vielen Dank für Ihre Antwort.");
  await until("the acknowledged answer to leave the queue", async () => (await queued(page, "treue.nps.queue.c:c-42")).length === 0);
  assert.equal(collector.requests.length, 1);
  await context.close();
});

test("the scale is a keyboard radio group with large targets, in English, and rules override the question", async () => {
  const { context, page } = await surveyShown({
    texts: { en: { "nps.passive": "So close! What would make your {score} a 10?" } },
    extra: { lang: "en" },
  });
  assert.equal(await survey(page).locator("[role=radiogroup]").count(), 1);
  assert.equal(await survey(page).locator("h2").textContent(), "How likely are you to recommend us to a friend or colleague?");
  assert.match(await survey(page).locator(".ends").textContent(), /0 = not at all likely.*10 = extremely likely/);
  for (const box of [await survey(page).locator(".score span").first().boundingBox(), await survey(page).locator(".close").boundingBox()]) {
    assert.ok(box.width >= 44 && box.height >= 44, JSON.stringify(box));
  }
  await survey(page).locator(".score input").first().focus();
  for (let i = 0; i < 8; i++) await page.keyboard.press("ArrowRight");
  const focused = () => page.evaluate(() => document.querySelector('[data-treue="nps"]').shadowRoot.activeElement?.value ?? null);
  assert.equal(await focused(), "8");
  const outline = await page.evaluate(() => {
    const span = document.querySelector('[data-treue="nps"]').shadowRoot.activeElement.nextElementSibling;
    return getComputedStyle(span).outlineStyle;
  });
  assert.equal(outline, "solid", "keyboard focus is visible");
  await page.keyboard.press("Enter");
  const heading = survey(page).locator("h2");
  await until("the follow-up", async () => (await heading.textContent()) === "So close! What would make your 8 a 10?");
  assert.equal(await page.evaluate(() => document.querySelector('[data-treue="nps"]').shadowRoot.activeElement?.id), "treue-nps-f",
    "focus moves to the follow-up");
  await context.close();
});

test("collector down, then up: the answer stays queued and arrives later, once", async () => {
  const { context, page } = await surveyShown({ mode: "down" });
  await giveScore(page, 9);
  await until("a failed attempt", () => collector.requests.length >= 1);
  assert.equal((await queued(page)).length, 1, "kept after a 503");
  collector.mode = "ok";
  await until("the retry", () => collector.stored.length === 1);
  await until("the queue to empty", async () => (await queued(page)).length === 0);
  assert.equal(collector.stored[0].score, 9);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a collector without /v1/events still gets every answer", async () => {
  const { context, page } = await surveyShown({ mode: "answers-only" });
  await giveScore(page, 10);
  await until("the answer", () => collector.stored.length === 1);
  await until("the answer to leave the queue", async () => (await queued(page)).length === 0);
  assert.deepEqual(collector.events, []);
  await context.close();
});

test("offline, then online: the answer goes out when the browser is back", async () => {
  const { context, page } = await surveyShown();
  await context.setOffline(true);
  await giveScore(page, 10);
  await until("the answer in the queue", async () => (await queued(page)).length === 1);
  assert.equal(collector.requests.length, 0);
  await context.setOffline(false);
  await until("the answer", () => collector.stored.length === 1);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a reload between answer and send, mid-comment: the answer arrives after it, with what was typed", async () => {
  const { context, page } = await surveyShown({ mode: "down" });
  await giveScore(page, 2);
  await survey(page).locator("textarea").fill("Lieferung kam zu spät");
  await page.reload(); // the follow-up never sent
  await page.evaluate(() => window.treue.ready);
  await until("the next page's try", () => collector.requests.some((r) => r.type === "application/json"));
  assert.equal(collector.stored.length, 0);
  collector.mode = "ok";
  await until("the answer", () => collector.stored.length === 1);
  assert.equal(collector.stored[0].comment, "Lieferung kam zu spät", "what was typed is not lost");
  assert.equal(collector.stored[0].score, 2);
  assert.equal(await status(page), "skip:answered", "and the survey is not asked again");
  await until("the queue to empty", async () => (await queued(page)).length === 0);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("a tab closed mid-comment: the next page sends the answer", async () => {
  const { context, page: first } = await surveyShown({ mode: "down" });
  await giveScore(first, 5);
  await survey(first).locator(".pick input[value=promise_broken]").check();
  await first.close();
  // The closing tab beacons what it holds; the collector, still down, keeps none of it.
  await until("the closing tab's beacon", () => collector.requests.some((r) => r.type?.startsWith("text/plain")));
  assert.equal(collector.stored.length, 0);
  collector.mode = "ok";
  const next = await open(context, surveyPage());
  await until("the answer", () => collector.stored.length === 1);
  assert.deepEqual(collector.stored[0].reasons, ["promise_broken"]);
  assert.ok(collector.requests.some((r) => r.mode === "ok" && r.type === "application/json"), "sent by the next page's fetch");
  await until("the queue to empty", async () => (await queued(next)).length === 0);
  await context.close();
});

test("leaving the page sends the answer by beacon; the later repeat is harmless", async () => {
  const { context, page } = await surveyShown();
  await giveScore(page, 6);
  await survey(page).locator("textarea").fill("Zu teuer");
  await page.goto(env.base + pageUrl({ catalogue })); // a page without a survey: only the beacon can send it
  await until("the beacon", () => collector.stored.length === 1);
  assert.equal(collector.requests[0].type, "text/plain;charset=UTF-8");
  assert.equal(collector.stored[0].comment, "Zu teuer");
  assert.equal((await queued(page)).length, 1, "a beacon is never acknowledged: the answer stays queued");
  await page.goto(env.base + surveyPage());
  await until("the queue to empty", async () => (await queued(page)).length === 0);
  assert.equal(collector.requests.length, 2, "sent again by fetch");
  assert.equal(collector.stored.length, 1, "and kept once, by its id");
  await context.close();
});

test("without localStorage the answer is sent at once, with one warning and no page error", async () => {
  for (const breakStorage of [
    () => Object.defineProperty(window, "localStorage", { get() { throw new DOMException("denied", "SecurityError"); } }),
    () => { Storage.prototype.setItem = () => { throw new DOMException("full", "QuotaExceededError"); }; },
  ]) {
    const { context, page } = await surveyShown({ init: breakStorage });
    await giveScore(page, 9);
    await until("the answer", () => collector.stored.length === 1);
    assert.equal(page.logs.filter((l) => l.includes("localStorage is unavailable")).length, 1, page.logs.join("\n"));
    assert.ok(page.logs.every((l) => !l.startsWith("error")), page.logs.join("\n"));
    assert.deepEqual(page.errors, []);
    assert.equal(await page.evaluate(() => document.getElementById("host-status").textContent), "host script ran");
    await context.close();
  }
});

test("a body the collector refuses (400) is dropped with a warning, not retried forever", async () => {
  const { context, page } = await surveyShown({ mode: "bad" });
  await giveScore(page, 10);
  await until("the warning", () => page.logs.some((l) => l.startsWith("warning: [treue] the collector refused a-")));
  // Out of the queue, so no retry can send it again. Counted by its id: a
  // closing context of the test before may still deliver its own beacon here.
  assert.deepEqual(await queued(page), []);
  const id = page.logs.find((l) => l.startsWith("warning: [treue] the collector refused a-")).match(/refused (a-[\w-]+)/)[1];
  assert.equal(collector.requests.filter((r) => r.body.includes(id)).length, 1, collector.requests.map((r) => r.body).join("\n"));
  await context.close();
});

test("not shown again within the recontact wait; a dismissal snoozes; only on the trigger's pages", async () => {
  collector.reset();
  const context = await env.browser.newContext();
  await context.clock.setFixedTime(new Date("2026-11-25T10:00:00Z"));
  const rules = { trigger: { pages: ["thank_you"] }, recontact_days: 90, snooze_days: 7 };
  const page = await open(context, surveyPage(rules));
  await survey(page).locator(".score").first().waitFor();
  await giveScore(page, 10);
  await until("the answer", () => collector.stored.length === 1);
  await page.reload();
  await page.evaluate(() => window.treue.ready);
  await until("the decision", async () => (await status(page))?.startsWith("skip"));
  assert.equal(await status(page), "skip:answered");
  assert.equal(await survey(page).locator(".nps").count(), 0);
  // Day 89 of 90: still waiting; day 90: asked again.
  await context.clock.setFixedTime(new Date("2027-02-22T10:00:00Z"));
  await page.reload();
  await until("the decision", async () => (await status(page))?.startsWith("skip"));
  await context.clock.setFixedTime(new Date("2027-02-23T10:00:00Z"));
  await page.reload();
  await survey(page).locator(".score").first().waitFor();
  // Closed unanswered: a display with a snooze of 7 days, never a score.
  await survey(page).locator(".close").click();
  assert.equal(await status(page), "dismissed");
  assert.equal(await survey(page).locator(".nps").count(), 0);
  await page.reload();
  await until("the decision", async () => (await status(page)) === "skip:snoozed");
  await context.clock.setFixedTime(new Date("2027-03-02T10:00:00Z"));
  await page.reload();
  await survey(page).locator(".score").first().waitFor();
  assert.equal(collector.stored.length, 1, "the dismissal sent no answer");
  await until("the events", () => collector.events.length === 4);
  assert.deepEqual(collector.events.map((e) => e.name), ["survey_shown", "survey_shown", "survey_dismissed", "survey_shown"],
    "a dismissal is a display and an event of its own");
  // Another page type than the trigger's.
  const product = await open(context, pageUrl({
    ...Object.fromEntries(new URLSearchParams(surveyPage(rules).split("?")[1])),
    body: `<div data-treue="nps" data-context="product"></div>`,
  }));
  await until("the decision", async () => (await status(product)) === "skip:page");
  await context.close();
});

test("a delay, and exit intent on desktop, hold the survey back until they fire", async () => {
  collector.reset();
  const context = await env.browser.newContext();
  // The page's clock, moved on by the test instead of waited for.
  await context.clock.install();
  const page = await open(context, surveyPage({ trigger: { delay_seconds: 1, exit_intent: true } }));
  await until("the decision", async () => (await status(page)) === "waiting");
  await page.clock.runFor(1400);
  assert.equal(await survey(page).locator(".nps").count(), 0, "the delay is over, but no exit intent yet");
  await page.evaluate(() => document.dispatchEvent(new MouseEvent("mouseout", { clientY: 0, relatedTarget: null })));
  await survey(page).locator(".score").first().waitFor();
  assert.equal(await status(page), "shown");
  await context.close();
});

// The reference collector (collector/), as scripts/build builds it: every body
// the widget sends passes its checks, and its report counts what happened.
const referenceCollector = "target/release-native/treue-collector";
/** The reference collector on a free port with a fresh database; `extra` adds options. */
async function referenceCollectorStarted(extra = []) {
  const db = join(mkdtempSync(join(tmpdir(), "treue-nps-")), "answers.sqlite");
  const server = spawn(referenceCollector, ["serve", "--db", db, "--listen", "127.0.0.1:0", "--allow-origin", env.base, ...extra]);
  const first = await new Promise((resolve, reject) => {
    server.stdout.once("data", (d) => resolve(String(d)));
    server.once("error", reject);
  });
  return { db, server, base: first.match(/http:\/\/[0-9.]+:\d+/)[0] };
}
test("with the reference collector: answers, displays and a dismissal are accepted and reported", {
  skip: !existsSync(referenceCollector) && "build it first: scripts/build",
}, async () => {
  const { db, server, base } = await referenceCollectorStarted();
  try {
    const rules = "data:application/json," + encodeURIComponent(JSON.stringify({ version: 1, measure: { collector: base } }));
    const customer = `<script type="module">treue.setCustomer({ id: "c-42", segment: "key_account", tier: "gold" })</script>`;
    const statuses = [];
    const visit = async (act) => {
      const context = await env.browser.newContext();
      // On the context before the page opens: the display's event may go out while it loads.
      context.on("response", (r) => { if (r.url().startsWith(base)) statuses.push(r.status()); });
      const page = await open(context, pageUrl({ catalogue, rules, body: thankYou + customer }));
      await survey(page).locator(".score").first().waitFor();
      await act(page);
      await until("the queue to empty", () => page.evaluate(() => localStorage.getItem("treue.nps.queue.c:c-42") === null));
      await context.close();
    };
    await visit(async (page) => {
      await giveScore(page, 3);
      await survey(page).locator(".pick input[value=not_attentive]").check();
      await survey(page).locator("textarea").fill("Keiner rief zurück");
      await survey(page).locator(".nps-form button[type=submit]").click();
    });
    await visit((page) => survey(page).locator(".close").click());
    await visit((page) => giveScore(page, 10));
    assert.ok(statuses.length >= 5 && statuses.every((s) => s === 200), `statuses ${statuses}`);
    const report = JSON.parse(execFileSync(referenceCollector, ["report", "--db", db, "--json"]));
    const { answers, promoters, detractors, displays, dismissed } = report.overall;
    assert.deepEqual({ answers, promoters, detractors, displays, dismissed },
      { answers: 2, promoters: 1, detractors: 1, displays: 3, dismissed: 1 });
    assert.equal(report.by_segment[0].label, "key_account");
  } finally {
    server.kill();
  }
});

// A collector over its rate limit answers 429: the widget's queue keeps the
// answer and sends it again, and it is stored once (docs/collector.md, protection).
test("with the reference collector: an answer refused by a rate limit arrives later, once", {
  skip: !existsSync(referenceCollector) && "build it first: scripts/build",
}, async () => {
  const { db, server, base } = await referenceCollectorStarted(["--rate-per-customer", "1/s"]);
  try {
    const rules = "data:application/json," + encodeURIComponent(JSON.stringify({ version: 1, measure: { collector: base } }));
    const customer = `<script type="module">treue.setCustomer({ id: "c-42" })</script>`;
    const statuses = [];
    // The same customer on two devices (two browser contexts) answers at once: the second answer
    // is over the budget of one a second.
    const visits = [];
    for (const score of [10, 9]) {
      const context = await env.browser.newContext();
      const page = await open(context, pageUrl({ catalogue, rules, body: thankYou + customer }));
      page.on("response", (r) => { if (r.url() === `${base}/v1/answers`) statuses.push(r.status()); });
      await survey(page).locator(".score").first().waitFor();
      visits.push({ context, page, score });
    }
    await Promise.all(visits.map(({ page, score }) => giveScore(page, score)));
    await until("a 429", () => statuses.includes(429), 20000);
    for (const { context, page } of visits) {
      await until("the queue to empty", () => page.evaluate(() => localStorage.getItem("treue.nps.queue.c:c-42") === null), 30000);
      await context.close();
    }
    const report = JSON.parse(execFileSync(referenceCollector, ["report", "--db", db, "--json"]));
    assert.deepEqual([report.overall.answers, report.overall.promoters], [2, 2], `statuses ${statuses}`);
  } finally {
    server.kill();
  }
});

// Verified answers: the thank-you page passes the order token the shop's backend
// signed (docs/collector.md), the widget sends it with the answer, the collector verifies it.
test("with the reference collector: an order token passed with the customer makes the answer verified", {
  skip: !existsSync(referenceCollector) && "build it first: scripts/build",
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "treue-secret-"));
  const secret = "0123456789abcdef0123456789abcdef";
  writeFileSync(join(dir, "order-secret"), secret);
  const { db, server, base } = await referenceCollectorStarted(["--order-secret-file", join(dir, "order-secret")]);
  try {
    const message = `v1|A-10023|c-42|${Math.floor(Date.now() / 1000) + 86400}`;
    const token = `${message}|${createHmac("sha256", secret).update(message).digest("hex")}`;
    const rules = "data:application/json," + encodeURIComponent(JSON.stringify({ version: 1, measure: { collector: base } }));
    const customer = `<script type="module">treue.setCustomer(${JSON.stringify({ id: "c-42", order_token: token })})</script>`;
    const context = await env.browser.newContext();
    const page = await open(context, pageUrl({ catalogue, rules, body: thankYou + customer }));
    await survey(page).locator(".score").first().waitFor();
    await giveScore(page, 10);
    await until("the queue to empty", () => page.evaluate(() => localStorage.getItem("treue.nps.queue.c:c-42") === null));
    await context.close();
    const all = JSON.parse(execFileSync(referenceCollector, ["report", "--db", db, "--json"]));
    assert.deepEqual([all.overall.answers, all.overall.verified], [1, 1]);
  } finally {
    server.kill();
  }
});
