// One visitor's page in the preview: the page's mount points as a shop would
// write them, the visitor stated the way a shop states them (#treue-customer,
// #treue-cart), then the shipped loader with `data-preview`, which turns off
// everything that would leave the page and sets the day and the visitor id.
// What to show comes in the URL (`?s=` JSON, written by preview.js), so a pane
// reloads into exactly the same state.

const state = JSON.parse(new URLSearchParams(location.search).get("s") ?? "{}");
const page = state.page ?? "product";

/** The mount points each page type carries, as in the demo shop and README's mount table. */
function mounts() {
  const sku = state.sku ? { "data-sku": state.sku } : {};
  const cart = { "data-context": "cart" };
  switch (page) {
    case "product":
      return [["cross-sell", sku], ["upgrade", sku], ["points-preview", sku], ["loyalty", {}], ["nps", { "data-placement": "inline" }]];
    case "cart":
      return [["cross-sell", cart], ["upgrade", cart], ["points-preview", cart], ["loyalty", {}], ["nps", { "data-placement": "inline" }]];
    case "thank_you":
      return [["nps", { "data-context": "thank_you", "data-placement": "inline" }], ["loyalty", {}]];
    default:
      return [["loyalty", {}], ["nps", { "data-placement": "inline" }]];
  }
}

function stated(id, value) {
  const el = document.createElement("script");
  el.type = "application/json";
  el.id = id;
  el.textContent = JSON.stringify(value);
  document.head.append(el);
}

document.body.setAttribute("data-treue-page", page);
const main = document.getElementById("main");
for (const [kind, attrs] of mounts()) {
  const section = document.createElement("section");
  section.className = "slot";
  const label = document.createElement("h2");
  label.textContent = kind;
  const host = document.createElement("div");
  host.setAttribute("data-treue", kind);
  for (const [name, value] of Object.entries(attrs)) host.setAttribute(name, value);
  section.append(label, host);
  main.append(section);
}
if (state.customer) stated("treue-customer", state.customer);
if (state.cart?.length) stated("treue-cart", state.cart);

const preview = {};
if (state.today) preview.today = state.today;
if (state.visitor) preview.visitor = state.visitor;
const tag = document.createElement("script");
tag.type = "module";
tag.src = "/treue/treue.js";
// A URL of its own per drawing: the loader asks for the catalogue early and
// reads it only once the wasm runs, and Chromium makes a second request for
// the same uncacheable URL wait until the first one's body is read, so panes
// loading together would wait on each other. A sharded catalogue's directory
// (its URL ends in /) gets the drawing's number as a directory of its own.
const catalogue = state.catalogue ?? "/preview/catalogue.bin";
tag.dataset.catalogue = catalogue.endsWith("/") ? `${catalogue}${state.version}/` : `${catalogue}?v=${state.version}`;
tag.dataset.rules = state.rules ?? "/preview/rules.json";
tag.dataset.preview = JSON.stringify(preview);
// A pane is drawn to be looked at: no waiting for the page's idle time.
tag.dataset.load = "eager";
document.head.append(tag);

// Tells the preview page this pane has drawn (or failed), so it can swap it in.
document.addEventListener("treue:ready", () => {
  parent.postMessage({ treuePane: state.pane, version: state.version }, location.origin);
});
