import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runHook } from "./run-hook.ts";

const node = process.execPath;
const quick = { sleep: async () => {} };
const script = (code: string) => ({ command: [node, "-e", code] });

describe("hooks: a command with JSON on standard input", () => {
  it("gets the document on stdin and its stdout is the answer", async () => {
    const result = await runHook(
      {
        exec: script(
          "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write(JSON.parse(s).machine))",
        ),
      },
      { machine: "box-01" },
    );
    assert.deepEqual(result, { ok: true, output: "box-01", attempts: 1 });
  });

  it("a non-zero exit is a failure with the tail of its output, after the retries", async () => {
    const result = await runHook(
      { exec: script("console.error('relay 3 stuck');process.exit(3)"), retries: 2 },
      {},
      quick,
    );
    assert.equal(result.ok, false);
    assert.equal(result.attempts, 3);
    assert.match(result.ok ? "" : result.message, /exited with status 3: relay 3 stuck/);
  });

  it("a command that hangs is stopped at its timeout", async () => {
    const started = Date.now();
    const result = await runHook(
      { exec: script("setTimeout(()=>{},60000)"), timeout: "1s", retries: 0 },
      {},
    );
    assert.equal(result.ok ? "" : result.reason, "timeout");
    assert.ok(Date.now() - started < 10_000);
  });

  it("a failure is retried, and a later success counts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "carpool-hook-"));
    const counter = join(dir, "n");
    writeFileSync(counter, "0");
    const result = await runHook(
      {
        exec: script(
          `const f=${JSON.stringify(counter)};const n=+require('fs').readFileSync(f,'utf8')+1;require('fs').writeFileSync(f,String(n));process.exit(n<2?1:0)`,
        ),
        retries: 3,
      },
      {},
      quick,
    );
    assert.equal(result.ok, true);
    assert.equal(result.attempts, 2);
    assert.equal(readFileSync(counter, "utf8"), "2");
  });

  it("a missing program is a failure naming it", async () => {
    const result = await runHook({ exec: { command: ["/nonexistent/wake"] }, retries: 0 }, {});
    assert.match(result.ok ? "" : result.message, /\/nonexistent\/wake: spawn .*ENOENT/);
  });

  it("does not pass the controller's credentials in the environment", async () => {
    process.env.AWS_SECRET_ACCESS_KEY = "do-not-leak";
    try {
      const result = await runHook(
        { exec: script("process.stdout.write(JSON.stringify(process.env))") },
        {},
      );
      assert.ok(result.ok);
      assert.equal(JSON.parse(result.output).AWS_SECRET_ACCESS_KEY, undefined);
    } finally {
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });

  it("never repeats a secret it was given, even when the hook echoes it", async () => {
    const result = await runHook(
      {
        exec: script(
          "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{console.error(s);process.exit(1)})",
        ),
        retries: 0,
      },
      { userData: "token: K10abc::server:s3cret" },
      { secrets: ["K10abc::server:s3cret"] },
    );
    assert.ok(!result.ok && !result.message.includes("s3cret"));
    assert.match(result.ok ? "" : result.message, /\[REDACTED\]/);
  });
});

describe("hooks: a webhook (POST with a JSON body)", () => {
  let server: Server;
  let base = "";
  const seen: unknown[] = [];
  before(async () => {
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (d) => {
        body += d;
      });
      request.on("end", () => {
        seen.push({
          url: request.url,
          type: request.headers["content-type"],
          body: JSON.parse(body),
        });
        if (request.url === "/ok") response.end('{"switched":"on"}');
        else if (request.url === "/hang") setTimeout(() => response.end(), 10_000).unref();
        else {
          response.statusCode = 503;
          response.end("PDU busy");
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it("2xx is success with the body as the answer", async () => {
    const result = await runHook({ webhook: { url: `${base}/ok` } }, { machine: "box-02" });
    assert.deepEqual(result, { ok: true, output: '{"switched":"on"}', attempts: 1 });
    assert.deepEqual(seen.at(-1), {
      url: "/ok",
      type: "application/json",
      body: { machine: "box-02" },
    });
  });

  it("another status is a failure with it and the body, after the retries", async () => {
    const result = await runHook(
      { webhook: { url: `${base}/busy?token=abc` }, retries: 1 },
      {},
      quick,
    );
    assert.equal(result.attempts, 2);
    assert.match(
      result.ok ? "" : result.message,
      /^http:\/\/127\.0\.0\.1:\d+ answered 503: PDU busy$/,
    );
  });

  it("an endpoint that does not answer in time is a timeout", async () => {
    const result = await runHook(
      { webhook: { url: `${base}/hang` }, timeout: "1s", retries: 0 },
      {},
    );
    assert.equal(result.ok ? "" : result.reason, "timeout");
  });

  it("nothing listening is unreachable", async () => {
    const result = await runHook({ webhook: { url: "http://127.0.0.1:1/x" }, retries: 0 }, {});
    assert.equal(result.ok ? "" : result.reason, "unreachable");
  });
});
