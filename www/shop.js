// shop.js: the demo shop's OWN code, the part a real shop already has (its
// templates, its cart). It renders the pages from /data/shop.json, keeps the
// cart in localStorage, and talks to treue only through its public API:
// treue.setCart / treue.setCustomer, and the treue:add-to-cart event.
// If treue is missing or broken, everything here still works.

const CART_KEY = "kontor.cart";
const CUSTOMER_KEY = "kontor.customer";
const THEME_KEY = "kontor.theme";
const ORDER_KEY = "kontor.lastOrder";
const POINTS_KEY = "kontor.points";
const FREE_SHIPPING = 5000;
const SHIPPING = 495;

const euro = new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR" });
const money = (cents) => euro.format(cents / 100);

// The demo customers a visitor can "log in as": what the shop knows about
// them, passed to treue as snake_case fields (see pkg/treue.d.ts).
const CUSTOMERS = [
  {
    label: "Anna Becker (A, Gold)",
    customer: {
      id: "K000017", segment: "A", points: 2450, tier: "gold", tier_spend: 184900,
      expiring: { points: 300, on: "2026-12-31" }, payment_default: false,
      last_survey: "2026-03-02", purchased: ["KAM-00001", "SPK-00008"],
    },
  },
  {
    label: "Jonas Weber (B, Silber)",
    customer: {
      id: "K000342", segment: "B", points: 820, tier: "silber", tier_spend: 61900,
      expiring: null, payment_default: false, last_survey: null, purchased: ["KVA-00003"],
    },
  },
  {
    label: "Mehmet Yılmaz (C, Basis)",
    customer: {
      id: "K001208", segment: "C", points: 90, tier: "basis", tier_spend: 4990,
      expiring: { points: 90, on: "2027-01-15" }, payment_default: true, last_survey: null, purchased: [],
    },
  },
  {
    label: "Fotostudio Licht GmbH (Key Account)",
    customer: {
      id: "K000003", segment: "key_account", points: 12800, tier: "gold", tier_spend: 1249000,
      expiring: null, payment_default: false, last_survey: "2026-10-20", purchased: ["KAM-00005", "OBJ-00002", "STA-00004"],
    },
  },
];

const THEMES = [
  ["kontor", "Kontor (warm)"],
  ["klar", "Klar (hell)"],
  ["nacht", "Nacht (dunkel)"],
];

// ---- small helpers ------------------------------------------------------

