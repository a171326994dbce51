import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodePool } from "../api/nodepool.ts";
import { renderReason } from "../render/reasons.ts";
import { instanceType, nodePool, planOf, pod } from "./fixtures.test-helpers.ts";
import { type NodeClassObject, nodeClassReadiness, notReadyPools } from "./pool-readiness.ts";

const ref = { group: "carpool.dev", kind: "KwokNodeClass", name: "default" };
const kwokClass = (name: string, extra: Partial<NodeClassObject> = {}) => ({
  apiVersion: "carpool.dev/v1alpha1",
  kind: "KwokNodeClass",
  metadata: { name, ...extra.metadata },
  spec: {},
  ...(extra.status !== undefined && { status: extra.status }),
});
const ready = (status: string, reason = "Because", message = "") => ({
  conditions: [
    { type: "Ready", status, reason, message, lastTransitionTime: "2026-01-01T00:00:00Z" },
  ],
});

describe("NodeClassReady (Karpenter pkg/controllers/nodepool/readiness)", () => {
  const rows: { name: string; nodeClass: NodeClassObject | undefined; want: string }[] = [
    {
      name: "a missing class is NodeClassNotFound",
      nodeClass: undefined,
      want: "NodeClassNotFound",
    },
    {
      name: "a class being deleted is NodeClassTerminating",
      nodeClass: kwokClass("default", {
        metadata: { name: "default", deletionTimestamp: "2026-01-01T00:00:00Z" },
      }),
      want: "NodeClassTerminating",
    },
    {
      name: "Ready=False passes the class's own reason on",
      nodeClass: kwokClass("default", { status: ready("False", "SubnetsNotFound", "no subnets") }),
      want: "SubnetsNotFound",
    },
    {
      name: "Ready=Unknown is NodeClassReadinessUnknown",
      nodeClass: kwokClass("default", { status: ready("Unknown") }),
      want: "NodeClassReadinessUnknown",
    },
    {
      name: "Ready=True is ready",
      nodeClass: kwokClass("default", { status: ready("True") }),
      want: "ready",
    },
    {
      name: "no Ready condition is ready (carpool: kwok/static/exec classes have no status controller)",
      nodeClass: kwokClass("default"),
      want: "ready",
    },
  ];
  for (const row of rows)
    it(row.name, () => {
      const verdict = nodeClassReadiness(ref, row.nodeClass);
      assert.equal(verdict.ready ? "ready" : verdict.reason, row.want);
    });
});

describe("plan offline: pools whose node class Karpenter would not launch from", () => {
  const pool = nodePool("p", {}, { nodeClassRef: ref });
  const types = [instanceType("small", 2, 4, 0.02)];
  const rows: { name: string; objects: object[]; launches: boolean; reason?: RegExp }[] = [
    {
      name: "no class of the kind in the input: taken as ready (a plan of pools and pods alone)",
      objects: [],
      launches: true,
    },
    {
      name: "classes of the kind given, not this one: NodeClassNotFound, the pool is not used",
      objects: [kwokClass("other")],
      launches: false,
      reason:
        /NodeClassReady=False \(NodeClassNotFound\): KwokNodeClass default is not in the input \(it has other\)/,
    },
    {
      name: "the class given and Ready=False: not used, with the class's reason",
      objects: [kwokClass("default", { status: ready("False", "Broken", "it broke") })],
      launches: false,
      reason: /NodeClassReady=False \(Broken\): KwokNodeClass default is not ready: it broke/,
    },
    {
      name: "the class given and ready: used",
      objects: [kwokClass("default", { status: ready("True") })],
      launches: true,
    },
    {
      name: "a snapshot whose pool status says NodeClassReady=False: not used",
      objects: [],
      launches: false,
      reason: /NodeClassReady=False \(NodeClassNotFound\)/,
    },
  ];
  for (const row of rows)
    it(row.name, () => {
      const withStatus = row.name.startsWith("a snapshot")
        ? {
            ...pool,
            status: {
              conditions: [
                {
                  type: "NodeClassReady",
                  status: "False",
                  reason: "NodeClassNotFound",
                  message: "gone",
                  lastTransitionTime: "2026-01-01T00:00:00Z",
                },
              ],
            },
          }
        : pool;
      const plan = planOf(withStatus, ...types, ...row.objects, pod("a", "1"));
      assert.equal(plan.nodeClaims.length, row.launches ? 1 : 0);
      if (row.reason !== undefined)
        assert.match(plan.unschedulable[0]?.reasons[0]?.reason ?? "", row.reason);
    });
  it("a pool of a kind carpool does not know is left alone", () => {
    const other = nodePool(
      "q",
      {},
      { nodeClassRef: { group: "x.dev", kind: "XClass", name: "a" } },
    );
    assert.equal(notReadyPools([other as NodePool], [kwokClass("b")]).size, 0);
    assert.equal(renderReason({ code: "static_pool", replicas: 2 }).includes("replicas: 2"), true);
  });
});
