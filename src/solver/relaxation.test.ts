import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "../api/pod.ts";
import { effectivePod, initialPreferences, type Preferences, relax } from "./relaxation.ts";

const term = (key: string, value: string) => ({
  matchExpressions: [{ key, operator: "In" as const, values: [value] }],
});
const podAffinityTerm = (app: string) => ({
  topologyKey: "kubernetes.io/hostname",
  labelSelector: { matchLabels: { app } },
});

const pod: Pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", namespace: "default", labels: { app: "p" } },
  spec: {
    containers: [{ name: "c" }],
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [term("zone", "a"), term("zone", "b")],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 1, preference: term("disk", "hdd") },
          { weight: 50, preference: term("disk", "ssd") },
        ],
      },
      podAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, podAffinityTerm: podAffinityTerm("cache") },
        ],
      },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 10, podAffinityTerm: podAffinityTerm("p") },
        ],
      },
    },
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "ScheduleAnyway" },
      { maxSkew: 2, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule" },
    ],
  },
};

function allSteps(start: Preferences): Preferences[] {
  const steps = [start];
  for (let next = relax(start); next; next = relax(next)) steps.push(next);
  return steps;
}

describe("Karpenter preference relaxation (scheduling/preferences.go)", () => {
  const steps = allSteps(initialPreferences(pod));

  it("relaxes in Karpenter's order, one step at a time, and then stops", () => {
    assert.equal(steps.length, 8);
    const [, s1, s2, s3, s4, s5, s6, s7] = steps;
    assert.equal(s1?.requiredNodeTerms.length, 1, "1: drop the first of several required terms");
    assert.equal(s2?.preferredAffinity.length, 0, "2: drop the heaviest preferred pod affinity");
    assert.equal(s3?.preferredAntiAffinity.length, 0, "3: then preferred pod anti-affinity");
    assert.equal(s4?.preferredNodeTerms.length, 1, "4: then the heaviest preferred node affinity");
    assert.equal(s4?.preferredNodeTerms[0]?.weight, 1);
    assert.equal(s5?.preferredNodeTerms.length, 0, "5: then the next preferred node affinity");
    assert.equal(s6?.scheduleAnyway.length, 0, "6: then a ScheduleAnyway spread constraint");
    assert.equal(s7?.toleratePreferNoSchedule, true, "7: finally tolerate PreferNoSchedule");
  });

  it("before relaxing, the first required term is ANDed with the heaviest preferred term", () => {
    const strict = effectivePod(pod, initialPreferences(pod));
    const terms =
      strict.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        ?.nodeSelectorTerms;
    assert.deepEqual(terms, [
      {
        matchExpressions: [
          ...term("zone", "a").matchExpressions,
          ...term("disk", "ssd").matchExpressions,
        ],
        matchFields: [],
      },
    ]);
  });

  it("before relaxing, preferred pod (anti-)affinity and ScheduleAnyway spread are required", () => {
    const strict = effectivePod(pod, initialPreferences(pod));
    assert.deepEqual(
      strict.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
      [podAffinityTerm("cache")],
    );
    assert.deepEqual(
      strict.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
      [podAffinityTerm("p")],
    );
    assert.deepEqual(
      strict.spec.topologySpreadConstraints?.map((c) => [c.topologyKey, c.whenUnsatisfiable]),
      [
        ["kubernetes.io/hostname", "DoNotSchedule"],
        ["zone", "DoNotSchedule"],
      ],
    );
  });

  it("fully relaxed, the pod tolerates PreferNoSchedule and keeps only its hard constraints", () => {
    const loose = effectivePod(pod, steps.at(-1) as Preferences);
    assert.deepEqual(loose.spec.tolerations, [{ operator: "Exists", effect: "PreferNoSchedule" }]);
    assert.equal(loose.spec.affinity?.podAffinity, undefined);
    assert.deepEqual(
      loose.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
        ?.nodeSelectorTerms,
      [term("zone", "b")],
    );
    assert.equal(loose.spec.topologySpreadConstraints?.length, 1);
  });

  it("a pod without preferences relaxes only to tolerate PreferNoSchedule", () => {
    const plain: Pod = { ...pod, spec: { containers: [{ name: "c" }] } };
    assert.equal(allSteps(initialPreferences(plain)).length, 2);
  });
});
