import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { SimulationEvent } from "../result.ts";
import { eventRows, reasonCounts, splitObjects, withoutStutter } from "./event-log.ts";

const ev = (t: string, kind: string, object: string, message: string): SimulationEvent => ({
  t,
  kind,
  object,
  message,
});

describe("eventRows", () => {
  const events = [
    ev("1s", "NodeClaimCreated", "NodeClaim/spot-1", "for 2 pod(s)"),
    ev("1m1s", "NodeRegistered", "NodeClaim/spot-1", "as Node/node-0002"),
    ev("1m2s", "Scheduled", "Pod/shop/db-0", "assigned to Node/node-0002"),
    ev("2h", "DisruptionDelete", "Node/node-0002,Node/node-0003", "Empty: empty: nothing runs"),
    ev("2h1s", "PodEvicted", "Pod/shop/db-0", "from Node/node-0002"),
    ev("2h5s", "Scheduled", "Pod/shop/db-0", "assigned to Node/node-0004"),
  ];
  const rows = eventRows(events);

  it("names the columns' content: reason from the kind, message without the stutter", () => {
    assert.deepEqual(
      rows.map((r) => [r.t, r.reason]),
      events.map((e) => [e.t, e.kind]),
    );
    assert.equal(rows[3]?.message, "Empty: nothing runs");
  });

  it("ties a NodeClaim and its Node together from the registration event", () => {
    assert.deepEqual(rows[0]?.objects, [{ name: "NodeClaim/spot-1", alias: "Node/node-0002" }]);
    assert.deepEqual(rows[3]?.objects, [
      { name: "Node/node-0002", alias: "NodeClaim/spot-1" },
      { name: "Node/node-0003" },
    ]);
    // The claim's creation concerns the node it became, so a filter on the node finds it.
    assert.ok(rows[0]?.related.includes("Node/node-0002"));
  });

  it("relates a row to the objects its message names, namespaced names whole", () => {
    assert.deepEqual(rows[2]?.related, ["Pod/shop/db-0", "Node/node-0002", "NodeClaim/spot-1"]);
  });

  it("reads references to the end of the name, not of the clause", () => {
    const [row] = eventRows([
      ev(
        "1h",
        "GarbageCollected",
        "Instance/sim:///us-east-1a/i-000001",
        "left by Node/n-9: gone.",
      ),
    ]);
    assert.deepEqual(row?.related, ["Instance/sim:///us-east-1a/i-000001", "Node/n-9"]);
  });

  it("says where an evicted pod was scheduled next", () => {
    assert.deepEqual(rows[4]?.rescheduled, { t: "2h5s", message: "assigned to Node/node-0004" });
    assert.equal(rows[2]?.rescheduled, undefined);
  });

  it("counts reasons in order of first appearance", () => {
    assert.deepEqual(reasonCounts(rows), [
      { reason: "NodeClaimCreated", count: 1 },
      { reason: "NodeRegistered", count: 1 },
      { reason: "Scheduled", count: 2 },
      { reason: "DisruptionDelete", count: 1 },
      { reason: "PodEvicted", count: 1 },
    ]);
  });
});

describe("withoutStutter", () => {
  const cases = [
    [
      "the method repeated by its reason, in another case",
      "Underutilized: underutilized: 12 pods fit",
      "Underutilized: 12 pods fit",
    ],
    [
      "a method followed by a longer reason is kept",
      "Expired: expired after 720h: replaced",
      "Expired: expired after 720h: replaced",
    ],
    [
      "two different leading words are kept",
      "Empty: only daemonset pods: saves $1",
      "Empty: only daemonset pods: saves $1",
    ],
    ["no prefix at all", "ready for pods", "ready for pods"],
  ] as const;
  for (const [name, input, want] of cases)
    it(name, () => assert.equal(withoutStutter(input), want));
});

describe("splitObjects", () => {
  // Object names are RFC 1123 DNS subdomains (Kubernetes "Object Names and IDs"): no commas.
  const cases = [
    ["one object", "Pod/shop/web-0", ["Pod/shop/web-0"]],
    ["a disruption's several nodes", "Node/a,Node/b", ["Node/a", "Node/b"]],
    ["spaces after commas and empty parts dropped", "Node/a, Node/b,", ["Node/a", "Node/b"]],
  ] as const;
  for (const [name, input, want] of cases)
    it(name, () => assert.deepEqual(splitObjects(input), want));
});
