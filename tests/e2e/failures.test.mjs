// Broken, missing or foreign files: one clear console error naming the file,
// widgets empty, and the host page's own scripts keep running.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, pageUrl, widgets, until } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const mount = `<div data-treue="cross-sell" data-sku="CAM-1"></div>`;

async function expectFailure(settings, file, problem) {
  const page = await env.open(pageUrl({ ...settings, body: mount }));
  const errors = page.logs.filter((l) => l.startsWith("error: [treue]"));
  assert.equal(errors.length, 1, `one treue error expected:\n${page.logs.join("\n")}`);
  assert.ok(errors[0].includes(file), `names ${file}: ${errors[0]}`);
  assert.ok(errors[0].includes(problem), `says ${problem}: ${errors[0]}`);
  const w = await widgets(page);
  assert.equal(w[0].state, "failed");
  assert.deepEqual(w[0].titles, []);
  const ticks = await page.evaluate(() => window.hostTicks);
  await until("the host page's timer to tick", async () => (await page.evaluate(() => window.hostTicks)) > ticks);
  assert.equal(await page.locator("#host-status").textContent(), "host script ran");
  assert.deepEqual(page.errors, []);
  await page.close();
}

test("a missing catalogue", () =>
  expectFailure({ catalogue: "/fixtures/nope.bin" }, "catalogue /fixtures/nope.bin", "HTTP 404"));

test("a catalogue that is an HTML page", () =>
  expectFailure({ catalogue: "/fixtures/not-a-catalogue.html" }, "catalogue /fixtures/not-a-catalogue.html", "is an HTML page"));

test("a malformed JSON catalogue", () =>
  expectFailure({ catalogue: "/fixtures/broken.json" }, "catalogue /fixtures/broken.json", "not valid JSON"));

test("a catalogue of an unknown version", () =>
  expectFailure({ catalogue: "/fixtures/version-9.json" }, "catalogue /fixtures/version-9.json", "version 9 is not supported"));

test("a binary payload of an unknown version", () =>
  expectFailure({ catalogue: "/fixtures/version-99.bin" }, "catalogue /fixtures/version-99.bin", "version"));

test("malformed rules", () =>
  expectFailure({ catalogue: "/fixtures/catalogue.json", rules: "/fixtures/broken.json" }, "rules /fixtures/broken.json", "not valid JSON"));

test("rules of an unknown version", () =>
  expectFailure({ catalogue: "/fixtures/catalogue.json", rules: "/fixtures/rules-version-7.json" }, "rules /fixtures/rules-version-7.json", "version 7"));

test("a script tag without data-catalogue", () =>
  expectFailure({}, "data-catalogue", "nothing to suggest"));
