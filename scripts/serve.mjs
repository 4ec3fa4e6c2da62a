// A small static server for the demo shop: www/ at /, the built bundle pkg/
// at /treue/, answered as a CDN in front of a shop would (a validator on every
// file, brotli or gzip for what compresses), so what the browser and every
// benchmark see are realistic bytes. Zero dependencies.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { statSync } from "node:fs";
import { extname, join, normalize, resolve, dirname, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, gzip, constants } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const USAGE = `Serves the demo shop (or any directory) as a CDN would: no-cache with an ETag
(unchanged files answer 304), brotli or gzip by Accept-Encoding for text, JS,
JSON, wasm and the catalogue, Vary: Accept-Encoding.

  node scripts/serve.mjs [options]

  --port N              port (default 8080, or $PORT)
  --host ADDR           address to listen on (default 127.0.0.1)
  --root DIR            serve DIR at / instead of www/
  --mount PREFIX=PATH   serve PATH at PREFIX, repeatable; a directory serves
                        everything below PREFIX, a file answers PREFIX exactly.
                        Longer prefixes win. Default mounts: /treue/=pkg, /=www
  --csp                 add the strict Content-Security-Policy a careful
                        merchant would set (also per request with ?csp)
  --collector URL       the collector's origin, allowed in the CSP's connect-src
  --no-compress         answer every file uncompressed (identity)
  --help                this text

Examples:
  node scripts/serve.mjs --port 9000 --csp
  node scripts/serve.mjs --root ~/shop --mount /treue/=pkg --mount /treue/rules.json=rules.json`;

const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json; charset=utf-8", ".wasm": "application/wasm",
  ".svg": "image/svg+xml", ".png": "image/png", ".bin": "application/octet-stream", ".ts": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8", ".ico": "image/x-icon", ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
};
// What a CDN compresses: text, scripts, data, wasm, and the catalogue payload
// (.bin, which is not compressed in itself). Pictures already are.
const compressible = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".bin", ".ts", ".csv", ".xml", ".txt", ".ico"]);

export const defaultMounts = () => [["/treue/", join(root, "pkg")], ["/", join(root, "www")]];

/**
 * Mount points from `PREFIX=PATH` specs: a directory serves everything below
 * PREFIX (made to end in "/"), a file answers PREFIX exactly. Longest first.
 */
export function parseMounts(specs, { base = process.cwd(), www = join(root, "www") } = {}) {
  const mounts = [["/treue/", join(root, "pkg")], ["/", www]];
  for (const spec of specs) {
    const eq = spec.indexOf("=");
    if (eq <= 0 || !spec.startsWith("/")) throw new Error(`--mount ${spec}: expected PREFIX=PATH with PREFIX starting with /`);
    let prefix = spec.slice(0, eq);
    const path = resolve(base, spec.slice(eq + 1));
    let info;
    try { info = statSync(path); } catch { throw new Error(`--mount ${spec}: ${path} does not exist`); }
    if (info.isDirectory() && !prefix.endsWith("/")) prefix += "/";
    const i = mounts.findIndex(([p]) => p === prefix);
    if (i >= 0) mounts.splice(i, 1);
    mounts.push([prefix, path, info.isFile()]);
  }
  return mounts;
}

export const cspFor = (collector) =>
  `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'${collector ? " " + collector : ""}; object-src 'none'; base-uri 'none'`;
export const CSP = cspFor(null);

/** The encoding to answer with: brotli when accepted, else gzip, else identity (q=0 refuses). */
export function chooseEncoding(acceptEncoding = "") {
  const accepted = new Map();
  for (const part of String(acceptEncoding).split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    accepted.set(name, q ? Number(q.slice(2)) : 1);
  }
  const ok = (name) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0;
  if (ok("br")) return "br";
  if (ok("gzip")) return "gzip";
  return "identity";
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
// Small files (the bundle, the rules, the pages) as a build step would
// precompress them, at the highest levels; large ones (the demo's 5 MB
// shop.json, a benchmark's catalogue) at the levels CDNs use on the fly.
const LARGE = 1 << 20;
function compress(body, encoding) {
  const large = body.length > LARGE;
  if (encoding === "br") {
    return brotli(body, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: large ? 5 : 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    });
  }
  return gzipAsync(body, { level: large ? 6 : 9 });
}

