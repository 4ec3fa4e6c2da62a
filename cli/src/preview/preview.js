// The preview page: the rules editor, checked by `treue check` on the server
// as the marketer types, and one pane per visitor. A pane is an iframe running
// the shipped bundle (frame.js); a valid change draws every pane anew, a
// broken one shows its problems and leaves the panes as they were.

const $ = (selector, root = document) => root.querySelector(selector);
const editor = $("#editor");
const problemsList = $("#problems");
const status = $("#status");
const panesBox = $("#panes");

/** The catalogue's products, the page types and segments (from the server, in the rules' spelling). */
const choices = await (await fetch("/preview/choices.json")).json();
/** The last rules that checked clean, as a URL the panes' bundle fetches. */
let goodRules = null;
const rulesUrls = [];
/** The groups the rules split visitors into ("upgrade: b" -> a visitor id there). */
let groups = [];
let tiers = [];
let drawn = 0;
const panes = [];

const localDay = (d = new Date()) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
const firstSku = choices.products.find((p) => p.sku === "KAM-00001")?.sku ?? choices.products[0]?.sku ?? "";

/** Who looks in each pane at first: a guest, a customer, a customer in payment default. */
const starts = [
  { visitor: "guest" },
  { visitor: "customer", segment: "A", points: "1200" },
  { visitor: "customer", segment: "C", payment_default: true },
];

function option(value, label = value) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label;
  return o;
}

function addPane(index) {
  const box = $("#pane").content.firstElementChild.cloneNode(true);
  box.dataset.pane = index;
  const form = $("form", box);
  form.elements.segment.append(...choices.segments.map((s) => option(s)));
  form.elements.page.append(...choices.pages.map((p) => option(p)));
  form.elements.sku.append(...choices.products.map((p) => option(p.sku, `${p.sku} ${p.title}`)));
  form.elements.cart.append(...choices.products.map((p) => option(p.sku, `${p.sku} ${p.title}`)));
  form.elements.tier.setAttribute("list", "tiers");
  const start = { page: "product", sku: firstSku, today: localDay(), device: "phone", ...starts[index] };
  for (const [name, value] of Object.entries(start)) {
    const field = form.elements[name];
    if (field.type === "checkbox") field.checked = value;
    else field.value = value;
  }
  const pane = { index, box, form, frame: null };
  const changed = () => {
    form.dataset.visitor = form.elements.visitor.value;
    form.dataset.page = form.elements.page.value;
    draw(pane);
  };
  form.addEventListener("change", changed);
  form.addEventListener("submit", (e) => e.preventDefault());
  form.dataset.visitor = form.elements.visitor.value;
  form.dataset.page = form.elements.page.value;
  fillGroups(pane);
  panes.push(pane);
  panesBox.append(box);
  draw(pane);
}

/** What frame.js needs to build this pane's page. */
function paneState(pane) {
  const f = pane.form.elements;
  const group = f.group.value;
  const who = group || `preview-${f.visitor.value}`;
  let customer = null;
  if (f.visitor.value === "customer") {
    customer = { id: who, payment_default: f.payment_default.checked };
    if (f.segment.value) customer.segment = f.segment.value;
    if (f.tier.value.trim()) customer.tier = f.tier.value.trim();
    if (f.points.value !== "") customer.points = Number(f.points.value);
    if (f.last_survey.value) customer.last_survey = f.last_survey.value;
  }
  return {
    pane: pane.index,
    version: ++drawn,
    catalogue: choices.catalogue,
    rules: goodRules,
    page: f.page.value,
    sku: f.page.value === "product" ? f.sku.value : undefined,
    cart: [...f.cart.selectedOptions].map((o) => ({ sku: o.value, quantity: 1 })),
    customer,
    visitor: customer ? undefined : who,
    today: f.today.value || undefined,
    device: f.device.value,
  };
}

/** Draws the pane in a new frame beside the old one and swaps when it is ready. */
function draw(pane) {
  if (!goodRules) return;
  const state = paneState(pane);
  const frame = document.createElement("iframe");
  frame.className = "next";
  frame.title = `Visitor ${pane.index + 1}`;
  frame.dataset.device = state.device;
  frame.dataset.version = state.version;
  frame.src = `/preview/frame.html?s=${encodeURIComponent(JSON.stringify(state))}`;
  for (const old of pane.box.querySelectorAll("iframe.next")) old.remove();
  $(".frame-box", pane.box).append(frame);
}

