// treue.js: the one file a shop's script tag loads.
//
//   <script type="module" src="/treue/treue.js"
//           data-catalogue="/treue/catalogue.bin" data-rules="/treue/rules.json"></script>
//
// It loads the wasm module once per page, exposes `window.treue`, and keeps the
// shop safe from us: nothing here throws into the page, and if the wasm
// instance traps, every widget is emptied and the page goes on.
//
// When: a widget in the first viewport (or `data-load="eager"`) starts
// everything at once; `data-load="lazy"` never does. Otherwise the tag waits
// until the page has loaded what it shows first (after `load`, no new largest
// paint and no finished request for a moment, then an idle moment), or until
// the visitor first scrolls, taps or types, and then asks at low priority:
// requests made while the page is still loading would share the line with its
// own images and data and delay its largest paint (README: Bundle size and
// speed).
//
// Then everything the widgets need is requested at once, in parallel: the wasm
// (compiled as it streams in, from the browser's code cache on a return
// visit), its JS glue, the catalogue and the rules. Asking for the data only
// once the wasm runs would put the downloads one after the other.

const VERSION = "0.1.0";
const LOG = "[treue]";
/** A data request still running after this is given up (and retried by src/load.rs, which uses the same limit). */
const TIMEOUT_MS = 10_000;
/** After `load`, the page counts as loaded once it had no new largest paint and no finished request for this long... */
const QUIET_MS = 500;
/** ...or at the latest this long after `load`, on a page that keeps loading (polling, a carousel). */
const SETTLE_MAX_MS = 3_000;
/** The survey floats and is never the reason to load early: it must not delay the page's largest paint. */
const FLOATING = new Set(["nps"]);

// The glue's exports once it is loaded (`start`, `setCart`, ...).
let wasm;

const existing = globalThis.treue;
if (existing && existing.version) {
  // A second script tag (or a second copy under another URL) finds the first
  // instance: a second init would mean a second, conflicting wasm state.
  existing.refresh();
} else {
  // The snippet in README defines `window.treue` as a queue before the tag
  // (`{q: [[name, args], ...]}`): calls made before this file ran.
  boot(Array.isArray(existing?.q) ? existing.q : []);
}

