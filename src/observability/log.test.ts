import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { createLogger, type LogFormat, type LogLevel, objectFields, Redacted } from "./log.ts";

/** A destination that keeps what was written, one entry per line. */
function capture(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

function logger(format: LogFormat, level: LogLevel = "debug") {
  const { stream, lines } = capture();
  return { log: createLogger({ level, format, destination: stream }), lines };
}

describe("createLogger json", () => {
  it("writes Karpenter's zap JSON shape: capital level, ISO time, logger, message", () => {
    const { log, lines } = logger("json");
    log.child({ controller: "provisioner" }).info({ nodePool: "default" }, "created nodeclaim");
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0] ?? "");
    assert.equal(record.level, "INFO");
    assert.match(record.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(record.logger, "controller");
    assert.equal(record.controller, "provisioner");
    assert.equal(record.message, "created nodeclaim");
    assert.equal(record.nodePool, "default");
    assert.equal(record.msg, undefined);
    assert.equal(record.pid, undefined, "no pid/hostname: Karpenter's lines have none");
  });
  it("puts errors under `error` with their type and message", () => {
    const { log, lines } = logger("json");
    log.error({ error: new TypeError("boom") }, "launch failed");
    const record = JSON.parse(lines[0] ?? "");
    assert.equal(record.level, "ERROR");
    assert.equal(record.error.type, "TypeError");
    assert.equal(record.error.message, "boom");
  });
  it("drops records below the level", () => {
    const { log, lines } = logger("json", "warn");
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).level),
      ["WARN", "ERROR"],
    );
  });
  it("debug level lets debug through", () => {
    const { log, lines } = logger("json", "debug");
    log.debug("d");
    assert.equal(JSON.parse(lines[0] ?? "").level, "DEBUG");
  });
});

describe("createLogger text", () => {
  it("writes one human line: time, level, controller, message, key=value fields", () => {
    const { log, lines } = logger("text");
    log
      .child({ controller: "provisioning" })
      .info({ nodeClaim: "default-abcde", nodePool: "default" }, "created nodeclaim");
    assert.equal(lines.length, 1);
    assert.match(
      lines[0] ?? "",
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}provisioning created nodeclaim nodeClaim=default-abcde nodePool=default$/,
    );
  });
  it("without a controller the logger name leads; values with spaces are quoted", () => {
    const { log, lines } = logger("text");
    log.warn({ reason: "no capacity left", count: 3 }, "gave up");
    assert.match(lines[0] ?? "", / WARN {2}controller gave up reason="no capacity left" count=3$/);
  });
  it("an error shows as its type and message on the same line", () => {
    const { log, lines } = logger("text");
    log.error({ error: new RangeError("bad zone") }, "launch failed");
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? "", / ERROR controller launch failed error="RangeError: bad zone"$/);
  });
  it("respects the level", () => {
    const { log, lines } = logger("text", "info");
    log.debug("hidden");
    log.info("shown");
    assert.equal(lines.length, 1);
  });
});

describe("redaction", () => {
  for (const format of ["json", "text"] as const) {
    it(`keeps secrets out of ${format} lines`, () => {
      const { log, lines } = logger(format);
      log.info(
        {
          token: "t0p-s3cret-1",
          password: "t0p-s3cret-2",
          userData: "#!/bin/bash\nK3S_TOKEN=t0p-s3cret-3",
          nodeClass: { spec: { userData: "t0p-s3cret-4" }, token: "t0p-s3cret-5" },
          headers: { authorization: "Bearer t0p-s3cret-6", accept: "json" },
          request: { headers: { authorization: "Bearer t0p-s3cret-7" } },
          credentials: { secretAccessKey: "t0p-s3cret-8", sessionToken: "t0p-s3cret-9" },
          name: "visible",
        },
        "calling the cloud",
      );
      const line = lines.join("\n");
      assert.doesNotMatch(line, /t0p-s3cret/);
      assert.match(line, /visible/);
      assert.match(line, new RegExp(Redacted.replace(/[[\]]/g, "\\$&")));
      assert.match(line, /json/, "fields beside a secret stay");
    });
  }
});

describe("objectFields", () => {
  it("names a namespaced object by kind, namespace and name", () => {
    assert.deepEqual(
      objectFields({ kind: "Pod", metadata: { namespace: "default", name: "web-1" } }),
      { kind: "Pod", namespace: "default", name: "web-1" },
    );
  });
  it("leaves namespace out for a cluster-scoped object", () => {
    assert.deepEqual(objectFields({ kind: "NodeClaim", metadata: { name: "default-0001" } }), {
      kind: "NodeClaim",
      name: "default-0001",
    });
  });
  it("reads event references", () => {
    assert.deepEqual(objectFields("Pod/default/web-1"), {
      kind: "Pod",
      namespace: "default",
      name: "web-1",
    });
    assert.deepEqual(objectFields("NodeClaim/default-0001"), {
      kind: "NodeClaim",
      name: "default-0001",
    });
    assert.deepEqual(objectFields("Instance/aws:///us-west-2a/i-0abc"), {
      kind: "Instance",
      name: "aws:///us-west-2a/i-0abc",
    });
  });
});
