// A small static server for the demo shop: www/ at /, the built bundle pkg/
// at /treue/. Zero dependencies. `--csp` adds the strict Content-Security-Policy
// a careful merchant would set, so the demo shows the widgets work under it.
//
//   node scripts/serve.mjs [--port 8080] [--host 127.0.0.1] [--csp] [--collector http://127.0.0.1:8081]
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const port = Number(flag("--port", process.env.PORT ?? 8080));
const host = flag("--host", "127.0.0.1");
const strictCsp = args.includes("--csp");
// The merchant's collector on another origin must be named in connect-src.
const collector = flag("--collector", null);

const types = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".json": "application/json; charset=utf-8", ".wasm": "application/wasm",
  ".svg": "image/svg+xml", ".png": "image/png", ".bin": "application/octet-stream", ".ts": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8", ".ico": "image/x-icon",
};
const mounts = [["/treue/", join(root, "pkg")], ["/", join(root, "www")]];
export const cspFor = (collector) =>
  `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'${collector ? " " + collector : ""}; object-src 'none'; base-uri 'none'`;
export const CSP = cspFor(null);

export function handler(options = {}) {
  return async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    let path = decodeURIComponent(url.pathname);
    if (path.endsWith("/")) path += "index.html";
    const [prefix, dir] = mounts.find(([p]) => path.startsWith(p));
    const file = normalize(join(dir, path.slice(prefix.length)));
    const headers = { "cache-control": "no-cache" };
    if (options.csp || url.searchParams.has("csp")) headers["content-security-policy"] = cspFor(options.collector);
    if (!file.startsWith(dir)) { res.writeHead(403, headers).end("forbidden"); return; }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error("not a file");
      // "no-cache" with a validator, as a CDN in front of a shop answers: a
      // return visit asks again and gets 304 while the file is unchanged, so
      // the browser keeps its copy (and, for the wasm, its compiled code).
      const etag = `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
      if (req.headers["if-none-match"] === etag) { res.writeHead(304, { ...headers, etag }).end(); return; }
      const body = await readFile(file);
      res.writeHead(200, { ...headers, etag, "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404, { ...headers, "content-type": "text/html; charset=utf-8" })
        .end("<!doctype html><title>404</title><h1>Nicht gefunden</h1>");
    }
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  createServer(handler({ csp: strictCsp, collector })).listen(port, host, () => {
    console.log(`treue demo shop: http://${host}:${port}/${strictCsp ? "  (strict CSP)" : ""}`);
    console.log("Ctrl-C stops it.");
  });
}
