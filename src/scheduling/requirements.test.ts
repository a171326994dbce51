import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { NodeSelectorRequirement } from "../api/pod.ts";
import { WellKnownLabelKeys } from "../api/wellknown.ts";
import { labelMatches } from "./node-affinity.ts";
import { type NodeRequirement, Requirement, type RequirementOperator } from "./requirement.ts";
import { Requirements } from "./requirements.ts";

const req = (key: string, operator: RequirementOperator, ...values: string[]) =>
  ({ key, operator, ...(values.length > 0 && { values }) }) as NodeRequirement;

// Rows cite Karpenter pkg/scheduling/requirement.go (Has, Intersection, Operator).
describe("Requirement: one key", () => {
  const rows: [string, NodeRequirement, string, boolean][] = [
    ["In admits its values", req("k", "In", "a", "b"), "a", true],
    ["In rejects others", req("k", "In", "a"), "c", false],
    ["NotIn admits others", req("k", "NotIn", "a"), "b", true],
    ["NotIn rejects its values", req("k", "NotIn", "a"), "a", false],
    ["Exists admits any value", req("k", "Exists"), "x", true],
    ["DoesNotExist admits no value", req("k", "DoesNotExist"), "x", false],
    ["Gt is strictly greater", req("k", "Gt", "5"), "5", false],
    ["Gt admits a larger integer", req("k", "Gt", "5"), "6", true],
    ["Gt never admits a non-integer value", req("k", "Gt", "5"), "abc", false],
    ["Gt -1 admits 0", req("k", "Gt", "-1"), "0", true],
    ["Lt is strictly less", req("k", "Lt", "5"), "5", false],
    ["Lt admits a smaller integer", req("k", "Lt", "5"), "4", true],
    // Gte/Lte: inclusive bounds (kubernetes-sigs/karpenter#2674, v1.9.0).
    ["Gte admits its bound", req("k", "Gte", "4"), "4", true],
    ["Gte admits a larger integer", req("k", "Gte", "4"), "5", true],
    ["Gte rejects a smaller integer", req("k", "Gte", "4"), "3", false],
    ["Gte never admits a non-integer value (withinBounds)", req("k", "Gte", "4"), "4a", false],
    ["Lte admits its bound", req("k", "Lte", "4"), "4", true],
    ["Lte rejects a larger integer", req("k", "Lte", "4"), "5", false],
    ["Lte admits a smaller integer", req("k", "Lte", "4"), "0", true],
    // Values parse as strconv.Atoi does: a sign and leading zeros are fine, beyond int64 is not.
    ["a value with leading zeros is that integer", req("k", "Gte", "4"), "0004", true],
    ["a value with a plus sign is that integer", req("k", "Gte", "4"), "+4", true],
    ["a value beyond int64 is not an integer", req("k", "Gte", "4"), "9223372036854775808", false],
    ["int64's largest value is", req("k", "Gte", "4"), "9223372036854775807", true],
    ["Gt of the largest int admits nothing", req("k", "Gt", "9223372036854775807"), "1", false],
  ];
  for (const [rule, raw, value, expected] of rows) {
    it(rule, () => assert.equal(Requirement.from(raw).has(value), expected));
  }
  it("Gt 3 and Lt 5 intersect to exactly 4", () => {
    const both = Requirement.from(req("k", "Gt", "3")).intersect(
      Requirement.from(req("k", "Lt", "5")),
    );
    assert.ok(both.has("4") && !both.has("3") && !both.has("5"));
  });
  it("Gt 4 and Lt 5 leave no integer: DoesNotExist", () => {
    const none = Requirement.from(req("k", "Gt", "4")).intersect(
      Requirement.from(req("k", "Lt", "5")),
    );
    assert.equal(none.operator, "DoesNotExist");
  });
  // Karpenter's Intersection: Gt N is Gte N+1 and Lt N is Lte N-1, bounds combine by max/min, and
  // crossed bounds (gte > lte) leave DoesNotExist.
  const bounded: [string, NodeRequirement[], string[], string[]][] = [
    ["Gte 4 ∩ Lt 8 is 4..7", [req("k", "Gte", "4"), req("k", "Lt", "8")], ["4", "7"], ["3", "8"]],
    ["Gt 3 ∩ Gte 4 is Gte 4", [req("k", "Gt", "3"), req("k", "Gte", "4")], ["4", "99"], ["3"]],
    ["Gt 4 ∩ Gte 4 is Gte 5", [req("k", "Gt", "4"), req("k", "Gte", "4")], ["5"], ["4"]],
    ["Lte 4 ∩ Gte 4 is exactly 4", [req("k", "Lte", "4"), req("k", "Gte", "4")], ["4"], ["3", "5"]],
    ["Lt 5 ∩ Lte 4 is Lte 4", [req("k", "Lt", "5"), req("k", "Lte", "4")], ["4", "-3"], ["5"]],
    ["Lte 6 ∩ Lt 6 is Lte 5", [req("k", "Lte", "6"), req("k", "Lt", "6")], ["5"], ["6"]],
    [
      "In ∩ Gte keeps the values within the bound",
      [req("k", "In", "2", "4", "8", "x"), req("k", "Gte", "4")],
      ["4", "8"],
      ["2", "x"],
    ],
    [
      "NotIn ∩ Gte excludes both",
      [req("k", "NotIn", "5"), req("k", "Gte", "4")],
      ["4", "6"],
      ["3", "5"],
    ],
    ["Exists ∩ Lte is Lte", [req("k", "Exists"), req("k", "Lte", "4")], ["4"], ["5", "x"]],
  ];
  for (const [rule, raw, admitted, rejected] of bounded) {
    it(rule, () => {
      const both = Requirements.from(raw).get("k");
      for (const value of admitted) assert.ok(both?.has(value), `admits ${value}`);
      for (const value of rejected) assert.ok(!both?.has(value), `rejects ${value}`);
    });
  }
  const empty: [string, NodeRequirement[]][] = [
    ["Gte 5 ∩ Lte 4 is empty: DoesNotExist", [req("k", "Gte", "5"), req("k", "Lte", "4")]],
    ["Gt 4 ∩ Lte 4 is empty: DoesNotExist", [req("k", "Gt", "4"), req("k", "Lte", "4")]],
    ["In ∩ Gte with no value in range is empty", [req("k", "In", "1", "2"), req("k", "Gte", "3")]],
    ["Gte ∩ DoesNotExist is DoesNotExist", [req("k", "Gte", "3"), req("k", "DoesNotExist")]],
  ];
  for (const [rule, raw] of empty) {
    it(rule, () => assert.equal(Requirements.from(raw).get("k")?.operator, "DoesNotExist"));
  }
  it("In ∩ Gte is a plain set: the bounds go (Intersection removes them for concrete sets)", () => {
    const both = Requirements.from([req("k", "In", "4", "8"), req("k", "Gte", "5")]);
    assert.deepEqual(both.toNodeSelectorRequirements(), [req("k", "In", "8")]);
  });
  it("bounds serialise as Gte/Lte, as Karpenter writes them (BoundedNodeSelectorRequirements)", () => {
    const both = Requirements.from([
      req("k", "Gt", "3"),
      req("k", "Lt", "8"),
      req("k", "NotIn", "5"),
    ]);
    assert.deepEqual(both.toNodeSelectorRequirements(), [
      req("k", "NotIn", "5"),
      req("k", "Gte", "4"),
      req("k", "Lte", "7"),
    ]);
  });
  it("anyValue is the smallest admitted integer within the bounds", () => {
    const r = Requirements.from([req("k", "Gte", "4"), req("k", "NotIn", "4", "5")]).get("k");
    assert.equal(r?.anyValue(), "6");
    assert.equal(Requirement.from(req("k", "Lte", "-2")).anyValue(), "-2");
    assert.equal(Requirement.from(req("k", "Exists")).anyValue(), undefined);
  });
  it("In ∩ NotIn removes the excluded values", () => {
    const r = Requirement.from(req("k", "In", "a", "b")).intersect(
      Requirement.from(req("k", "NotIn", "a")),
    );
    assert.deepEqual([...r.values], ["b"]);
  });
});

