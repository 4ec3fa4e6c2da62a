// Screenshots of the rules preview for docs/img/: on a desktop screen, three
// visitors side by side on a product page at phone width (a guest, a customer,
// a customer in payment default: no upgrade); on a phone, the editor above one pane. Needs a build
// (scripts/build): it runs the real `treue preview` over the demo shop's data.
//   node scripts/preview-screenshots.mjs
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startPreview, until } from "../tests/e2e/harness.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const { base, stop } = await startPreview(join(root, "examples/rules/demo.json"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});

/** Waits until every pane shows a drawn frame whose widgets all settled. */
const settled = (page) => until("the panes", () => page.evaluate(() => {
  const boxes = [...document.querySelectorAll("[data-pane]")];
  return boxes.length > 0 && boxes.every((box) => {
    const doc = box.querySelector("iframe:not(.next)")?.contentDocument;
    return doc && !box.querySelector("iframe.next") &&
      [...doc.querySelectorAll("[data-treue]")].every((el) => el.hasAttribute("data-treue-state"));
  });
}), 60000);

try {
  const desktop = await browser.newPage({ viewport: { width: 1680, height: 1400 } });
  await desktop.goto(`${base}/preview/`);
  await desktop.selectOption("#count", "3");
  await settled(desktop);
  await desktop.screenshot({ path: join(root, "docs/img/preview-desktop.png") });

  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.goto(`${base}/preview/`);
  await phone.selectOption("#count", "1");
  await settled(phone);
  await phone.screenshot({ path: join(root, "docs/img/preview-phone.png"), fullPage: true });
  console.log("wrote docs/img/preview-desktop.png, docs/img/preview-phone.png");
} finally {
  await browser.close();
  stop();
}
