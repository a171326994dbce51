import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node } from "../api/node.ts";
import type { Pod } from "../api/pod.ts";
import { invalidDoNotDisruptMessage, podProtection } from "./do-not-disrupt.ts";
import { parseGoDuration } from "./duration.ts";
import {
  blockedOf,
  bound,
  catalog,
  disruptOf,
  managed,
  NOW,
  pool,
  summary,
} from "./fixtures.test-helpers.ts";
import { EvictionBudgets } from "./pdb.ts";
import { terminationStep } from "./termination.ts";

const minute = 60_000;
const now = NOW.getTime();
const startedAgo = (ms: number) => new Date(now - ms).toISOString();

function pod(value: string | undefined, startTime?: string): Pod {
  const p = bound("p", "a", "100m", {
    ...(value !== undefined && { annotations: { "karpenter.sh/do-not-disrupt": value } }),
  });
  return { ...p, status: { phase: "Running", ...(startTime !== undefined && { startTime }) } };
}

describe("parseGoDuration (Go time.ParseDuration)", () => {
  const cases: [string, number | undefined][] = [
    ["30m", 30 * minute],
    ["1h30m", 90 * minute],
    ["1.5h", 90 * minute],
    ["300ms", 300],
    ["2h45m10s", (2 * 60 + 45) * minute + 10_000],
    ["-5m", -5 * minute],
    ["+5m", 5 * minute],
    ["0", 0],
    ["0s", 0],
    [".5s", 500],
    ["1us", 0.001],
    ["", undefined],
    ["5", undefined],
    ["true", undefined],
    ["5 m", undefined],
    ["5d", undefined],
    [".s", undefined],
    ["-", undefined],
  ];
  for (const [text, ms] of cases)
    it(`${JSON.stringify(text)} → ${ms}`, () => assert.equal(parseGoDuration(text), ms));
});

// Karpenter v1.12+ pkg/utils/pod IsDoNotDisruptActive (kubernetes-sigs/karpenter#2874).
describe("karpenter.sh/do-not-disrupt on a pod", () => {
  const cases: [string, Pod, ReturnType<typeof podProtection>][] = [
    ["absent: no protection", pod(undefined, startedAgo(10 * minute)), { active: false }],
    ['"true": protected indefinitely', pod("true", startedAgo(10 * minute)), { active: true }],
    [
      '"15m", started 10m ago: protected for 5 more minutes',
      pod("15m", startedAgo(10 * minute)),
      { active: true, until: now + 5 * minute },
    ],
    [
      '"5m", started 10m ago: no longer protected',
      pod("5m", startedAgo(10 * minute)),
      { active: false },
    ],
    ['"5m" with no start time: protected (fail-safe)', pod("5m"), { active: true }],
    [
      '"invalid": ignored',
      pod("invalid", startedAgo(minute)),
      { active: false, invalid: "invalid" },
    ],
    ['"0s": ignored', pod("0s", startedAgo(minute)), { active: false, invalid: "0s" }],
    ['"-5m": ignored', pod("-5m", startedAgo(minute)), { active: false, invalid: "-5m" }],
    [
      '"True" is not "true": ignored',
      pod("True", startedAgo(minute)),
      { active: false, invalid: "True" },
    ],
  ];
  for (const [name, p, expected] of cases)
    it(name, () => assert.deepEqual(podProtection(p, now), expected));

  it("an ignored value is reported in Karpenter's words", () => {
    assert.equal(
      invalidDoNotDisruptMessage("invalid-format"),
      `Invalid karpenter.sh/do-not-disrupt annotation value "invalid-format", ignoring annotation. Use 'true' or a duration like '5m', '1h'`,
    );
  });

  const cluster = (protection: Pod) => [
    pool(),
    ...catalog,
    ...managed("a", "medium"),
    ...managed("b", "medium"),
    { ...protection, metadata: { ...protection.metadata, name: "guarded" } },
  ];
  it("a node whose pod is protected for 20 more minutes is left alone, and says until when", () => {
    const plan = disruptOf(cluster(pod("30m", startedAgo(10 * minute))));
    assert.deepEqual(summary(plan), ["Empty delete b"]);
    assert.equal(
      blockedOf(plan).a,
      `pod default/guarded has karpenter.sh/do-not-disrupt until ${new Date(now + 20 * minute).toISOString()}`,
    );
  });
  it("once the duration has passed the node is consolidated", () => {
    const plan = disruptOf(cluster(pod("30m", startedAgo(40 * minute))));
    assert.deepEqual(summary(plan), ["Empty delete b", "Underutilized replace a → small"]);
  });
  it("the drain evicts a pod whose protection has run out, and waits for one still protected", () => {
    const step = (p: Pod) =>
      terminationStep({
        node: managed("a", "medium")[0] as Node,
        pods: [p],
        budgets: new EvictionBudgets([], [p]),
        deletingSince: now - minute,
        gracePeriodMs: undefined,
        now,
      });
    assert.equal(step(pod("5m", startedAgo(10 * minute))).evict.length, 1);
    assert.deepEqual(
      step(pod("15m", startedAgo(10 * minute))).waiting.map((w) => w.why.code),
      ["do_not_disrupt"],
    );
  });
});