function boot(early) {
  const script = ownScript();
  const config = {
    catalogue: script?.dataset.catalogue ?? null,
    rules: script?.dataset.rules ?? null,
    locale: script?.dataset.locale ?? null,
    preview: script?.dataset.preview ?? null,
  };
  // `forget()` is the visitor's request: it does not wait for the page to load.
  let asked;
  const askedNow = new Promise((resolve) => { asked = resolve; });
  const when = Promise.race([whenToStart(script), askedNow.then(() => "auto")]);

  let dead = false;
  let started = false;
  // Calls the shop makes before the wasm is running; replayed in order.
  const queued = [];

  const die = (error) => {
    if (dead) return;
    dead = true;
    console.error(`${LOG} stopped after an internal error; the widgets are hidden, the shop is not affected.`, error);
    for (const el of document.querySelectorAll("[data-treue]")) {
      el.shadowRoot?.replaceChildren();
      el.setAttribute("data-treue-state", "failed");
    }
  };

  const isOurTrap = (error) =>
    error instanceof WebAssembly.RuntimeError && String(error.stack ?? "").includes("treue_bg.wasm");

  // Traps inside event handlers and promise jobs surface here, not at a call
  // site; handled here, so they are not reported as the page's uncaught errors.
  const onTrap = (event, error) => {
    if (!isOurTrap(error)) return;
    event.preventDefault();
    die(error);
  };
  addEventListener("error", (event) => onTrap(event, event.error));
  addEventListener("unhandledrejection", (event) => onTrap(event, event.reason));

  const call = (name, args) => {
    if (dead) return undefined;
    if (!started) {
      queued.push([name, args]);
      return undefined;
    }
    try {
      return wasm[name](...args);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) die(error);
      else console.error(`${LOG} ${name} failed`, error);
      return undefined;
    }
  };

  let running;
  const initialized = new Promise((resolve) => { running = resolve; });

  const ready = (async () => {
    try {
      const priority = await when;
      const module = quietly(compile(new URL("treue_bg.wasm", import.meta.url), priority));
      const glue = quietly(import("./treue_glue.js"));
      // The first attempt at each file, handed to the wasm's `start`.
      // A directory (ending in "/") is a sharded catalogue: its index comes first.
      const catalogue = config.catalogue?.endsWith("/") ? config.catalogue + "index.bin" : config.catalogue;
      const attempts = { catalogue: firstAttempt(catalogue, priority), rules: firstAttempt(config.rules, priority) };
      wasm = await glue;
      // Compiled already: instantiated at once. Starting (reading the rules
      // and the catalogue) is the next task's work: on a slow phone the two
      // together would block input for longer than a task should.
      wasm.initSync({ module: await module });
      started = true;
      running();
      for (const [name, args] of queued.splice(0)) call(name, args);
      await nextTask();
      // `alive`: the widgets mount one per task; none after a trap.
      const ok = await wasm.start(config, { ...attempts, alive: () => !dead });
      return { ok: Boolean(ok) && !dead };
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) die(error);
      else console.error(`${LOG} could not start: ${error?.message ?? error}`);
      dead = true;
      return { ok: false };
    } finally {
      document.dispatchEvent(new CustomEvent("treue:ready"));
    }
  })();

  const api = Object.freeze({
    version: VERSION,
    /** Resolves (never rejects) once the widgets are mounted or have given up. */
    ready,
    setCart: (lines) => { call("setCart", [lines]); },
    setCustomer: (customer) => { call("setCustomer", [customer]); },
    refresh: () => { call("refresh", []); },
    /** Removes everything treue stored on this device; resolves when done, never rejects. */
    forget: async () => {
      // Waits for the wasm to run, not for the catalogue to load.
      asked();
      await Promise.race([initialized, ready]);
      try {
        if (started && !dead) return void (await wasm.forget());
      } catch (error) {
        if (error instanceof WebAssembly.RuntimeError) die(error);
      }
      await forgetWithoutWasm();
    },
  });
  try {
    Object.defineProperty(globalThis, "treue", { value: api, configurable: true, enumerable: false, writable: false });
  } catch {
    // A stub declared with `var treue` cannot be redefined, only assigned.
    globalThis.treue = api;
  }
  // Replayed through the API, in order, so they reach the store as actions
  // before the files are read and the first widget renders.
  for (const entry of early) {
    const [name, args] = Array.isArray(entry) ? entry : [];
    if (typeof name === "string" && Object.hasOwn(api, name) && typeof api[name] === "function") {
      api[name](...(Array.isArray(args) ? args : []));
    } else {
      console.error(`${LOG} queued call ignored: treue.${String(name)} is not a function of treue`);
    }
  }
}

// What the wasm's forget() removes (docs/privacy.md), for when the wasm could
// not load or has trapped: a visitor's request to forget must not depend on it.
async function forgetWithoutWasm() {
  try {
    const keys = [];
    for (let i = 0; i < localStorage.length; i += 1) {
      const key = localStorage.key(i);
      if (key?.startsWith("treue.")) keys.push(key);
    }
    for (const key of keys) localStorage.removeItem(key);
  } catch { /* storage blocked: nothing was stored */ }
  try {
    await globalThis.caches?.delete("treue-catalogue");
  } catch { /* no Cache API: nothing was kept */ }
}

// The requests' priority: "auto" (the browser's usual) at once when
// `data-load="eager"` or a widget's mount point in the page's HTML is in the
// first viewport (unless `data-load="lazy"`); otherwise "low", once the page
// has loaded or the visitor acts, whichever comes first.
async function whenToStart(script) {
  const load = script?.dataset.load;
  if (load === "eager" || (load !== "lazy" && (await inFirstViewport()))) return "auto";
  const stop = new AbortController();
  await Promise.race([loaded(), firstInteraction(stop.signal)]);
  stop.abort();
  return "low";
}

