// Shared by the end-to-end tests: one server (the demo shop's own, plus the
// test fixtures) and one headless Chromium, driven with playwright-core.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { chromium } from "playwright-core";
import { handler, defaultMounts } from "../../scripts/serve.mjs";
import { laterEmbed, hash as laterHash } from "../../scripts/later-embed.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "..", "fixtures");

// Test pages built from query parameters, so each test states its own setup:
//   /page?catalogue=/fixtures/catalogue.json&rules=...&load=eager&body=<mount points>&twice=1
// `head` is markup before the script tag (a dataLayer, the queue snippet).
function testPage(url) {
  const p = url.searchParams;
  const attr = (name) => (p.has(name) ? ` data-${name}="${p.get(name)}"` : "");
  const one = `<script type="module" src="/treue/treue.js"${attr("catalogue")}${attr("rules")}${attr("locale")}${attr("load")}></script>`;
  // `later=1`: README's later embed (the same tag made inert, then its inline script).
  const tag = p.has("later") ? laterEmbed(one) : one;
  // The icon: no /favicon.ico request, whose 404 the browser logs as an error
  // once per session, so a page's console does not depend on the tests before.
  return `<!doctype html><html lang="${p.get("lang") ?? "de"}"><head><meta charset="utf-8"><title>treue test</title><link rel="icon" href="data:,">
${p.get("head") ?? ""}${tag}${p.has("twice") ? `\n<script type="module" src="/treue/treue.js?copy"${attr("catalogue")}></script>` : ""}
<script type="module" src="/fixtures/host.js"></script></head>
<body><main id="main">${p.get("body") ?? ""}</main><p id="host-status"></p></body></html>`;
}

/** `pkg`: another built bundle to serve at /treue/ (a benchmark comparing two builds). */
export async function start({ pkg } = {}) {
  const serve = handler({ csp: false, ...(pkg && { mounts: defaultMounts().map(([prefix, path]) => [prefix, prefix === "/treue/" ? pkg : path]) }) });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    if (url.pathname === "/page") {
      const headers = { "content-type": "text/html; charset=utf-8" };
      if (url.searchParams.has("csp")) {
        const { CSP } = await import("../../scripts/serve.mjs");
        // The later embed's inline script is allowed by the hash README gives for it, and only so.
        headers["content-security-policy"] = url.searchParams.has("later") ? CSP.replace("script-src 'self'", `script-src 'self' ${laterHash}`) : CSP;
      }
      res.writeHead(200, headers).end(testPage(url));
    } else if (url.pathname.startsWith("/fixtures/")) {
      try {
        const body = await readFile(join(fixtures, url.pathname.slice("/fixtures/".length).replace(/\.\./g, "")));
        const type = url.pathname.endsWith(".js") ? "text/javascript" : url.pathname.endsWith(".json") ? "application/json" : "application/octet-stream";
        res.writeHead(200, { "content-type": type }).end(body);
      } catch {
        res.writeHead(404, { "content-type": "text/html" }).end("<!doctype html><h1>404</h1>");
      }
    } else {
      serve(req, res);
    }
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage", "--no-first-run"],
  });
  return {
    base,
    browser,
    /** A fresh page that records console messages and uncaught errors. */
    async open(path) {
      const page = await browser.newPage();
      page.logs = [];
      page.errors = [];
      page.on("console", (m) => page.logs.push(`${m.type()}: ${m.text()}`));
      page.on("pageerror", (e) => page.errors.push(e.message));
      await page.goto(base + path);
      await page.evaluate(() => window.treue?.ready);
      return page;
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/**
 * Holds the page's `load`: `/fixtures/slow.svg` (put `slowPicture` in the
 * page) is answered only when the test calls the returned `release()`.
 */
export async function holdLoad(context) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await context.route("**/fixtures/slow.svg", async (route) => {
    await released;
    await route.fulfill({ status: 200, contentType: "image/svg+xml", body: '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>' });
  });
  return release;
}
export const slowPicture = `<img src="/fixtures/slow.svg" width="1" height="1" alt="">`;

/** The test catalogue and rules the server answers at /fixtures/ (tests/fixtures/). */
export const fixtureUrls = { catalogue: "/fixtures/catalogue.json", rules: "/fixtures/rules.json" };
/** Two cross-sell widgets near the top of a page: in the first viewport. */
export const twoCrossSells = `<div data-treue="cross-sell" data-sku="CAM-1"></div><div data-treue="cross-sell" data-sku="COF-1"></div>`;

/** Builds a /page URL from its settings. */
export function pageUrl(settings) {
  return "/page?" + new URLSearchParams(settings).toString();
}

/** States and card titles of every widget, read through the open shadow roots. */
export function widgets(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("[data-treue]")].map((el) => ({
      state: el.getAttribute("data-treue-state"),
      titles: [...(el.shadowRoot?.querySelectorAll(".card .title") ?? [])].map((t) => t.textContent),
    })),
  );
}

/** Waits until `check()` is true, polling; fails naming `what` after `ms`. */
export async function until(what, check, ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The demo rules name the reference collector on its own port (scripts/demo runs
 * it). In tests a same-origin stand-in takes its place: the rules are served
 * with `/collector`, which answers 204; what was sent there is pushed onto
 * `sent` (paths). `target` is a page or a browser context.
 */
export async function standInCollector(target, sent = []) {
  const rulesFile = fileURLToPath(new URL("../../www/data/rules.json", import.meta.url));
  await target.route("**/data/rules.json", async (route) => {
    const rules = JSON.parse(await readFile(rulesFile, "utf8"));
    if (rules.measure?.collector) rules.measure.collector = "/collector";
    await route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(rules) });
  });
  await target.route("**/collector/**", (route) => {
    sent.push(new URL(route.request().url()).pathname);
    return route.fulfill({ status: 204 });
  });
  return sent;
}

/**
 * `treue preview` (the built native command) on a free port over the demo
 * shop's catalogue (`catalogue`, below the repository: its file, or its
 * sharded directory) and `rules` (a path); resolves to its origin and a `stop()`.
 */
export async function startPreview(rules, catalogue = "www/data/catalogue.bin") {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const { spawn } = await import("node:child_process");
  const server = spawn(join(root, "target/release-native/treue"), [
    "preview", "--catalogue", join(root, catalogue), "--rules", rules,
    "--port", "0", "--bundle", join(root, "pkg"), "--site", join(root, "www"),
  ], { stdio: ["ignore", "pipe", "inherit"] });
  const base = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const found = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (found) resolve(found[0]);
    });
    server.on("exit", (code) => reject(new Error(`treue preview exited with ${code}`)));
  });
  return { base, stop: () => server.kill() };
}
