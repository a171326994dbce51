import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { NodeSelectorRequirement } from "../api/pod.ts";
import { WellKnownLabelKeys } from "../api/wellknown.ts";
import { labelMatches } from "./node-affinity.ts";
import { Requirement } from "./requirement.ts";
import { Requirements } from "./requirements.ts";

const req = (key: string, operator: NodeSelectorRequirement["operator"], ...values: string[]) =>
  ({ key, operator, ...(values.length > 0 && { values }) }) as NodeSelectorRequirement;

// Rows cite Karpenter pkg/scheduling/requirement.go (Has, Intersection, Operator).
describe("Requirement: one key", () => {
  const rows: [string, NodeSelectorRequirement, string, boolean][] = [
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
  const rows: [string, NodeSelectorRequirement[], string[]][] = [
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
      operator: fc.constantFrom("Gt", "Lt"),
      values: fc.tuple(fc.constantFrom("0", "1", "2", "3")),
    }),
  ) as fc.Arbitrary<NodeSelectorRequirement>;
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
  const admitsRaw = (raw: NodeSelectorRequirement[], labels: Record<string, string | undefined>) =>
    raw.every((r) => labelMatches(r, labels[r.key]));

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
