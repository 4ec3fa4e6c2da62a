// The opt-in "later" embed as README documents it (between its
// `later-embed:start`/`end` markers): the tag made inert with
// type="treue/later" and the inline script that adds it once the page has
// settled. README is its one home; the end-to-end test and
// scripts/bench-lighthouse read it from there, so what they check is what a
// shop copies.
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const section = readme.match(/<!-- later-embed:start -->([\s\S]*?)<!-- later-embed:end -->/)?.[1];
if (!section) throw new Error("README.md: no <!-- later-embed:start --> ... <!-- later-embed:end --> section");
const block = section.match(/```html\n([\s\S]*?)\n```/)?.[1];
if (!block) throw new Error("README.md: the later-embed section has no ```html block");

/** The README's block, as a shop pastes it: the inert tag, then the inline script. */
export const html = block;
/** The inline script's text, exactly as the browser hashes it for a CSP. */
export const script = block.match(/<script>([\s\S]*?)<\/script>/)?.[1];
if (script === undefined) throw new Error("README.md: the later-embed block has no inline <script>");
/** Its CSP source expression, `'sha256-…'`. */
export const hash = `'sha256-${createHash("sha256").update(script).digest("base64")}'`;
/** The hash README states for it (the test compares the two). */
export const statedHash = section.match(/'sha256-[A-Za-z0-9+/=]+'/)?.[0];

/**
 * A page's one-tag embed turned into the later embed: the same tag and
 * data-attributes with type="treue/later", followed by the inline script.
 */
export function laterEmbed(tag) {
  if (!/type="module"/.test(tag)) throw new Error(`not a treue tag with type="module": ${tag}`);
  return `${tag.replace('type="module"', 'type="treue/later"')}${tag.endsWith("\n") ? "" : "\n"}<script>${script}</script>\n`;
}
