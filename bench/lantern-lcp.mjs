// What Lighthouse's simulated (Lantern) LCP counted on one demo page: the
// nodes of its optimistic and pessimistic graphs (requests and main-thread
// tasks) with their simulated start and end, and for each request the
// simulated connection it got (a fresh one pays a handshake: connectionTime
// 225 ms instead of 75 ms at the mobile preset's 150 ms RTT). A diagnosis
// tool for README's Lighthouse section; prints, never fails.
//
//   node bench/lantern-lcp.mjs [path] [site dir] [--strip]
//
// path: e.g. "/product.html?sku=KAM-00001"; site dir: www/ or a changed copy
// of it; --strip: without the treue tag. RUNS=n repeats, PKG=dir serves
// another build at /treue/.
import { createServer } from "node:http";
import { mkdtemp, readFile, writeFile, readdir, cp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import { handler } from "../scripts/serve.mjs";
import { Simulator } from "@paulirish/trace_engine/models/trace/lantern/simulation/Simulator.js";
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const [path = "/product.html?sku=KAM-00001", siteDir = join(root, "www"), ...rest] = process.argv.slice(2);
const strip = rest.includes("--strip");
const data = join(root, "www", "data");
const scratch = await mkdtemp(join(tmpdir(), "treue-lantern-"));
let site = siteDir;
if (strip) {
  site = join(scratch, "site");
  await cp(siteDir, site, { recursive: true, filter: (s) => !s.startsWith(data) });
  const tag = /<script[^>]*src="\/treue\/treue\.js"[^>]*><\/script>\n?/;
  for (const n of (await readdir(site)).filter((n) => n.endsWith(".html"))) await writeFile(join(site, n), (await readFile(join(site, n), "utf8")).replace(tag, ""));
}
const rules = JSON.parse(await readFile(join(data, "rules.json"), "utf8"));
if (rules.measure?.collector) rules.measure.collector = "/collector";
await writeFile(join(scratch, "rules.json"), JSON.stringify(rules));
const server = createServer(handler({ mounts: [["/treue/", process.env.PKG ?? join(root, "pkg")], ["/data/rules.json", join(scratch, "rules.json"), true], ["/data/", data], ["/", site]] }));
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}`;
for (const p of ["/shop.css", "/shop.js", "/data/shop.json", "/data/catalogue.bin", "/data/rules.json", "/treue/treue.js", "/treue/treue_glue.js", "/treue/treue_bg.wasm", path]) await (await fetch(base + p, { headers: { "accept-encoding": "br" } })).arrayBuffer();
const chrome = await chromeLauncher.launch({ chromePath: "/usr/bin/chromium", chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
const runs = Number(process.env.RUNS ?? 1);
try {
  for (let i = 0; i < runs; i++) {
    const { lhr } = await lighthouse(base + path, { port: chrome.port, output: "json", onlyCategories: ["performance"], logLevel: "error" });
    const m = lhr.audits.metrics.details.items[0];
    console.log(`\n=== LCP ${Math.round(lhr.audits["largest-contentful-paint"].numericValue)} FCP ${Math.round(lhr.audits["first-contentful-paint"].numericValue)} TBT ${Math.round(lhr.audits["total-blocking-time"].numericValue)} observed LCP ${m.observedLargestContentfulPaint} FCP ${m.observedFirstContentfulPaint} DCL ${m.observedDomContentLoaded} load ${m.observedLoad}`);
    for (const label of ["optimisticLargestContentfulPaint", "pessimisticLargestContentfulPaint"]) {
      const timings = Simulator.allNodeTimings.get(label);
      if (!timings) continue;
      let end = 0;
      const rows = [];
      for (const [node, t] of timings) {
        end = Math.max(end, t.endTime);
        const what = node.type === "network" ? `net ${node.request.url.replace(base, "")} ${node.request.priority} ${node.request.transferSize}B conn ${node.request.connectionId} reused ${node.request.connectionReused} ${JSON.stringify(t.connectionTiming ?? {})}` : `cpu ${(node.duration / 1000).toFixed(1)}ms obs@${((node.startTime - timings.keys().next().value.startTime) / 1000).toFixed(0)} ${[...node.getEvaluateScriptURLs()].map((u) => u.replace(base, "")).join(",")}${node.didPerformLayout() ? " layout" : ""}${node.childEvents.some((e) => e.name === "Paint") ? " paint" : ""}${node.childEvents.some((e) => e.name === "ParseHTML") ? " parse" : ""} ${[...new Set(node.childEvents.map((e) => e.name))].filter((n) => /FunctionCall|TimerFire|EventDispatch|FireIdle|RunMicro|v8.compile|Evaluate|ResourceReceive|XHR|IntersectionObserver|FireAnimationFrame/.test(n)).join(" ")}`;
        rows.push(`${String(Math.round(t.startTime)).padStart(6)} ${String(Math.round(t.endTime)).padStart(6)}  ${what}`);
      }
      console.log(`-- ${label}: ${Math.round(end)} ms, ${timings.size} nodes`);
      console.log(rows.join("\n"));
    }
  }
} finally {
  await chrome.kill();
  server.close();
  await rm(scratch, { recursive: true, force: true });
}
