import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { instanceType } from "../solver/fixtures.test-helpers.ts";
import {
  catalog,
  deployment,
  eventIndex,
  pool,
  replacementOutcomes,
  run,
} from "./fixtures.test-helpers.ts";

describe("simulation: provisioning and lifecycle", () => {
  it("pending pods get nodes: batch (1 s idle), launch 40 s, register 20 s, then bound", async () => {
    const result = await run({
      duration: "10m",
      objects: [pool(), ...catalog, deployment("web", 5, "1")],
    });
    assert.equal(result.summary.pods.created, 5);
    assert.equal(result.summary.pods.neverScheduled, 0);
    assert.equal(result.summary.pods.pendingSecondsP50, 61);
    assert.deepEqual(result.violations, []);
    const launched = result.events.filter((e) => e.kind === "NodeClaimLaunched");
    assert.ok(launched.length >= 1);
    // Each new node was registered and initialized before pods were bound to it.
    assert.ok(eventIndex(result, "NodeRegistered") < eventIndex(result, "NodeInitialized"));
    assert.equal(result.samples.at(-1)?.runningPods, 5);
  });
  it("samples one row per virtual minute, from 0s", async () => {
    const result = await run({ duration: "10m", objects: [pool(), ...catalog] });
    assert.equal(result.samples.length, 11);
    assert.deepEqual(
      result.samples.slice(0, 2).map((s) => s.t),
      ["0s", "1m0s"],
    );
  });
  it("a node that does not register within 15 minutes is given up and its pods planned again", async () => {
    const result = await run({
      duration: "20m",
      provider: { registrationLatency: "30m" },
      objects: [pool(), ...catalog, deployment("web", 1, "1")],
    });
    const timeout = eventIndex(result, "RegistrationTimeout");
    assert.ok(timeout >= 0);
    assert.match(result.events[timeout]?.t ?? "", /^15m/);
    assert.ok(result.events.slice(timeout).some((e) => e.kind === "NodeClaimCreated"));
  });
  it("a launch that fails for capacity marks the offering unavailable and tries the next cheapest", async () => {
    const result = await run({
      duration: "20m",
      objects: [pool(), ...catalog, deployment("web", 1, "1")],
      events: [{ at: "0s", unavailable: { instanceType: "small", zone: "z1", for: "1h" } }],
    });
    const failed = eventIndex(result, "InsufficientCapacity");
    assert.ok(failed >= 0, "expected an insufficient-capacity event");
    // The cloud never launched the offering it had no capacity for; the next plan avoids it too.
    const launches = result.events
      .filter((e) => e.kind === "NodeClaimLaunched")
      .map((e) => e.message);
    assert.ok(
      launches.every((m) => !/^small on-demand in z1/.test(m)),
      launches.join("\n"),
    );
    assert.ok(
      launches.some((m) => /^small on-demand in z2/.test(m)),
      launches.join("\n"),
    );
    assert.equal(result.summary.pods.neverScheduled, 0);
  });
});

describe("simulation: pending-time summary", () => {
  const limited = { ...pool(), spec: { ...pool().spec, limits: { cpu: "8" } } };
  it("pods that waited at a pool limit and were scaled away count as never scheduled, with their wait", async () => {
    // Karpenter's limits.cpu stops launches at 8 cpu: 8 of 10 one-cpu pods run, 2 wait until the
    // scale-down to 8 deletes them (a ReplicaSet deletes unscheduled pods first).
    const result = await run({
      duration: "1h",
      objects: [limited, ...catalog, deployment("web", 10, "1")],
      events: [
        {
          at: "30m",
          scale: { kind: "Deployment", namespace: "default", name: "web", replicas: 8 },
        },
      ],
    });
    assert.equal(result.summary.pods.created, 10);
    assert.equal(result.summary.pods.neverScheduled, 2);
    assert.equal(result.summary.pods.pendingSecondsP50, 61);
    assert.equal(result.summary.pods.pendingSecondsP99, 1800);
    // Reported unschedulable (pool limit) all along, so they are not pending_too_long breaches.
    assert.deepEqual(result.violations, []);
  });
  it("a pod still pending when the run ends waited until the end", async () => {
    const result = await run({
      duration: "1h",
      objects: [limited, ...catalog, deployment("web", 9, "1")],
    });
    assert.equal(result.summary.pods.neverScheduled, 1);
    assert.equal(result.summary.pods.pendingSecondsP99, 3600);
  });
});

