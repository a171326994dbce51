import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeRequirement, RequirementOperator } from "../scheduling/requirement.ts";
import { type RequirementRules, requirementErrors } from "./validate-requirements.ts";

const req = (key: string, operator: RequirementOperator, ...values: string[]): NodeRequirement => ({
  key,
  operator,
  ...(values.length > 0 && { values }),
});
const errorsOf = (requirement: NodeRequirement, rules: RequirementRules) =>
  requirementErrors([requirement], "r", rules).map((e) => `${e.path}: ${e.message}`);
const karpenter: RequirementRules = { karpenter: true };
const pod: RequirementRules = { karpenter: false };
const cpu = "karpenter.k8s.aws/instance-cpu";
const single = (operator: string) =>
  `r[0].values: key ${cpu} with operator ${operator} must have a single positive integer value`;

// Rows cite Karpenter's NodePool CRD CEL ("requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must
// have a single positive integer value": `values.size() == 1 && int(values[0]) >= 0`), its runtime
// ValidateRequirement (pkg/apis/v1/nodepool_validation.go: strconv.Atoi, value < 0, the words) and
// kubernetes-sigs/karpenter#2674 (Gte/Lte, v1.9.0).
describe("requirementErrors: integer bounds on Karpenter objects", () => {
  const rows: [string, NodeRequirement, string[]][] = [
    ["Gte with one integer is valid", req(cpu, "Gte", "4"), []],
    ["Lte with one integer is valid", req(cpu, "Lte", "64"), []],
    ["Gte 0 is valid (>= 0)", req(cpu, "Gte", "0"), []],
    ["a sign is allowed: Atoi and CEL's int() read +8 as 8", req(cpu, "Lte", "+8"), []],
    ["-0 is 0, not negative", req(cpu, "Gt", "-0"), []],
    ["Gte needs a value", req(cpu, "Gte"), [single("Gte")]],
    ["Lte takes exactly one value", req(cpu, "Lte", "4", "8"), [single("Lte")]],
    ["Gte refuses a negative integer", req(cpu, "Gte", "-1"), [single("Gte")]],
    ["Lte refuses a non-integer", req(cpu, "Lte", "four"), [single("Lte")]],
    ["Gte refuses a decimal", req(cpu, "Gte", "1.5"), [single("Gte")]],
    [
      "Gt refuses a value beyond a Go int (Atoi overflows)",
      req(cpu, "Gt", "9223372036854775808"),
      [single("Gt")],
    ],
    ["Gt takes the largest Go int", req(cpu, "Gt", "9223372036854775807"), []],
    ["Lt keeps its rule: one non-negative integer", req(cpu, "Lt", "-3"), [single("Lt")]],
  ];
  for (const [rule, requirement, expected] of rows) {
    it(rule, () => assert.deepEqual(errorsOf(requirement, karpenter), expected));
  }
});

// core/v1 NodeSelectorOperator has no Gte/Lte (k8s.io/api core/v1 types.go): a pod's node affinity
// refuses them; Gt/Lt keep the API server's one-integer rule there.
describe("requirementErrors: a pod's node affinity", () => {
  const rows: [string, NodeRequirement, string[]][] = [
    [
      "Gte is not a node-affinity operator",
      req("cpus", "Gte", "4"),
      ["r[0].operator: unsupported operator Gte: Gte and Lte are Karpenter's, not node affinity's"],
    ],
    [
      "Lte is not a node-affinity operator",
      req("cpus", "Lte", "4"),
      ["r[0].operator: unsupported operator Lte: Gte and Lte are Karpenter's, not node affinity's"],
    ],
    ["Gt with a negative integer is a pod's right", req("cpus", "Gt", "-1"), []],
    [
      "Gt needs an integer",
      req("cpus", "Gt", "x"),
      ["r[0].values: operator Gt must have a single integer value"],
    ],
    [
      "kubernetes.io/hostname may be selected by a pod",
      req("kubernetes.io/hostname", "In", "a"),
      [],
    ],
  ];
  for (const [rule, requirement, expected] of rows) {
    it(rule, () => assert.deepEqual(errorsOf(requirement, pod), expected));
  }
});

describe("requirementErrors: key restrictions per object (restrictedLabelKeyError)", () => {
  const rows: [string, NodeRequirement, RequirementRules, string[]][] = [
    [
      "a NodePool may require a kubernetes.io key (#2586)",
      req("node-role.kubernetes.io/worker", "Exists"),
      karpenter,
      [],
    ],
    [
      "a NodePool may require a k8s.io key (#2586)",
      req("example.k8s.io/x", "In", "a"),
      karpenter,
      [],
    ],
    [
      "a NodePool may not require karpenter.sh/nodepool",
      req("karpenter.sh/nodepool", "In", "a"),
      karpenter,
      ['r[0].key: label "karpenter.sh/nodepool" is restricted'],
    ],
    [
      "a NodeClaim may",
      req("karpenter.sh/nodepool", "In", "a"),
      { karpenter: true, use: "nodeClaimRequirement" },
      [],
    ],
    [
      "neither may require kubernetes.io/hostname",
      req("kubernetes.io/hostname", "In", "a"),
      { karpenter: true, use: "nodeClaimRequirement" },
      ['r[0].key: label "kubernetes.io/hostname" is restricted'],
    ],
  ];
  for (const [rule, requirement, rules, expected] of rows) {
    it(rule, () => assert.deepEqual(errorsOf(requirement, rules), expected));
  }
});
