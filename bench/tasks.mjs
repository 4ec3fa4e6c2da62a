// treue's main-thread tasks on each demo page: every task in which treue's
// code ran (a trace event naming a /treue/ script), with its thread CPU time
// (robust on a shared machine, where wall time also counts the other
// processes' turns) and its wall time, and when the first widget showed
// content. Lighthouse's mobile preset multiplies each task's observed time by
// 4, so a task above 12.5 ms here counts as blocking there. Reports; never
// fails on a figure.
//
//   node bench/tasks.mjs [--runs 3] [--rate 1] [--page product] [--all] [--pkg DIR]
//
// --rate slows the CPU as Chromium's DevTools do (4: Lighthouse's mobile
// CPU); --all lists every task, not only those above 2 ms of CPU; --pkg
// measures another build of the bundle (say, main's) instead of pkg/.
import { start, standInCollector } from "../tests/e2e/harness.mjs";

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const runs = Number(option("--runs") ?? 3);
const rate = Number(option("--rate") ?? 1);
const only = option("--page");
const pages = [
  ["home", "/"],
  ["category", "/category.html?c=kameras"],
  ["product", "/product.html?sku=KAM-00001"],
  ["cart", "/cart.html"],
  ["thank-you", "/thank-you.html"],
].filter(([name]) => !only || name.includes(only));

// Before the page's own scripts: the moment a widget first has content.
function watchFirstContent() {
  const look = () => {
    if ([...document.querySelectorAll("[data-treue]")].some((el) => el.shadowRoot?.querySelector(".treue > *"))) {
      window.__firstWidget = performance.now();
    } else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

const ms = (us) => us / 1000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const site = await start({ pkg: option("--pkg") });
try {
  for (const [name, path] of pages) {
    const summary = [];
    for (let i = 0; i < runs; i++) {
      const context = await site.browser.newContext({ viewport: { width: 412, height: 823 } });
      await standInCollector(context);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate });
      await page.addInitScript(watchFirstContent);
      const events = [];
      cdp.on("Tracing.dataCollected", ({ value }) => events.push(...value));
      const complete = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
      await cdp.send("Tracing.start", { traceConfig: { includedCategories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute"] }, transferMode: "ReportEvents" });
      await page.goto(site.base + path);
      await page.evaluate(() => window.treue?.ready);
      // The last widget renders a moment after `ready`.
      await page.waitForFunction(() => document.querySelectorAll("[data-treue-state]").length >= document.querySelectorAll("[data-treue]").length);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 200))));
      const firstWidget = await page.evaluate(() => window.__firstWidget ?? null);
      await cdp.send("Tracing.end");
      await complete;
      await context.close();

      // The page's main thread: the one that ran most of treue's scripts.
      const counts = new Map();
      for (const e of events) {
        if (e.ph === "X" && String(e.args?.data?.url ?? "").includes("/treue/")) counts.set(`${e.pid}:${e.tid}`, (counts.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
      }
      const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
      const thread = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === "X");
      const tasks = thread.filter((e) => e.name === "RunTask");
      const navigation = events.find((e) => e.name === "navigationStart" && `${e.pid}:${e.tid}` === main)?.ts ?? tasks[0]?.ts ?? 0;
      const ours = [];
      for (const task of tasks) {
        const inner = thread.filter((e) => e.ts >= task.ts && e.ts < task.ts + task.dur && e !== task);
        if (!inner.some((e) => String(e.args?.data?.url ?? "").includes("/treue/"))) continue;
        ours.push({ at: ms(task.ts - navigation), cpu: ms(task.tdur ?? task.dur), wall: ms(task.dur) });
      }
      summary.push({ ours, firstWidget });
    }
    console.log(`\n${name} (CPU ${rate}x)`);
    for (const [i, { ours, firstWidget }] of summary.entries()) {
      const shown = ours.filter((t) => args.includes("--all") || t.cpu >= 2);
      console.log(`  run ${i + 1}: ${ours.length} tasks of treue's, ${ours.reduce((s, t) => s + t.cpu, 0).toFixed(1)} ms CPU in all, longest ${Math.max(0, ...ours.map((t) => t.cpu)).toFixed(1)} ms CPU; first widget content at ${firstWidget === null ? "-" : `${Math.round(firstWidget)} ms`}`);
      console.log(`    ${shown.map((t) => `${t.cpu.toFixed(1)}/${t.wall.toFixed(1)}`).join("  ")}  (CPU/wall ms, in order)`);
    }
    const longest = summary.map(({ ours }) => Math.max(0, ...ours.map((t) => t.cpu)));
    const firsts = summary.map((s) => s.firstWidget).filter((x) => x !== null);
    console.log(`  median: longest task ${median(longest).toFixed(1)} ms CPU${firsts.length ? `, first widget content at ${Math.round(median(firsts))} ms` : ""}`);
  }
} finally {
  await site.close();
}