/** Creates an element: h("a", { href: "/", class: "x" }, "text", child). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child != null && child !== false) el.append(child);
  }
  return el;
}

function read(key, fallback) {
  try {
    const value = JSON.parse(localStorage.getItem(key));
    return value ?? fallback;
  } catch {
    return fallback;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Private mode or a full storage: the shop goes on without remembering.
  }
}

// German compounds break where a reader expects on a narrow tile or card, also
// in a browser without a hyphenation dictionary for `hyphens: auto`: a shop's
// catalogue carries soft hyphens in such names; these are the demo's word parts.
const WORD_PARTS = /(?<=\p{L}{3})(voll|automaten|taschen|karten|hüllen|geräte|bohnen|socken|schuhe|tabletten)/gu;
const hyphenated = (text) => text.replace(WORD_PARTS, "\u00ad$1");

const treue = () => window.treue;
const param = (name) => new URLSearchParams(location.search).get(name);

// ---- data ---------------------------------------------------------------

let shop = { categories: [], products: [] };
const bySku = new Map();

async function loadShop() {
  try {
    const response = await fetch("/data/shop.json");
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    shop = await response.json();
  } catch (error) {
    console.error("Kontor & Kamera: Produktdaten /data/shop.json nicht geladen", error);
  }
  for (const p of shop.products) bySku.set(p.sku, p);
}

const category = (slug) => shop.categories.find((c) => c.slug === slug);
const nowPrice = (p) => (p.sale_price != null && p.sale_price < p.price ? p.sale_price : p.price);
const AVAILABILITY = {
  in_stock: "Auf Lager",
  out_of_stock: "Ausverkauft",
  preorder: "Vorbestellbar",
  backorder: "Lieferbar in 2-3 Wochen",
};

// ---- cart ---------------------------------------------------------------

function cart() {
  const lines = read(CART_KEY, []);
  return Array.isArray(lines) ? lines.filter((l) => typeof l?.sku === "string" && l.quantity > 0) : [];
}

function saveCart(lines) {
  write(CART_KEY, lines);
  treue()?.setCart(lines.map(({ sku, quantity }) => ({ sku, quantity })));
  updateBadge();
  document.dispatchEvent(new CustomEvent("kontor:cart-changed"));
}

function addToCart(sku, quantity = 1) {
  const lines = cart();
  const line = lines.find((l) => l.sku === sku);
  if (line) line.quantity += quantity;
  else lines.push({ sku, quantity });
  saveCart(lines);
  const title = bySku.get(sku)?.title ?? sku;
  announce(`„${title}“ liegt im Warenkorb.`);
}

/** Puts `sku` where `old` was, with its quantity (an upgrade chosen in the cart). */
function swapLine(old, sku) {
  const lines = cart();
  const moved = lines.find((l) => l.sku === old);
  const rest = lines.filter((l) => l.sku !== old);
  const existing = rest.find((l) => l.sku === sku);
  if (existing) existing.quantity += moved.quantity;
  else rest.splice(lines.indexOf(moved), 0, { sku, quantity: moved.quantity });
  saveCart(rest);
  announce(`„${bySku.get(sku)?.title ?? sku}“ statt „${bySku.get(old)?.title ?? old}“ im Warenkorb.`);
}

function setQuantity(sku, quantity) {
  saveCart(cart().map((l) => (l.sku === sku ? { ...l, quantity } : l)).filter((l) => l.quantity > 0));
}

function updateBadge() {
  const count = cart().reduce((n, l) => n + l.quantity, 0);
  for (const badge of document.querySelectorAll("[data-cart-count]")) {
    badge.textContent = String(count);
    badge.classList.toggle("is-empty", count === 0);
  }
  for (const link of document.querySelectorAll("[data-cart-link]")) {
    link.setAttribute("aria-label", `Warenkorb, ${count} Artikel`);
  }
}

function announce(text) {
  const toast = document.getElementById("toast");
  if (!toast) return;
  toast.textContent = text;
  toast.classList.add("is-visible");
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => toast.classList.remove("is-visible"), 3500);
}

// ---- customer and theme ---------------------------------------------------

function currentCustomer() {
  const id = read(CUSTOMER_KEY, null);
  const entry = CUSTOMERS.find((c) => c.customer.id === id);
  if (!entry) return null;
  // Balances the demo "backend" booked (redemptions) win over the seed figures.
  const points = read(POINTS_KEY, {})[id];
  return Number.isInteger(points) ? { ...entry, customer: { ...entry.customer, points } } : entry;
}

/** The shop books a redemption (treue only asks) and passes the new balance back. */
function redeem(points) {
  const entry = currentCustomer();
  if (!entry || !(points > 0) || points > entry.customer.points) {
    announce("Die Prämie konnte nicht eingelöst werden.");
    return;
  }
  write(POINTS_KEY, { ...read(POINTS_KEY, {}), [entry.customer.id]: entry.customer.points - points });
  applyCustomer();
  announce(`${points.toLocaleString("de-DE")} Punkte eingelöst.`);
}

function applyCustomer() {
  const entry = currentCustomer();
  treue()?.setCustomer(entry ? entry.customer : null);
  // The page keeps the room a guest's or a customer's loyalty widgets take (shop.css).
  document.documentElement.classList.toggle("is-customer", Boolean(entry));
  const greeting = document.getElementById("greeting");
  if (greeting) {
    greeting.textContent = entry
      ? `Hallo ${entry.label.split(" (")[0]} · ${entry.customer.points.toLocaleString("de-DE")} Punkte`
      : "Sie sind nicht angemeldet";
  }
}