describe("simulation: disruption", () => {
  it("nodes are removed after scale-down (emptiness)", async () => {
    const result = await run({
      duration: "1h",
      objects: [pool(), ...catalog, deployment("web", 6, "1")],
      events: [
        {
          at: "20m",
          scale: { kind: "Deployment", namespace: "default", name: "web", replicas: 0 },
        },
      ],
    });
    assert.equal(result.summary.nodes.final, 0);
    assert.ok(result.summary.disruptions.Empty >= 1);
    assert.equal(result.summary.cost.finalHourly, 0);
    assert.deepEqual(result.violations, []);
  });
  it("a consolidation launches its replacement and waits for it before the old node goes", async () => {
    const result = await run({
      duration: "1h",
      objects: [pool(), ...catalog, deployment("web", 7, "1")],
      events: [
        {
          at: "20m",
          scale: { kind: "Deployment", namespace: "default", name: "web", replicas: 1 },
        },
      ],
    });
    const replace = eventIndex(result, "DisruptionReplace");
    assert.ok(replace >= 0, "expected a replace command");
    const launching = /launching (.+) first/.exec(result.events[replace]?.message ?? "")?.[1];
    const replacements = (launching ?? "").split(", ").map((name) => `NodeClaim/${name}`);
    assert.ok(launching !== undefined, "the command names its replacement");
    const ready = result.events.findIndex(
      (e, i) => i > replace && e.kind === "NodeInitialized" && replacements.includes(e.object),
    );
    const gone = result.events.findIndex((e, i) => i > replace && e.kind === "NodeClaimTerminated");
    assert.ok(
      ready >= 0 && gone > ready,
      "the replacement is initialized before the old node terminates",
    );
    assert.ok(result.summary.cost.finalHourly < 0.18);
    assert.deepEqual(result.violations, []);
  });
  // Karpenter's scheduling simulation holds ScheduleAnyway constraints as required until it must
  // relax them, so it launches replacements in the zones the spread asks for; kube-scheduler's
  // PodTopologySpread scores those zones highest (weight 2) and LeastAllocated favours the empty
  // replacement, so the evicted pods' successors land there: at least the pods it was planned for.
  const spread = {
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { app: "web" } },
      },
    ],
  };
  const replacementRows = [
    { name: "zone spread, 20 → 9 half-cpu pods", replicas: [20, 9], cpu: "500m", spec: spread },
    { name: "zone spread, 12 → 2 half-cpu pods", replicas: [12, 2], cpu: "500m", spec: spread },
    { name: "zone spread, 7 → 2 pods of 1.5 cpu", replicas: [7, 2], cpu: "1500m", spec: spread },
    { name: "no constraints, 7 → 1 one-cpu pods", replicas: [7, 1], cpu: "1", spec: {} },
    { name: "no constraints, 9 → 7 pods of 1.5 cpu", replicas: [9, 7], cpu: "1500m", spec: {} },
  ];
  for (const row of replacementRows)
    it(`a replacement receives the pods it was launched for: ${row.name}`, async () => {
      const [from, to] = row.replicas as [number, number];
      const result = await run({
        duration: "1h",
        // A second workload that stays, so the cluster keeps nodes the pods could also go to.
        objects: [
          pool(),
          ...catalog,
          deployment("web", from, row.cpu, row.spec),
          deployment("api", 2, "250m"),
        ],
        events: [
          {
            at: "20m",
            scale: { kind: "Deployment", namespace: "default", name: "web", replicas: to },
          },
        ],
      });
      const outcomes = replacementOutcomes(result);
      assert.ok(outcomes.length >= 1, "expected a replace command");
      for (const o of outcomes) {
        assert.ok(o.received > 0, JSON.stringify(o));
        assert.ok(o.received >= o.evicted - o.moved, JSON.stringify(o));
      }
      assert.equal(result.samples.at(-1)?.runningPods, to + 2);
      assert.deepEqual(result.violations, []);
    });
  it("do-not-disrupt pods keep their node; consolidation waits 15 s and checks again", async () => {
    const result = await run({
      duration: "1h",
      objects: [
        pool(),
        ...catalog,
        deployment("web", 6, "1"),
        deployment("db", 1, "1", {}, { "karpenter.sh/do-not-disrupt": "true" }),
      ],
      events: [
        {
          at: "20m",
          scale: { kind: "Deployment", namespace: "default", name: "web", replicas: 0 },
        },
      ],
    });
    assert.equal(result.summary.nodes.final, 1);
    assert.equal(result.samples.at(-1)?.runningPods, 1);
    assert.deepEqual(result.violations, []);
  });
  it("a PodDisruptionBudget paces the drain: never more pods down than it allows", async () => {
    const result = await run({
      duration: "1h",
      objects: [
        pool(),
        ...catalog,
        deployment("web", 4, "1"),
        {
          apiVersion: "policy/v1",
          kind: "PodDisruptionBudget",
          metadata: { name: "web", namespace: "default" },
          spec: { maxUnavailable: 1, selector: { matchLabels: { app: "web" } } },
        },
      ],
      events: [
        {
          at: "15m",
          apply: { ...pool("default", {}, { taints: [{ key: "new", effect: "NoSchedule" }] }) },
        },
      ],
    });
    // Every web pod stayed up but for at most one at a time: running never drops below 3.
    const after = result.samples.filter((s) => s.seconds >= 16 * 60);
    assert.ok(
      after.every((s) => s.runningPods >= 3),
      JSON.stringify(after.map((s) => s.runningPods)),
    );
  });
});

