import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { startProbeServers } from "./http.ts";
import { createMetrics } from "./metrics.ts";

// Every server here binds 127.0.0.1 on a port the kernel picks.
const host = "127.0.0.1";

async function get(port: number, path: string, method = "GET") {
  const response = await fetch(`http://${host}:${port}${path}`, { method });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: await response.text(),
  };
}

describe("startProbeServers", async () => {
  const metrics = createMetrics();
  metrics.nodeClaimsCreated.inc({ reason: "provisioned", nodepool: "default" });
  let healthy = false;
  const servers = await startProbeServers({
    metricsPort: 0,
    healthPort: 0,
    host,
    registry: metrics.registry,
    checks: { healthy: () => healthy, ready: async () => true },
  });
  after(() => servers.close());

  it("binds two distinct ports when asked for port 0", () => {
    assert.ok(servers.metricsPort > 0 && servers.healthPort > 0);
    assert.notEqual(servers.metricsPort, servers.healthPort);
  });
  it("/metrics serves the registry in Prometheus text format", async () => {
    const { status, type, body } = await get(servers.metricsPort, "/metrics");
    assert.equal(status, 200);
    assert.equal(type, "text/plain; version=0.0.4; charset=utf-8");
    assert.match(body, /^# TYPE karpenter_nodeclaims_created_total counter$/m);
    assert.match(
      body,
      /^karpenter_nodeclaims_created_total\{reason="provisioned",nodepool="default"\} 1$/m,
    );
    assert.match(body, /^process_cpu_user_seconds_total /m);
  });
  it("health is 500 with a reason while the check fails, 200 ok once it passes", async () => {
    healthy = false;
    const failing = await get(servers.healthPort, "/healthz");
    assert.equal(failing.status, 500);
    assert.equal(failing.body, "healthz check failed\n");
    healthy = true;
    assert.deepEqual(await get(servers.healthPort, "/healthz"), {
      status: 200,
      type: "text/plain; charset=utf-8",
      body: "ok",
    });
  });
  it("ready true answers 200 ok", async () => {
    const { status, body } = await get(servers.healthPort, "/readyz");
    assert.deepEqual([status, body], [200, "ok"]);
  });
  it("a check that throws is a 500 that says why", async () => {
    const throwing = await startProbeServers({
      metricsPort: 0,
      healthPort: 0,
      host,
      registry: metrics.registry,
      checks: {
        healthy: () => true,
        ready: () => Promise.reject(new Error("informer caches not synced")),
      },
    });
    try {
      const { status, body } = await get(throwing.healthPort, "/readyz");
      assert.equal(status, 500);
      assert.equal(body, "readyz check failed: informer caches not synced\n");
    } finally {
      await throwing.close();
    }
  });
  it("each port serves only its own paths; anything else is 404", async () => {
    assert.equal((await get(servers.metricsPort, "/healthz")).status, 404);
    assert.equal((await get(servers.healthPort, "/metrics")).status, 404);
    assert.equal((await get(servers.healthPort, "/")).status, 404);
    assert.equal((await get(servers.metricsPort, "/metrics/extra")).status, 404);
  });
  it("query strings are ignored; HEAD works; other methods are refused", async () => {
    assert.equal((await get(servers.healthPort, "/readyz?verbose")).status, 200);
    const head = await get(servers.healthPort, "/readyz", "HEAD");
    assert.deepEqual([head.status, head.body], [200, ""]);
    assert.equal((await get(servers.metricsPort, "/metrics", "POST")).status, 405);
  });
  it("one non-zero port for both serves every path from one server", async () => {
    const free = await startProbeServers({
      metricsPort: 0,
      healthPort: 0,
      host,
      registry: metrics.registry,
      checks: { healthy: () => true, ready: () => true },
    });
    const port = free.metricsPort;
    await free.close();
    const shared = await startProbeServers({
      metricsPort: port,
      healthPort: port,
      host,
      registry: metrics.registry,
      checks: { healthy: () => true, ready: () => true },
    });
    try {
      assert.equal(shared.healthPort, port);
      assert.equal((await get(port, "/metrics")).status, 200);
      assert.equal((await get(port, "/healthz")).status, 200);
    } finally {
      await shared.close();
    }
  });
  it("a port already taken is an error, and nothing is left listening", async () => {
    await assert.rejects(
      startProbeServers({
        metricsPort: 0,
        healthPort: servers.healthPort,
        host,
        registry: metrics.registry,
        checks: { healthy: () => true, ready: () => true },
      }),
      /EADDRINUSE/,
    );
  });
});
