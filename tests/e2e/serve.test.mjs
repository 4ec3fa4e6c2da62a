// scripts/serve.mjs answers as a CDN would: brotli or gzip by Accept-Encoding
// for what compresses, identity otherwise, a validator per encoding (304 when
// unchanged), and any directory or file mounted where it is asked for.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer, request } from "node:http";
import { mkdtemp, writeFile, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { handler, parseMounts, chooseEncoding } from "../../scripts/serve.mjs";

const serveScript = fileURLToPath(new URL("../../scripts/serve.mjs", import.meta.url));
let dir;
let server;
let base;
const files = {};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "treue-serve-"));
  // Text that compresses, a wasm-like binary, a picture, and a rules file mounted on its own.
  files["page.html"] = Buffer.from(`<!doctype html><html lang="de"><p>${"Kaffeevollautomat ".repeat(400)}</p></html>`);
  files["bundle.wasm"] = Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.alloc(4000, 7)]);
  files["photo.png"] = Buffer.from("\x89PNG\r\n\x1a\n" + "x".repeat(2000), "latin1");
  files["rules.json"] = Buffer.from(JSON.stringify({ measure: { collector: "http://127.0.0.1:9311" } }));
  for (const [name, body] of Object.entries(files)) await writeFile(join(dir, name), body);
  const mounts = parseMounts([`/data/rules.json=${join(dir, "rules.json")}`], { www: dir });
  server = createServer(handler({ mounts }));
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(async () => {
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A raw GET (no decoding by the client): status, headers and the bytes as sent. */
function get(path, headers = {}) {
  return new Promise((resolve, reject) => {
    request(base + path, { headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject).end();
  });
}

test("Accept-Encoding br gets brotli bytes that decompress to the file, with Vary", async () => {
  for (const name of ["page.html", "bundle.wasm"]) {
    const r = await get(`/${name}`, { "accept-encoding": "gzip, deflate, br" });
    assert.equal(r.status, 200);
    assert.equal(r.headers["content-encoding"], "br", name);
    assert.equal(r.headers.vary, "Accept-Encoding");
    assert.equal(Number(r.headers["content-length"]), r.body.length);
    assert.ok(r.body.length < files[name].length, `${name}: ${r.body.length} bytes sent for ${files[name].length}`);
    assert.deepEqual(brotliDecompressSync(r.body), files[name]);
  }
});

test("Accept-Encoding gzip alone gets gzip bytes that decompress to the file", async () => {
  const r = await get("/page.html", { "accept-encoding": "gzip" });
  assert.equal(r.headers["content-encoding"], "gzip");
  assert.deepEqual(gunzipSync(r.body), files["page.html"]);
});

test("no Accept-Encoding, or br and gzip refused, gets the file itself", async () => {
  for (const headers of [{}, { "accept-encoding": "br;q=0, gzip;q=0" }, { "accept-encoding": "identity" }]) {
    const r = await get("/page.html", headers);
    assert.equal(r.status, 200);
    assert.equal(r.headers["content-encoding"], undefined, JSON.stringify(headers));
    assert.equal(r.headers.vary, "Accept-Encoding");
    assert.deepEqual(r.body, files["page.html"]);
  }
});

test("pictures are sent as they are, whatever the browser accepts", async () => {
  const r = await get("/photo.png", { "accept-encoding": "br, gzip" });
  assert.equal(r.headers["content-encoding"], undefined);
  assert.equal(r.headers["content-type"], "image/png");
  assert.deepEqual(r.body, files["photo.png"]);
});

test("each encoding has its own ETag, and an unchanged file answers 304 to it", async () => {
  const br = await get("/bundle.wasm", { "accept-encoding": "br" });
  const plain = await get("/bundle.wasm");
  assert.equal(br.headers["content-type"], "application/wasm");
  assert.equal(br.headers["cache-control"], "no-cache");
  assert.ok(br.headers.etag && plain.headers.etag);
  assert.notEqual(br.headers.etag, plain.headers.etag);
  const again = await get("/bundle.wasm", { "accept-encoding": "br", "if-none-match": br.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  // The brotli copy's validator does not stand for the identity bytes.
  const other = await get("/bundle.wasm", { "if-none-match": br.headers.etag });
  assert.equal(other.status, 200);
  assert.deepEqual(other.body, files["bundle.wasm"]);
});

test("a mounted file answers its own path; paths outside a mount are refused", async () => {
  const r = await get("/data/rules.json", { "accept-encoding": "br" });
  assert.equal(r.status, 200);
  assert.deepEqual(JSON.parse(brotliDecompressSync(r.body)), JSON.parse(files["rules.json"]));
  assert.equal((await get("/data/other.json")).status, 404);
  assert.equal((await get("/nothing-here.html")).status, 404);
  const escape = await get("/%2e%2e/%2e%2e/etc/passwd");
  assert.ok([403, 404].includes(escape.status), `status ${escape.status}`);
});

test("the encoding follows the browser's preferences", () => {
  assert.equal(chooseEncoding("gzip, deflate, br, zstd"), "br");
  assert.equal(chooseEncoding("gzip"), "gzip");
  assert.equal(chooseEncoding("br;q=0, gzip"), "gzip");
  assert.equal(chooseEncoding("*"), "br");
  assert.equal(chooseEncoding(""), "identity");
  assert.equal(chooseEncoding(undefined), "identity");
});

test("--help explains the options, and a bad option is refused with the usage", async () => {
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, [serveScript, "--help"]);
  for (const option of ["--root", "--mount", "--csp", "--collector", "--no-compress", "--port"]) {
    assert.ok(stdout.includes(option), `--help names ${option}`);
  }
  await assert.rejects(run(process.execPath, [serveScript, "--bogus"]), (e) => e.code === 2 && e.stderr.includes("unknown option --bogus"));
  await assert.rejects(run(process.execPath, [serveScript, "--mount", "nope"]), (e) => e.code === 2 && e.stderr.includes("PREFIX=PATH"));
});

test("the demo shop's default mounts serve www/ at /", async () => {
  const demo = createServer(handler({}));
  await new Promise((r) => demo.listen(0, "127.0.0.1", r));
  try {
    const r = await new Promise((resolve, reject) => {
      request(`http://127.0.0.1:${demo.address().port}/shop.css`, { headers: { "accept-encoding": "br" } }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on("error", reject).end();
    });
    assert.equal(r.headers["content-encoding"], "br");
    assert.deepEqual(brotliDecompressSync(r.body), await readFile(fileURLToPath(new URL("../../www/shop.css", import.meta.url))));
  } finally {
    demo.close();
  }
});
