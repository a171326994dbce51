import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Taint, Toleration } from "../api/pod.ts";
import { evictionDelaySeconds, tolerates, untoleratedTaints } from "./taints.ts";

const taint: Taint = { key: "team", value: "a", effect: "NoSchedule" };

// Rows cite core/v1 Toleration.ToleratesTaint (k8s.io/api/core/v1/toleration.go).
describe("tolerates", () => {
  const rows: [string, Toleration, Taint, boolean][] = [
    [
      "Equal with the same key, value and effect tolerates",
      { key: "team", operator: "Equal", value: "a", effect: "NoSchedule" },
      taint,
      true,
    ],
    [
      "operator defaults to Equal: a different value does not tolerate",
      { key: "team", value: "b" },
      taint,
      false,
    ],
    [
      "operator defaults to Equal: the same value tolerates",
      { key: "team", value: "a" },
      taint,
      true,
    ],
    [
      "empty effect matches every effect",
      { key: "team", operator: "Exists" },
      { ...taint, effect: "NoExecute" },
      true,
    ],
    [
      "a different effect does not tolerate",
      { key: "team", operator: "Exists", effect: "NoExecute" },
      taint,
      false,
    ],
    [
      "Exists matches any value",
      { key: "team", operator: "Exists", effect: "NoSchedule" },
      taint,
      true,
    ],
    [
      "empty key with Exists tolerates every taint",
      { operator: "Exists" },
      { key: "x", value: "y", effect: "NoExecute" },
      true,
    ],
    ["empty key with Equal tolerates nothing", { operator: "Equal", value: "a" }, taint, false],
    [
      "Equal with absent value matches a taint without value",
      { key: "gpu", operator: "Equal" },
      { key: "gpu", effect: "NoSchedule" },
      true,
    ],
    ["Equal with absent value does not match a taint with a value", { key: "team" }, taint, false],
    ["a different key does not tolerate", { key: "other", operator: "Exists" }, taint, false],
    [
      "empty effect string is the same as absent",
      { key: "team", operator: "Exists", effect: "" },
      { ...taint, effect: "PreferNoSchedule" },
      true,
    ],
  ];
  for (const [rule, toleration, t, expected] of rows) {
    it(rule, () => assert.equal(tolerates(toleration, t), expected));
  }
});

describe("untoleratedTaints (kube-scheduler TaintToleration filter, Karpenter's stricter view)", () => {
  const soft: Taint = { key: "soft", effect: "PreferNoSchedule" };
  const hard: Taint = { key: "hard", effect: "NoExecute" };
  it("kube-scheduler ignores PreferNoSchedule when filtering", () => {
    assert.deepEqual(untoleratedTaints([soft], [], { preferNoScheduleBlocks: false }), []);
  });
  it("Karpenter blocks on PreferNoSchedule until it relaxes", () => {
    assert.deepEqual(untoleratedTaints([soft], [], { preferNoScheduleBlocks: true }), [
      { code: "untolerated_taint", taint: soft },
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