describe("simulation: expiration", () => {
  it("expired nodes are deleted at once and their pods get new nodes (Karpenter v1: forceful)", async () => {
    const result = await run({
      duration: "1h",
      objects: [
        pool("default", { budgets: [{ nodes: "0" }] }, { expireAfter: "20m" }),
        ...catalog,
        deployment("web", 2, "1"),
      ],
    });
    assert.ok(result.summary.disruptions.Expired >= 1, JSON.stringify(result.summary.disruptions));
    assert.ok(
      result.events.some((e) => e.kind === "DisruptionDelete" && /Expired/.test(e.message)),
    );
    assert.equal(result.samples.at(-1)?.runningPods, 2);
    assert.deepEqual(result.violations, []);
  });
});

describe("simulation: faults", () => {
  it("a spot interruption cordons the node, launches its replacement at once, and loses no pod", async () => {
    const spot = [instanceType("spot-medium", 4, 16, 0.03, { capacityType: "spot" })];
    const result = await run({
      duration: "1h",
      objects: [pool(), ...spot, deployment("web", 3, "1")],
      events: [{ at: "20m", interrupt: { capacityType: "spot", count: 1 } }],
    });
    assert.equal(result.summary.disruptions.Interrupted, 1);
    const notice = result.events.find((e) => e.kind === "SpotInterrupted");
    assert.match(notice?.message ?? "", /replacements .* launched/);
    assert.equal(result.samples.at(-1)?.runningPods, 3);
    assert.equal(result.summary.pods.neverScheduled, 0);
    assert.deepEqual(result.violations, []);
  });
});

describe("simulation: determinism", () => {
  it("the same scenario and seed give the same result", async () => {
    const spec = {
      duration: "2h",
      objects: [pool(), ...catalog, deployment("web", 9, "500m")],
      events: [
        {
          at: "30m",
          scale: { kind: "Deployment", namespace: "default", name: "web", replicas: 2 },
        },
        { at: "1h", interrupt: { capacityType: "on-demand", count: 1 } },
      ],
    };
    assert.equal(JSON.stringify(await run(spec, 5)), JSON.stringify(await run(spec, 5)));
  });
});