// Compressed bodies by file, validator and encoding, so a file is compressed
// once while it is unchanged.
const compressed = new Map();
function compressedBody(file, etag, body, encoding) {
  const key = `${file}\0${etag}\0${encoding}`;
  let entry = compressed.get(key);
  if (!entry) {
    entry = compress(body, encoding);
    compressed.set(key, entry);
    entry.catch(() => compressed.delete(key));
  }
  return entry;
}

const matches = (ifNoneMatch, etag) =>
  ifNoneMatch != null && ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);

export function handler(options = {}) {
  const mounts = [...(options.mounts ?? defaultMounts())].sort((a, b) => b[0].length - a[0].length);
  const compressing = options.compress !== false;
  return async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    let path;
    try { path = decodeURIComponent(url.pathname); } catch { path = "\0"; }
    if (path.endsWith("/")) path += "index.html";
    const headers = { "cache-control": "no-cache" };
    if (options.csp || url.searchParams.has("csp")) headers["content-security-policy"] = cspFor(options.collector);
    const mount = mounts.find(([prefix, , exact]) => (exact ? path === prefix : path.startsWith(prefix)));
    const notFound = () =>
      res.writeHead(404, { ...headers, "content-type": "text/html; charset=utf-8" })
        .end("<!doctype html><title>404</title><h1>Nicht gefunden</h1>");
    if (!mount || path.includes("\0")) { notFound(); return; }
    const [prefix, dir, exact] = mount;
    const file = exact ? dir : normalize(join(dir, path.slice(prefix.length)));
    if (!exact && file !== dir && !file.startsWith(dir.endsWith(sep) ? dir : dir + sep)) {
      res.writeHead(403, headers).end("forbidden");
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error("not a file");
      const ext = extname(file);
      const encoding = compressing && compressible.has(ext) ? chooseEncoding(req.headers["accept-encoding"]) : "identity";
      if (compressing && compressible.has(ext)) headers.vary = "Accept-Encoding";
      // "no-cache" with a validator, as a CDN in front of a shop answers: a
      // return visit asks again and gets 304 while the file is unchanged, so
      // the browser keeps its copy (and, for the wasm, its compiled code).
      // Each encoding is its own representation, with its own validator.
      const base = `${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}`;
      const etag = encoding === "identity" ? `"${base}"` : `"${base}-${encoding}"`;
      if (matches(req.headers["if-none-match"], etag)) { res.writeHead(304, { ...headers, etag }).end(); return; }
      const raw = await readFile(file);
      const body = encoding === "identity" ? raw : await compressedBody(file, etag, raw, encoding);
      const answer = { ...headers, etag, "content-type": types[ext] ?? "application/octet-stream", "content-length": body.length };
      if (encoding !== "identity") answer["content-encoding"] = encoding;
      res.writeHead(200, answer);
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      notFound();
    }
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    process.exit(0);
  }
  const known = new Set(["--port", "--host", "--root", "--mount", "--collector"]);
  const flags = new Set(["--csp", "--no-compress"]);
  const values = new Map();
  const mountSpecs = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (flags.has(a)) { values.set(a, true); continue; }
    if (!known.has(a) || i + 1 >= args.length) {
      console.error(`serve.mjs: ${known.has(a) ? `${a} needs a value` : `unknown option ${a}`}\n\n${USAGE}`);
      process.exit(2);
    }
    if (a === "--mount") mountSpecs.push(args[++i]);
    else values.set(a, args[++i]);
  }
  const port = Number(values.get("--port") ?? process.env.PORT ?? 8080);
  const host = values.get("--host") ?? "127.0.0.1";
  let mounts;
  try {
    const www = values.has("--root") ? resolve(values.get("--root")) : join(root, "www");
    if (!statSync(www, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`--root ${www} is not a directory`);
    mounts = parseMounts(mountSpecs, { www });
  } catch (error) {
    console.error(`serve.mjs: ${error.message}`);
    process.exit(2);
  }
  const strictCsp = values.has("--csp");
  createServer(handler({ csp: strictCsp, collector: values.get("--collector"), mounts, compress: !values.has("--no-compress") }))
    .listen(port, host, () => {
      console.log(`treue demo shop: http://${host}:${port}/${strictCsp ? "  (strict CSP)" : ""}`);
      for (const [prefix, path] of [...mounts].sort((a, b) => a[0].localeCompare(b[0]))) console.log(`  ${prefix} -> ${path}`);
      console.log("Ctrl-C stops it.");
    });
}