addEventListener("message", (event) => {
  if (event.origin !== location.origin || typeof event.data?.treuePane !== "number") return;
  const pane = panes[event.data.treuePane];
  const frame = pane?.box.querySelector(`iframe.next[data-version="${event.data.version}"]`);
  if (!frame) return;
  for (const old of pane.box.querySelectorAll("iframe:not(.next)")) old.remove();
  frame.classList.remove("next");
  pane.box.dataset.version = frame.dataset.version;
  fitHeight(frame);
});

/** The frame as tall as its page, also when a widget grows later (the survey appears). */
function fitHeight(frame) {
  const doc = frame.contentDocument;
  if (!doc) return;
  const fit = () => { frame.style.height = `${Math.max(200, doc.documentElement.scrollHeight)}px`; };
  fit();
  new ResizeObserver(fit).observe(doc.body);
}

function fillGroups(pane) {
  const select = pane.form.elements.group;
  const chosen = select.selectedOptions[0]?.textContent;
  select.replaceChildren(option("", "as the split decides"), ...groups.map((g) => option(g.visitor, `${g.section}: ${g.group}`)));
  const again = [...select.options].find((o) => o.textContent === chosen);
  select.value = again ? again.value : "";
}

let checking = 0;
/** Checks the editor's text; a clean result becomes the panes' rules. */
async function check() {
  const text = editor.value;
  const mine = ++checking;
  let result;
  try {
    const response = await fetch("/preview/check", { method: "POST", body: text, headers: { "content-type": "text/plain" } });
    result = await response.json();
  } catch (error) {
    status.textContent = `could not check: ${error.message}`;
    return;
  }
  if (mine !== checking) return;
  showProblems(result);
  groups = result.groups;
  tiers = result.tiers;
  $("#tiers").replaceChildren(...tiers.map((t) => option(t)));
  if (result.problems.length > 0) return;
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  rulesUrls.push(url);
  // The panes fetch the rules once, as they load; older copies are no longer read.
  while (rulesUrls.length > 4) URL.revokeObjectURL(rulesUrls.shift());
  goodRules = url;
  for (const pane of panes) {
    fillGroups(pane);
    draw(pane);
  }
}

function showProblems({ file, problems, disabled }) {
  const broken = problems.length > 0;
  editor.setAttribute("aria-invalid", String(broken));
  status.dataset.state = broken ? "broken" : "ok";
  status.textContent = broken
    ? `${problems.length} problem${problems.length === 1 ? "" : "s"}; the panes show the last rules without any`
    : "no problems; the panes show these rules";
  problemsList.replaceChildren(...problems.map((p) => {
    const li = document.createElement("li");
    li.textContent = `${file}:${p.line}:${p.column}: ${p.path ? `at ${p.path}: ` : ""}${p.message}`;
    li.dataset.path = p.path;
    li.dataset.line = p.line;
    li.title = "Go to this line";
    li.addEventListener("click", () => goTo(p.line, p.column));
    return li;
  }));
  if (disabled.length > 0) {
    const li = document.createElement("li");
    li.className = "off";
    li.textContent = `with these problems a shop's browser turns off: ${disabled.join(", ")}`;
    problemsList.append(li);
  }
}

function goTo(line, column) {
  const lines = editor.value.split("\n");
  const at = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  editor.focus();
  editor.setSelectionRange(at, at);
}

let pending;
editor.addEventListener("input", () => {
  clearTimeout(pending);
  pending = setTimeout(check, 250);
});
$("#load").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  editor.value = await file.text();
  check();
});
$("#save").addEventListener("click", (event) => {
  event.currentTarget.href = URL.createObjectURL(new Blob([editor.value], { type: "application/json" }));
});
$("#count").addEventListener("change", () => setCount(Number($("#count").value)));

function setCount(count) {
  while (panes.length > count) panes.pop().box.remove();
  while (panes.length < count) addPane(panes.length);
}

const tierList = document.createElement("datalist");
tierList.id = "tiers";
document.body.append(tierList);
editor.value = await (await fetch("/preview/rules.json")).text();
setCount(Number($("#count").value));
await check();
