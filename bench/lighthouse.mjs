// scripts/bench-lighthouse's driver: Lighthouse (mobile preset) on each demo
// page with and without the treue tag, served as a CDN would (brotli), the
// median of N runs each, and the deltas. It reports; it never fails on a figure.
//
//   node bench/lighthouse.mjs [--runs 3] [--readme] [--page product] [--keep DIR]
//
// --page measures only the pages whose name contains the word (or one of
// several, comma-separated: --page home,product); --keep writes each run's Lighthouse report (JSON) into DIR, to read
// what its estimate counted (the LCP element, requests, main-thread tasks).
import { createServer } from "node:http";
import { mkdtemp, readFile, writeFile, readdir, cp, rm } from "node:fs/promises";
import { tmpdir, cpus, totalmem } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { handler } from "../scripts/serve.mjs";
import { laterEmbed } from "../scripts/later-embed.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(option("--runs") || 3) || 3;
const only = option("--page");
const keep = option("--keep");
if (only && args.includes("--readme")) throw new Error("--readme writes the whole table: not with --page");
const www = join(root, "www");
const data = join(www, "data");

// The same pages twice: as they are, and with the treue tag taken out; and
// the cart once more with data-load="lazy" (its loyalty panel is in the first
// viewport, so by default treue loads there at once); and every page once
// more with README's later embed (`*-later.html`, the page itself on the
// site without treue). The rules name a
// same-origin collector path, so no request leaves the machine.
const scratch = await mkdtemp(join(tmpdir(), "treue-lighthouse-"));
const tag = /<script[^>]*src="\/treue\/treue\.js"[^>]*><\/script>\n?/;
const site = {};
for (const variant of ["with", "without"]) {
  site[variant] = join(scratch, variant);
  await cp(www, site[variant], { recursive: true, filter: (src) => !src.startsWith(data) });
  const cart = await readFile(join(www, "cart.html"), "utf8");
  await writeFile(join(site[variant], "cart-lazy.html"), cart.replace(tag, (t) => t.replace("<script ", '<script data-load="lazy" ')));
  for (const name of ["index", "category", "product", "cart", "thank-you"]) {
    const html = await readFile(join(www, `${name}.html`), "utf8");
    await writeFile(join(site[variant], `${name}-later.html`), variant === "with" ? html.replace(tag, laterEmbed) : html);
  }
  if (variant === "with") continue;
  for (const name of (await readdir(site.without)).filter((n) => n.endsWith(".html"))) {
    const html = await readFile(join(site.without, name), "utf8");
    await writeFile(join(site.without, name), html.replace(tag, ""));
  }
}
const rules = JSON.parse(await readFile(join(data, "rules.json"), "utf8"));
if (rules.measure?.collector) rules.measure.collector = "/collector";
await writeFile(join(scratch, "rules.json"), JSON.stringify(rules));

async function serve(site) {
  const mounts = [["/treue/", join(root, "pkg")], ["/data/rules.json", join(scratch, "rules.json"), true], ["/data/", data], ["/", site]];
  const server = createServer(handler({ mounts }));
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}
const sites = { with: await serve(site.with), without: await serve(site.without) };
// serve.mjs compresses a file on its first request and keeps the result, as a
// CDN does; asked once here, so the first measured run does not pay for it.
const files = ["/shop.css", "/shop.js", "/data/shop.json", "/data/catalogue.bin", "/data/rules.json", "/treue/treue.js", "/treue/treue_glue.js", "/treue/treue_bg.wasm"];
for (const { base } of Object.values(sites)) {
  for (const path of [...files, ...(await readdir(site.with)).filter((n) => n.endsWith(".html")).map((n) => `/${n}`)]) {
    await (await fetch(base + path, { headers: { "accept-encoding": "br" } })).arrayBuffer();
  }
}

