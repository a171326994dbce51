import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Taint, Toleration } from "../api/pod.ts";
import { evictionDelaySeconds, untoleratedTaints } from "./taints.ts";

const taint: Taint = { key: "team", value: "a", effect: "NoSchedule" };

describe("untoleratedTaints (kube-scheduler TaintToleration filter, Karpenter's stricter view)", () => {
  const soft: Taint = { key: "soft", effect: "PreferNoSchedule" };
  const hard: Taint = { key: "hard", effect: "NoExecute" };
  it("kube-scheduler ignores PreferNoSchedule when filtering", () => {
    assert.deepEqual(untoleratedTaints([soft], [], { preferNoScheduleBlocks: false }), []);
  });
  it("Karpenter blocks on PreferNoSchedule until it relaxes", () => {
    assert.deepEqual(untoleratedTaints([soft], [], { preferNoScheduleBlocks: true }), [
      { code: "untolerated_taint", taint: soft, nearMisses: [] },
    ]);
  });
  it("reports every untolerated taint, not only the first", () => {
    const reasons = untoleratedTaints([taint, hard, soft], [{ key: "team", operator: "Exists" }], {
      preferNoScheduleBlocks: true,
    });
    assert.deepEqual(
      reasons.map((r) => (r.code === "untolerated_taint" ? r.taint.key : "")),
      ["hard", "soft"],
    );
  });
});

// Rows cite the taint-eviction controller's getMinTolerationTime.
describe("evictionDelaySeconds", () => {
  const noExecute: Taint = { key: "node.kubernetes.io/unreachable", effect: "NoExecute" };
  const rows: [string, Toleration[], number | undefined][] = [
    ["no matching toleration: evicted at once", [], 0],
    [
      "matching toleration without tolerationSeconds: stays forever",
      [{ key: noExecute.key, operator: "Exists" }],
      undefined,
    ],
    [
      "the smallest tolerationSeconds of the matching ones",
      [
        { key: noExecute.key, operator: "Exists", tolerationSeconds: 300 },
        { operator: "Exists", tolerationSeconds: 60 },
      ],
      60,
    ],
    [
      "negative tolerationSeconds means at once",
      [{ key: noExecute.key, operator: "Exists", tolerationSeconds: -5 }],
      0,
    ],
  ];
  for (const [rule, tolerations, expected] of rows) {
    it(rule, () => assert.equal(evictionDelaySeconds(noExecute, tolerations), expected));
  }
});

// Rows cite core/v1 Toleration.ToleratesTaint (via tolerates) inside the TaintToleration filter.
describe("untoleratedTaints with comparison operators", () => {
  const sla: Taint = { key: "sla", value: "800", effect: "NoSchedule" };
  it("a Gt toleration below the taint's value tolerates it", () => {
    const tolerations: Toleration[] = [{ key: "sla", operator: "Gt", value: "500" }];
    assert.deepEqual(untoleratedTaints([sla], tolerations, { preferNoScheduleBlocks: true }), []);
  });
  it("a Gt toleration above the taint's value is reported as a near miss", () => {
    const gt: Toleration = { key: "sla", operator: "Gt", value: "950" };
    const other: Toleration = { key: "team", operator: "Exists" };
    const elsewhere: Toleration = { key: "sla", operator: "Gt", value: "1", effect: "NoExecute" };
    assert.deepEqual(
      untoleratedTaints([sla], [gt, other, elsewhere], { preferNoScheduleBlocks: true }),
      [{ code: "untolerated_taint", taint: sla, nearMisses: [gt] }],
    );
  });
});

// Rows cite the taint-eviction controller's getMinTolerationTime over ToleratesTaint.
describe("evictionDelaySeconds with comparison operators", () => {
  const degraded: Taint = { key: "example.com/health", value: "30", effect: "NoExecute" };
  it("a Lt toleration the value satisfies keeps the pod for its tolerationSeconds", () => {
    const tolerations: Toleration[] = [
      {
        key: degraded.key,
        operator: "Lt",
        value: "50",
        effect: "NoExecute",
        tolerationSeconds: 120,
      },
    ];
    assert.equal(evictionDelaySeconds(degraded, tolerations), 120);
  });
  it("a Lt toleration the value does not satisfy evicts at once", () => {
    const tolerations: Toleration[] = [
      {
        key: degraded.key,
        operator: "Lt",
        value: "20",
        effect: "NoExecute",
        tolerationSeconds: 120,
      },
    ];
    assert.equal(evictionDelaySeconds(degraded, tolerations), 0);
  });
});