function applyTheme(theme) {
  const root = document.documentElement;
  for (const [id] of THEMES) root.classList.toggle(`theme-${id}`, id === theme);
}

// ---- page chrome: header and footer, the same on every page ---------------

function renderHeader() {
  const header = document.getElementById("site-header");
  if (!header) return;
  const customerSelect = h(
    "select",
    {
      id: "login-as",
      onchange: (e) => {
        write(CUSTOMER_KEY, e.target.value || null);
        applyCustomer();
      },
    },
    h("option", { value: "" }, "Gast"),
    CUSTOMERS.map((c) => h("option", { value: c.customer.id }, c.label)),
  );
  customerSelect.value = currentCustomer()?.customer.id ?? "";
  const theme = read(THEME_KEY, "kontor");
  const themeSelect = h(
    "select",
    {
      id: "theme",
      onchange: (e) => {
        write(THEME_KEY, e.target.value);
        applyTheme(e.target.value);
      },
    },
    THEMES.map(([id, label]) => h("option", { value: id }, label)),
  );
  themeSelect.value = theme;
  const nav = h("ul", { class: "category-nav", id: "category-nav" });
  header.replaceChildren(
    h(
      "div",
      { class: "topbar" },
      h("p", {}, "Versandkostenfrei ab 50 € · 30 Tage Rückgabe · Beratung Mo-Fr 8-18 Uhr"),
      h(
        "div",
        { class: "demo-controls" },
        h("label", { for: "login-as" }, "Angemeldet als"),
        customerSelect,
        h("label", { for: "theme" }, "Design"),
        themeSelect,
      ),
    ),
    h(
      "div",
      { class: "masthead" },
      h("a", { href: "/", class: "logo" }, h("span", { class: "logo-mark", "aria-hidden": "true" }, "K&K"), "Kontor & Kamera"),
      h("p", { id: "greeting", class: "greeting" }),
      // treue: a compact loyalty badge (tier and points) would go here, beside the greeting;
      // the full loyalty panel is on the cart page.
      h(
        "a",
        { href: "/cart.html", class: "cart-link", "data-cart-link": "" },
        h("span", { class: "cart-icon", "aria-hidden": "true" }),
        h("span", { class: "cart-text" }, "Warenkorb"),
        h("span", { class: "badge", "data-cart-count": "", "aria-hidden": "true" }, "0"),
      ),
    ),
    h("nav", { class: "main-nav", "aria-label": "Kategorien" }, nav),
  );
}

/** The categories in the header's nav, once the shop's data is there (the nav keeps its one row meanwhile). */
function renderCategoryNav() {
  const nav = document.getElementById("category-nav");
  if (!nav) return;
  const here = document.body.dataset.page === "category" ? param("c") : null;
  nav.replaceChildren(
    ...shop.categories.map((c) =>
      h("li", {}, h("a", { href: `/category.html?c=${c.slug}`, "aria-current": c.slug === here ? "page" : false }, c.name)),
    ),
  );
}

function renderFooter() {
  const footer = document.getElementById("site-footer");
  if (!footer) return;
  footer.replaceChildren(
    h(
      "div",
      { class: "footer-columns" },
      h("section", {}, h("h2", {}, "Kontor & Kamera"), h("p", {}, "Fotografie, Kaffee, Laufen und Technik aus Hamburg, seit 1998.")),
      h(
        "section",
        {},
        h("h2", {}, "Service"),
        h("ul", {}, h("li", {}, "Hotline 040 123 456 78"), h("li", {}, "Versand & Lieferung"), h("li", {}, "Rückgabe")),
      ),
      h("section", {}, h("h2", {}, "Demo"), h("p", {}, "Ein Demo-Shop: Produkte und Bestellungen sind erfunden, nichts wird verkauft.")),
    ),
  );
}