const pages = [
  ["home", "/"],
  ["category", "/category.html?c=kameras"],
  ["product", "/product.html?sku=KAM-00001"],
  ["home, later embed", "/index-later.html"],
  ["category, later embed", "/category-later.html?c=kameras"],
  ["product, later embed", "/product-later.html?sku=KAM-00001"],
  ["cart (empty)", "/cart.html"],
  ["cart (empty), data-load=\"lazy\"", "/cart-lazy.html"],
  ["cart (empty), later embed", "/cart-later.html"],
  ["thank-you", "/thank-you.html"],
  ["thank-you, later embed", "/thank-you-later.html"],
];

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const figures = {};
try {
  for (const [name, path] of pages.filter(([name]) => !only || only.split(",").some((word) => name.includes(word)))) {
    for (let i = 0; i < runs; i++) {
      // Alternate, so a slow moment of the shared machine falls on both.
      for (const variant of ["with", "without"]) {
        const { lhr } = await lighthouse(sites[variant].base + path, { port: chrome.port, output: "json", onlyCategories: ["performance"], logLevel: "error" });
        if (keep) await writeFile(join(keep, `${name.replace(/\W+/g, "-")}-${variant}-${i + 1}.json`), JSON.stringify(lhr));
        const a = lhr.audits;
        const row = {
          score: lhr.categories.performance.score * 100,
          lcp: a["largest-contentful-paint"].numericValue,
          cls: a["cumulative-layout-shift"].numericValue,
          tbt: a["total-blocking-time"].numericValue,
          si: a["speed-index"].numericValue,
          bytes: a["total-byte-weight"].numericValue,
        };
        ((figures[name] ??= { with: [], without: [] })[variant]).push(row);
        process.stderr.write(`${name} ${variant} ${i + 1}/${runs}: score ${row.score} LCP ${Math.round(row.lcp)} ms CLS ${row.cls.toFixed(3)} TBT ${Math.round(row.tbt)} ms SI ${Math.round(row.si)} ms ${Math.round(row.bytes / 1000)} KB\n`);
      }
    }
  }
} finally {
  await chrome.kill();
  for (const { server } of Object.values(sites)) server.close();
  await rm(scratch, { recursive: true, force: true });
}

const pick = (rows, key) => median(rows.map((r) => r[key]));
const fmt = {
  score: (x) => x.toFixed(0), lcp: (x) => `${(x / 1000).toFixed(2)} s`, cls: (x) => x.toFixed(3),
  tbt: (x) => `${x.toFixed(0)} ms`, si: (x) => `${(x / 1000).toFixed(2)} s`, bytes: (x) => `${(x / 1000).toFixed(0)} KB`,
};
const delta = {
  score: (d) => `${d >= 0 ? "+" : ""}${d.toFixed(0)}`, lcp: (d) => `${d >= 0 ? "+" : ""}${d.toFixed(0)} ms`,
  cls: (d) => `${d >= 0 ? "+" : ""}${d.toFixed(3)}`, tbt: (d) => `${d >= 0 ? "+" : ""}${d.toFixed(0)} ms`,
  si: (d) => `${d >= 0 ? "+" : ""}${d.toFixed(0)} ms`, bytes: (d) => `${d >= 0 ? "+" : ""}${(d / 1000).toFixed(0)} KB`,
};
const keys = ["score", "lcp", "cls", "tbt", "si", "bytes"];
const lines = [
  "| page | score | LCP | CLS | TBT | Speed Index | bytes |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  ...Object.entries(figures).map(([name, f]) =>
    `| ${name} | ${keys.map((k) => { const w = pick(f.with, k), o = pick(f.without, k); return `${fmt[k](w)} (${delta[k](w - o)})`; }).join(" | ")} |`),
];
const version = execFileSync(process.env.CHROMIUM ?? "/usr/bin/chromium", ["--version"]).toString().trim();
const lighthouseVersion = JSON.parse(await readFile(join(root, "node_modules/lighthouse/package.json"), "utf8")).version;
const head = `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0].model}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${version}; Lighthouse ${lighthouseVersion}, mobile preset (simulated slow 4G, 4x CPU), median of ${runs} runs with treue (and its difference to the page without the tag), brotli as serve.mjs sends it.`;
const table = `${head}\n\n${lines.join("\n")}\n`;
console.log(table);
if (args.includes("--readme")) {
  const readme = join(root, "README.md");
  const text = await readFile(readme, "utf8");
  const start = "<!-- lighthouse:start -->", end = "<!-- lighthouse:end -->";
  if (text.includes(start)) {
    await writeFile(readme, text.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${table}${end}`));
    console.error("README.md updated");
  }
}
