// A host page that does everything wrong: aggressive global CSS, a polluted
// Object.prototype, its own globals. treue must work there, add exactly one
// global (`treue`), and leave the page's prototypes and styles as they were.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, pageUrl, widgets } from "./harness.mjs";

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

// Classic scripts in the body run before the module script (which is deferred).
const hostile = `
<script>
  Object.prototype.sku = "POLLUTED";
  Object.prototype.quantity = 999;
  Array.prototype.shuffle = function () { return this; };
  window.__protoBefore = Object.getOwnPropertyNames(Object.prototype).sort().join();
  window.shopCart = { lines: [] };
  window.__globalsBefore = Object.getOwnPropertyNames(window);
</script>
<style>
  * { color: rgb(255, 0, 0) !important; font-size: 40px !important; border-radius: 0 !important; box-sizing: content-box !important; }
  div, section, li, button, a { all: unset; }
  button { display: none !important; }
  .card, .title, .add { visibility: hidden !important; }
</style>
<div data-treue="cross-sell" data-sku="CAM-1"></div>`;

test("on a hostile page the widget renders unharmed and treue adds only its own global", async () => {
  const page = await env.open(pageUrl({ catalogue: "/fixtures/catalogue.json", body: hostile }));
  const w = await widgets(page);
  assert.equal(w[0].state, "mounted");
  assert.equal(w[0].titles[0], "SDXC-Karte 64 GB <b>V30</b>", "a polluted prototype changes no suggestion");

  const looks = await page.evaluate(() => {
    const root = document.querySelector("[data-treue]").shadowRoot;
    const card = getComputedStyle(root.querySelector(".card"));
    const add = getComputedStyle(root.querySelector(".add"));
    return { radius: card.borderTopLeftRadius, visibility: card.visibility, addDisplay: add.display, addColor: add.color };
  });
  assert.equal(looks.radius, "10px", "the shop's border-radius rule does not reach into the widget");
  assert.equal(looks.visibility, "visible");
  assert.notEqual(looks.addDisplay, "none", "the shop's button rule does not hide the widget's button");
  assert.equal(looks.addColor, "rgb(255, 255, 255)");

  const after = await page.evaluate(() => ({
    added: Object.getOwnPropertyNames(window).filter((n) => !window.__globalsBefore.includes(n) && !n.startsWith("__")),
    proto: Object.getOwnPropertyNames(Object.prototype).sort().join() === window.__protoBefore,
    polluted: ({}).sku,
    shopCart: window.shopCart.lines.length,
  }));
  // hostTicks is the host page's own module (tests/fixtures/host.js).
  assert.deepEqual(after.added.filter((n) => n !== "hostTicks"), ["treue"]);
  assert.ok(after.proto, "Object.prototype is as the page left it");
  assert.equal(after.polluted, "POLLUTED", "the page's own pollution is left alone, not 'fixed'");
  assert.deepEqual(page.errors, []);

  // The cart API still reads its own fields, not inherited polluted ones.
  await page.evaluate(() => window.treue.setCart([{ sku: "COF-1" }]));
  assert.ok(!page.logs.some((l) => l.includes("[treue]")), page.logs.join("\n"));
  await page.close();
});