// ---- product cards and listings --------------------------------------------

function priceTag(p) {
  const now = nowPrice(p);
  return h(
    "p",
    { class: "price" },
    now < p.price
      ? [
          h("span", { class: "price-now is-sale" }, h("span", { class: "visually-hidden" }, "Angebotspreis "), money(now)),
          h("s", { class: "price-was" }, h("span", { class: "visually-hidden" }, "statt "), money(p.price)),
        ]
      : h("span", { class: "price-now" }, money(now)),
  );
}

function stockNote(p) {
  return h("p", { class: `stock stock-${p.availability}` }, AVAILABILITY[p.availability] ?? p.availability);
}

/** The card's badges, side by side over the picture, wrapping on a narrow card. */
function flags(p) {
  const badges = [
    p.labels.includes("bestseller") ? h("span", { class: "flag" }, "Bestseller") : null,
    nowPrice(p) < p.price ? h("span", { class: "flag flag-sale" }, "Angebot") : null,
  ].filter(Boolean);
  return badges.length ? h("span", { class: "flags" }, badges) : null;
}

function productCard(p, variants = 1) {
  const buyable = p.availability !== "out_of_stock";
  return h(
    "li",
    { class: "product-card" },
    h(
      "a",
      { href: p.url, class: "product-card-link" },
      h("img", { src: p.image, alt: "", width: 240, height: 240, loading: "lazy" }),
      flags(p),
      h("span", { class: "brand" }, p.brand),
      // A card stands for its whole item group: the title without the variant.
      h("span", { class: "product-title" }, hyphenated(variants > 1 ? p.title.replace(/, [^,]+$/, "") : p.title)),
    ),
    variants > 1 ? h("p", { class: "variants-note" }, `${variants} Varianten`) : null,
    priceTag(p),
    stockNote(p),
    h(
      "button",
      { type: "button", class: "button button-small", disabled: !buyable, "aria-label": `${p.title} in den Warenkorb`, onclick: () => addToCart(p.sku) },
      buyable ? "In den Warenkorb" : "Ausverkauft",
    ),
  );
}

/** One card per item group (its first variant), with the number of variants. */
function grouped(products) {
  const groups = new Map();
  for (const p of products) {
    const key = p.item_group || p.sku;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(p);
  }
  return [...groups.values()];
}

function productGrid(products) {
  return h("ul", { class: "product-grid" }, grouped(products).map((variants) => productCard(variants[0], variants.length)));
}

function breadcrumb(trail) {
  const nav = document.getElementById("breadcrumb");
  if (!nav) return;
  nav.replaceChildren(
    h(
      "ol",
      {},
      trail.map(([label, href], i) =>
        h("li", {}, href && i < trail.length - 1 ? h("a", { href }, label) : h("span", { "aria-current": "page" }, label)),
      ),
    ),
  );
}

// ---- pages ---------------------------------------------------------------

/** Up to `n` products, taking turns across categories so one does not fill the shelf. */
function assorted(products, n) {
  const queues = new Map();
  for (const p of products) {
    if (!queues.has(p.category)) queues.set(p.category, []);
    queues.get(p.category).push(p);
  }
  const picked = [];
  while (picked.length < n && [...queues.values()].some((q) => q.length)) {
    for (const q of queues.values()) if (q.length && picked.length < n) picked.push(q.shift());
  }
  return picked;
}