// Whether a mount point already in the page (not the floating survey) shows
// in the viewport, as the browser's first layout places it.
function inFirstViewport() {
  const shown = [...document.querySelectorAll("[data-treue]")].filter((el) => !FLOATING.has(el.getAttribute("data-treue")));
  if (!shown.length || typeof IntersectionObserver !== "function") return Promise.resolve(false);
  return new Promise((resolve) => {
    // The first callback has an entry for every mount point observed here.
    const observer = new IntersectionObserver((entries) => {
      observer.disconnect();
      resolve(entries.some((entry) => entry.isIntersecting));
    });
    for (const el of shown) observer.observe(el);
  });
}

// Resolves once the page has loaded what it shows first: after `load`, when
// neither a new largest-paint candidate nor a finished request has come for
// QUIET_MS, at an idle moment; at the latest SETTLE_MAX_MS after `load`.
// README's later embed applies the same rule inline, before this file is
// requested (tests/e2e/later-embed.test.mjs checks the two agree).
function loaded() {
  return new Promise((resolve) => {
    let last = performance.now();
    const types = globalThis.PerformanceObserver?.supportedEntryTypes ?? [];
    const observer = types.length ? new PerformanceObserver(() => { last = performance.now(); }) : null;
    for (const type of ["largest-contentful-paint", "resource"]) {
      if (types.includes(type)) observer.observe({ type });
    }
    const settle = () => {
      const since = performance.now();
      const check = () => {
        const now = performance.now();
        const quiet = now - last;
        if (quiet < QUIET_MS && now - since < SETTLE_MAX_MS) {
          setTimeout(() => idle(check), QUIET_MS - quiet);
          return;
        }
        observer?.disconnect();
        resolve();
      };
      idle(check);
    };
    if (document.readyState === "complete") settle();
    else addEventListener("load", settle, { once: true });
  });
}

// The visitor's first scroll, tap or key: the page's largest paint is final
// from then on (browsers stop measuring it at the first input), and a widget
// further down should be ready when it is reached.
function firstInteraction(signal) {
  return new Promise((resolve) => {
    for (const type of ["scroll", "pointerdown", "keydown"]) {
      addEventListener(type, () => resolve(), { once: true, passive: true, capture: true, signal });
    }
  });
}

// Ends the current task; `scheduler.yield()` (Chromium) continues ahead of
// the page's other queued tasks, elsewhere a zero timeout (as src/pace.rs).
function nextTask() {
  if (typeof globalThis.scheduler?.yield === "function") return globalThis.scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function idle(callback) {
  if (typeof requestIdleCallback === "function") requestIdleCallback(callback, { timeout: 1000 });
  else setTimeout(callback, 0);
}

// The wasm module, compiled while it downloads (and on a return visit taken
// from the browser's code cache). A server that does not send it as
// application/wasm gets the slower way, with a warning.
async function compile(url, priority) {
  const response = fetch(url, { priority });
  if (typeof WebAssembly.compileStreaming === "function") {
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (error) {
      const { ok, headers } = await response;
      const type = headers.get("content-type") ?? "no type";
      if (!ok || type.startsWith("application/wasm")) throw error;
      console.warn(`${LOG} ${url} is served as ${type}; serve it as application/wasm to load faster`);
    }
  }
  const again = await fetch(url, { priority });
  if (!again.ok) throw new Error(`${url}: HTTP ${again.status} ${again.statusText}`);
  return WebAssembly.compile(await again.arrayBuffer());
}

// The first attempt at a data file, started before the wasm runs, its body
// read as soon as it arrives; src/load.rs takes the answer and makes any retries.
function firstAttempt(url, priority) {
  if (!url) return undefined;
  const controller = new AbortController();
  // Also covers reading the body; aborting a finished request does nothing.
  setTimeout(() => controller.abort(), TIMEOUT_MS);
  return quietly(fetch(url, { signal: controller.signal, priority }).then(async (response) => ({
    response,
    body: response.ok ? await response.arrayBuffer().catch((error) => error) : undefined,
  })));
}

// A promise whose failure is read later (by `ready` or the wasm), so it is
// never reported as the page's unhandled rejection in the meantime.
function quietly(promise) {
  promise.catch(() => {});
  return promise;
}

// Module scripts have no document.currentScript: find the tag that loaded us.
function ownScript() {
  const here = import.meta.url;
  for (const s of document.querySelectorAll("script[src]")) {
    if (s.src === here) return s;
  }
  return document.querySelector("script[data-catalogue]");
}