// Rows cite Karpenter pkg/scheduling/requirements.go (Compatible, Intersects).
describe("Requirements.compatible: node side against pod side", () => {
  const pool = Requirements.from([
    req("team", "In", "a", "b"),
    req("kubernetes.io/arch", "In", "amd64"),
  ]);
  const rows: [string, NodeRequirement[], string[]][] = [
    ["a value the pool offers is compatible", [req("team", "In", "a")], []],
    [
      "a value the pool does not offer conflicts",
      [req("team", "In", "c")],
      ["requirement_conflict"],
    ],
    [
      "a custom label the pool does not define is denied",
      [req("rack", "In", "r1")],
      ["undefined_label"],
    ],
    ["NotIn on an undefined custom label is satisfied", [req("rack", "NotIn", "r1")], []],
    ["DoesNotExist on an undefined custom label is satisfied", [req("rack", "DoesNotExist")], []],
    [
      "a well-known label may be left undefined by the pool",
      [req("topology.kubernetes.io/zone", "In", "z1")],
      [],
    ],
    ["Exists on a defined key is compatible", [req("team", "Exists")], []],
    [
      "DoesNotExist against a pool that requires the key conflicts",
      [req("team", "DoesNotExist")],
      ["requirement_conflict"],
    ],
    [
      "every conflict is reported",
      [req("team", "In", "c"), req("kubernetes.io/arch", "In", "arm64")],
      ["requirement_conflict", "requirement_conflict"],
    ],
  ];
  for (const [rule, podRequirements, codes] of rows) {
    it(rule, () => {
      const pod = Requirements.from(podRequirements);
      const reasons = pool.compatible(pod, WellKnownLabelKeys, "nodeAffinity");
      assert.deepEqual(
        reasons.map((r) => r.code),
        codes,
      );
      assert.equal(pool.isCompatible(pod, WellKnownLabelKeys), codes.length === 0);
    });
  }
  it("a pool's Gte bound against a pod's In: compatible within, a conflict outside", () => {
    const cpu = "karpenter.k8s.aws/instance-cpu";
    const bounded = Requirements.from([req(cpu, "Gte", "4"), req(cpu, "Lte", "16")]);
    const within = Requirements.from([req(cpu, "In", "4", "32")]);
    const outside = Requirements.from([req(cpu, "In", "2", "32")]);
    assert.deepEqual(bounded.compatible(within, WellKnownLabelKeys, "nodeAffinity"), []);
    const [conflict] = bounded.compatible(outside, WellKnownLabelKeys, "nodeAffinity");
    assert.equal(conflict?.code, "requirement_conflict");
    assert.deepEqual(
      conflict?.code === "requirement_conflict" && conflict.offered,
      req(cpu, "Gte", "4"),
    );
  });
  it("a reason names the bound that conflicts: Lte 16 for a pod wanting 32", () => {
    const cpu = "karpenter.k8s.aws/instance-cpu";
    const bounded = Requirements.from([req(cpu, "Gte", "4"), req(cpu, "Lte", "16")]);
    const [conflict] = bounded.intersects(
      Requirements.from([req(cpu, "In", "32")]),
      "nodeSelector",
    );
    assert.deepEqual(
      conflict?.code === "requirement_conflict" && conflict.offered,
      req(cpu, "Lte", "16"),
    );
  });
  it("a pod's Gt against a pool's Lte: no integer in between is a conflict", () => {
    const pool = Requirements.from([req("k", "Lte", "4")]);
    const pod = Requirements.from([req("k", "Gt", "4")]);
    assert.equal(pool.isCompatible(pod, new Set(["k"])), false);
    assert.equal(pool.isCompatible(Requirements.from([req("k", "Gt", "3")]), new Set(["k"])), true);
  });
  it("NotIn on both sides is satisfied by a node without the label", () => {
    const node = Requirements.from([req("k", "NotIn", "a")]);
    assert.deepEqual(
      node.intersects(Requirements.from([req("k", "DoesNotExist")]), "nodeAffinity"),
      [],
    );
  });
  it("several requirements on one key intersect", () => {
    const r = Requirements.from([req("k", "In", "a", "b", "c"), req("k", "NotIn", "b")]);
    assert.deepEqual([...(r.get("k")?.values ?? [])].sort(), ["a", "c"]);
  });
  it("labels() gives the keys with exactly one value", () => {
    const r = Requirements.from([
      req("a", "In", "1"),
      req("b", "In", "1", "2"),
      req("c", "Exists"),
    ]);
    assert.deepEqual(r.labels(), { a: "1" });
  });
});