function renderHome(main) {
  const inStock = shop.products.filter((p) => p.availability === "in_stock");
  const featured = assorted(inStock.filter((p) => p.labels.includes("bestseller")), 8);
  const offers = assorted(inStock.filter((p) => nowPrice(p) < p.price), 8);
  main.replaceChildren(
    h(
      "section",
      { class: "hero", "aria-labelledby": "hero-title" },
      h(
        "div",
        { class: "hero-text" },
        h("h1", { id: "hero-title" }, "Gutes Werkzeug für Bilder, Kaffee und lange Läufe"),
        h("p", {}, "Ausgewählte Kameras, Vollautomaten, Laufschuhe und Smartphones, dazu das passende Zubehör. Beraten von Menschen, die es selbst benutzen."),
        h("a", { class: "button", href: "/category.html?c=kameras" }, "Kameras entdecken"),
      ),
      h("img", { class: "hero-image", src: "/img/kameras.svg", alt: "", width: 320, height: 320 }),
    ),
    h(
      "section",
      { "aria-labelledby": "categories-title" },
      h("h2", { id: "categories-title" }, "Kategorien"),
      h(
        "ul",
        { class: "category-grid" },
        shop.categories.map((c) =>
          h(
            "li",
            {},
            h(
              "a",
              { href: `/category.html?c=${c.slug}`, class: "category-tile" },
              h("img", { src: c.image, alt: "", width: 120, height: 120, loading: "lazy" }),
              h("span", { class: "category-name" }, hyphenated(c.name)),
              h("span", { class: "category-count" }, `${c.count} Artikel`),
            ),
          ),
        ),
      ),
    ),
    h("section", { "aria-labelledby": "featured-title" }, h("h2", { id: "featured-title" }, "Beliebt bei unseren Kunden"), productGrid(featured)),
    h("section", { "aria-labelledby": "offers-title" }, h("h2", { id: "offers-title" }, "Aktuelle Angebote"), productGrid(offers)),
  );
}

function renderCategory(main) {
  const c = category(param("c"));
  if (!c) {
    renderNotFound(main, "Diese Kategorie gibt es nicht.");
    return;
  }
  document.title = `${c.name} · Kontor & Kamera`;
  const [top] = c.path.split(" > ");
  breadcrumb([["Startseite", "/"], [top], [c.name]]);
  const products = shop.products.filter((p) => p.category === c.slug);
  const list = h("div", { id: "listing" });
  const sorts = {
    relevance: (a, b) => b.labels.includes("bestseller") - a.labels.includes("bestseller"),
    "price-asc": (a, b) => nowPrice(a) - nowPrice(b),
    "price-desc": (a, b) => nowPrice(b) - nowPrice(a),
  };
  const show = (order) => list.replaceChildren(productGrid([...products].sort(sorts[order] ?? sorts.relevance)));
  main.replaceChildren(
    h(
      "div",
      { class: "listing-head" },
      h("h1", {}, c.name),
      h("p", { class: "muted" }, `${products.length} Artikel`),
      h(
        "div",
        { class: "sort" },
        h("label", { for: "sort" }, "Sortieren nach"),
        h(
          "select",
          { id: "sort", onchange: (e) => show(e.target.value) },
          h("option", { value: "relevance" }, "Beliebtheit"),
          h("option", { value: "price-asc" }, "Preis aufsteigend"),
          h("option", { value: "price-desc" }, "Preis absteigend"),
        ),
      ),
    ),
    list,
  );
  show("relevance");
}

/** The product page's mount points, placed before the product data arrives
 * (a server-rendered shop has them in the HTML), so the widgets need not wait. */
function mountRecommendations() {
  const slot = document.getElementById("recommendations");
  const sku = param("sku");
  if (!slot || !sku) return;
  slot.replaceChildren(
    // The reserved min-height (shop.css) keeps the page from jumping.
    h("div", { class: "treue-slot treue-slot-cross-sell", "data-treue": "cross-sell", "data-sku": sku }),
    // "Eine Stufe höher": renders nothing when the product has no higher step,
    // so it has no room reserved and comes last: appearing, it moves nothing.
    h("div", { class: "treue-slot", "data-treue": "upgrade", "data-sku": sku }),
  );
}