describe("requirements algebra properties", () => {
  const keys = ["a", "b"];
  const values = ["1", "2", "3", "x"];
  const requirement = fc.oneof(
    fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constantFrom("In", "NotIn"),
      values: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1 }),
    }),
    fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constantFrom("Exists", "DoesNotExist"),
    }),
    fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constantFrom("Gt", "Lt", "Gte", "Lte"),
      values: fc.tuple(fc.constantFrom("0", "1", "2", "3")),
    }),
  ) as fc.Arbitrary<NodeRequirement>;
  const set = fc.array(requirement, { maxLength: 3 });
  // Every assignment of labels over the small domain, "absent" included.
  const assignments = [undefined, ...values].flatMap((a) =>
    [undefined, ...values].map((b) => ({ a, b }) as Record<string, string | undefined>),
  );
  const admits = (requirements: Requirements, labels: Record<string, string | undefined>) =>
    [...requirements.values()].every((r) => {
      const value = labels[r.key];
      return value === undefined
        ? r.operator === "NotIn" || r.operator === "DoesNotExist"
        : r.has(value);
    });
  // The oracle: apimachinery's selector for core/v1 operators; Gte/Lte compared directly.
  const matches = (r: NodeRequirement, value: string | undefined) => {
    if (r.operator !== "Gte" && r.operator !== "Lte")
      return labelMatches(r as NodeSelectorRequirement, value);
    if (value === undefined || !/^\d+$/.test(value)) return false;
    const bound = Number(r.values?.[0]);
    return r.operator === "Gte" ? Number(value) >= bound : Number(value) <= bound;
  };
  const admitsRaw = (raw: NodeRequirement[], labels: Record<string, string | undefined>) =>
    raw.every((r) => matches(r, labels[r.key]));

  it("Requirements admit exactly the label sets the raw selector admits (present values)", () => {
    fc.assert(
      fc.property(set, (raw) => {
        const requirements = Requirements.from(raw);
        for (const labels of assignments) {
          if (labels.a === undefined || labels.b === undefined) continue;
          assert.equal(admits(requirements, labels), admitsRaw(raw, labels));
        }
      }),
      { seed: 11 },
    );
  });
  it("intersection is commutative and never admits a label set either side rejects", () => {
    fc.assert(
      fc.property(set, set, (x, y) => {
        const a = Requirements.from(x);
        const b = Requirements.from(y);
        assert.equal(a.intersect(b).toString(), b.intersect(a).toString());
        for (const labels of assignments) {
          if (labels.a === undefined || labels.b === undefined) continue;
          if (admits(a.intersect(b), labels))
            assert.ok(admitsRaw(x, labels) && admitsRaw(y, labels));
        }
      }),
      { seed: 12 },
    );
  });
  it("intersection is associative", () => {
    fc.assert(
      fc.property(set, set, set, (x, y, z) => {
        const [a, b, c] = [Requirements.from(x), Requirements.from(y), Requirements.from(z)];
        assert.equal(
          a.intersect(b).intersect(c).toString(),
          a.intersect(b.intersect(c)).toString(),
        );
      }),
      { seed: 13 },
    );
  });
  it("toNodeSelectorRequirements round-trips to the same meaning", () => {
    fc.assert(
      fc.property(set, (raw) => {
        const requirements = Requirements.from(raw);
        const again = Requirements.from(requirements.toNodeSelectorRequirements());
        assert.equal(again.toString(), requirements.toString());
      }),
      { seed: 14 },
    );
  });
  it("compatible agrees with: some present label values satisfy both sides", () => {
    fc.assert(
      fc.property(set, set, (x, y) => {
        const node = Requirements.from(x);
        const pod = Requirements.from(y);
        // Over keys both sides define, Karpenter asks for a common value (absence aside).
        const witness = assignments.some(
          (labels) =>
            labels.a !== undefined &&
            labels.b !== undefined &&
            admits(node, labels) &&
            admits(pod, labels),
        );
        if (witness) assert.deepEqual(node.intersects(pod, "nodeAffinity"), []);
      }),
      { seed: 15 },
    );
  });
});