function renderProduct(main) {
  const p = bySku.get(param("sku"));
  const target = document.getElementById("product") ?? main;
  if (!p) {
    document.getElementById("recommendations")?.replaceChildren();
    renderNotFound(target, "Diesen Artikel gibt es nicht (mehr).");
    return;
  }
  document.title = `${p.title} · Kontor & Kamera`;
  const c = category(p.category);
  breadcrumb([["Startseite", "/"], [c?.name ?? p.category, `/category.html?c=${p.category}`], [p.title]]);
  const variants = p.item_group ? shop.products.filter((v) => v.item_group === p.item_group) : [];
  const buyable = p.availability !== "out_of_stock";
  const quantity = h("input", { id: "quantity", type: "number", min: 1, max: 99, value: 1, inputmode: "numeric" });
  const buyBox = h(
    "div",
    { class: "buy-box" },
    priceTag(p),
    h("p", { class: "muted" }, "inkl. MwSt., zzgl. Versand (frei ab 50 €)"),
    stockNote(p),
    p.availability === "in_stock" && p.stock < 10 ? h("p", { class: "stock-low" }, `Nur noch ${p.stock} Stück`) : null,
    variants.length > 1
      ? h(
          "nav",
          { class: "variants", "aria-label": "Varianten" },
          h("p", { class: "variants-label" }, "Variante"),
          h(
            "ul",
            {},
            variants.map((v) =>
              h(
                "li",
                {},
                h("a", { href: v.url, class: "variant", "aria-current": v.sku === p.sku ? "true" : false }, v.title.split(", ").pop()),
              ),
            ),
          ),
        )
      : null,
    h(
      "form",
      {
        class: "add-form",
        onsubmit: (e) => {
          e.preventDefault();
          addToCart(p.sku, Math.max(1, Math.min(99, Number(quantity.value) || 1)));
        },
      },
      h("label", { for: "quantity" }, "Menge"),
      quantity,
      h("button", { type: "submit", class: "button", disabled: !buyable }, buyable ? "In den Warenkorb" : "Ausverkauft"),
    ),
    // The points this product earns ("Sie sammeln … Punkte").
    h("div", { class: "treue-inline", "data-treue": "points-preview", "data-sku": p.sku }),
  );
  target.replaceChildren(
    h(
      "article",
      { class: "product" },
      h("div", { class: "product-media" }, h("img", { src: p.image, alt: p.title, width: 480, height: 480 })),
      h(
        "div",
        { class: "product-info" },
        h("p", { class: "brand" }, p.brand),
        h("h1", {}, p.title),
        p.highlights.length ? h("ul", { class: "highlights" }, p.highlights.map((t) => h("li", {}, t))) : null,
        buyBox,
        h("section", { class: "description", "aria-labelledby": "description-title" }, h("h2", { id: "description-title" }, "Beschreibung"), h("p", {}, p.description), h("p", { class: "muted" }, `Artikelnummer ${p.sku}`)),
      ),
    ),
  );
}

function renderCart(main) {
  const list = document.getElementById("cart-lines");
  const summary = document.getElementById("cart-summary");
  if (!list || !summary) return;
  const lines = cart();
  // An empty cart gets no suggestions: no room reserved for them either.
  document.body.classList.toggle("cart-empty", !lines.length);
  if (!lines.length) {
    list.replaceChildren(h("p", { class: "empty" }, "Ihr Warenkorb ist leer. ", h("a", { href: "/" }, "Weiter einkaufen")));
    summary.replaceChildren();
    return;
  }
  let subtotal = 0;
  const rows = lines.map((line) => {
    const p = bySku.get(line.sku);
    const price = p ? nowPrice(p) : 0;
    subtotal += price * line.quantity;
    const id = `qty-${line.sku}`;
    return h(
      "li",
      { class: "cart-line", "data-sku": line.sku },
      p ? h("img", { src: p.image, alt: "", width: 96, height: 96 }) : null,
      h(
        "div",
        { class: "cart-line-info" },
        h("a", { href: p?.url ?? "#", class: "cart-line-title" }, p?.title ?? line.sku),
        p ? stockNote(p) : null,
      ),
      h(
        "div",
        { class: "cart-line-qty" },
        h("label", { for: id, class: "visually-hidden" }, `Menge ${p?.title ?? line.sku}`),
        h("input", { id, type: "number", min: 0, max: 99, value: line.quantity, onchange: (e) => setQuantity(line.sku, Math.max(0, Math.min(99, Number(e.target.value) || 0))) }),
        h("button", { type: "button", class: "link-button", onclick: () => setQuantity(line.sku, 0) }, "Entfernen"),
      ),
      h("p", { class: "cart-line-total" }, money(price * line.quantity)),
    );
  });
  const shipping = subtotal >= FREE_SHIPPING ? 0 : SHIPPING;
  list.replaceChildren(h("ul", { class: "cart-lines" }, rows));
  summary.replaceChildren(
    h("h2", {}, "Zusammenfassung"),
    h(
      "dl",
      {},
      h("dt", {}, "Zwischensumme"), h("dd", {}, money(subtotal)),
      h("dt", {}, "Versand"), h("dd", {}, shipping ? money(shipping) : "kostenlos"),
      h("dt", { class: "total" }, "Gesamt"), h("dd", { class: "total", id: "cart-total" }, money(subtotal + shipping)),
    ),
    // The points this order earns.
    h("div", { class: "treue-inline", "data-treue": "points-preview", "data-context": "cart" }),
    h("button", { type: "button", class: "button button-wide", id: "checkout", onclick: checkout }, "Zur Kasse"),
    h("p", { class: "muted" }, "Demo: Es wird nichts bestellt und nichts bezahlt."),
  );
}

function checkout() {
  const lines = cart();
  if (!lines.length) return;
  write(ORDER_KEY, { number: `KK-${Date.now().toString().slice(-7)}`, lines });
  saveCart([]);
  location.assign("/thank-you.html");
}

function renderThankYou(main) {
  const order = read(ORDER_KEY, null);
  const target = document.getElementById("order-number");
  if (target) target.textContent = order ? `Ihre Bestellnummer: ${order.number}` : "";
}

function renderNotFound(main, text) {
  main.replaceChildren(h("h1", {}, "Nicht gefunden"), h("p", {}, text, " ", h("a", { href: "/" }, "Zur Startseite")));
}

const PAGES = { home: renderHome, category: renderCategory, product: renderProduct, cart: renderCart, "thank-you": renderThankYou };

// ---- start ------------------------------------------------------------------

applyTheme(read(THEME_KEY, "kontor"));

// treue's add buttons: the item goes into OUR cart (treue only suggests). An
// upgrade names the line it `replaces`: the shop swaps that line if it has it.
document.addEventListener("treue:add-to-cart", (event) => {
  const { sku, quantity, replaces } = event.detail ?? {};
  if (typeof sku !== "string") return;
  if (typeof replaces === "string" && cart().some((l) => l.sku === replaces)) swapLine(replaces, sku);
  else addToCart(sku, Number(quantity) > 0 ? Number(quantity) : 1);
});

if (document.body.dataset.page === "product") mountRecommendations();
document.addEventListener("treue:redeem", (event) => redeem(Number(event.detail?.points)));

// The page's chrome at once, as a server-rendered shop has it at first paint:
// filled later, it would push the whole page down (layout shift).
renderHeader();
renderFooter();
updateBadge();
applyCustomer();
// An empty cart needs no product data: its message is drawn at once too.
if (document.body.dataset.page === "cart" && !cart().length) renderCart();
await loadShop();
renderCategoryNav();
const main = document.getElementById("main");
const render = PAGES[document.body.dataset.page];
if (main && render) render(main);
if (document.body.dataset.page === "cart") {
  document.addEventListener("kontor:cart-changed", () => renderCart(main));
}
treue()?.setCart(cart());
