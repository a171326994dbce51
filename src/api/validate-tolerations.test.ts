import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateObject } from "./validate.ts";

const errorsOf = (tolerations: unknown[]) => {
  const result = validateObject({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: { containers: [{ name: "c" }], tolerations },
  });
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};

const notCanonical = (operator: string) =>
  `spec.tolerations[0].value: must be a decimal integer in canonical form (no sign "+", no leading zeros) within int64 when operator is ${operator}`;

// Rows cite kubernetes pkg/apis/core/validation ValidateTolerations, the
// TaintTolerationComparisonOperators gate on (AllowTaintTolerationComparisonOperators).
describe("toleration validation (ValidateTolerations)", () => {
  const rows: [string, unknown, string[]][] = [
    [
      "ValidateTolerations: Equal with a label value is valid",
      { key: "team", operator: "Equal", value: "a" },
      [],
    ],
    ["ValidateTolerations: no operator (Equal) is valid", { key: "team", value: "a" }, []],
    [
      'ValidateTolerations: operator "" is read as Equal',
      { key: "team", operator: "", value: "a" },
      [],
    ],
    [
      "ValidateTolerations: an empty key with Exists is valid (every taint)",
      { operator: "Exists" },
      [],
    ],
    [
      "ValidateTolerations: Gt with a decimal integer is valid",
      { key: "sla", operator: "Gt", value: "950" },
      [],
    ],
    [
      "ValidateTolerations: Lt with a negative integer is valid",
      { key: "sla", operator: "Lt", value: "-3" },
      [],
    ],
    ["ValidateTolerations: Lt with zero is valid", { key: "sla", operator: "Lt", value: "0" }, []],
    [
      "ValidateTolerations: tolerationSeconds with effect NoExecute is valid",
      { key: "a", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 },
      [],
    ],
    [
      "ValidateTolerations: an operator outside Equal, Exists, Lt and Gt is not supported",
      { key: "a", operator: "Gte", value: "1" },
      ['spec.tolerations[0].operator: must be Equal, Exists, Lt, Gt or ""'],
    ],
    [
      "ValidateTolerations: operators are case-sensitive",
      { key: "a", operator: "exists" },
      ['spec.tolerations[0].operator: must be Equal, Exists, Lt, Gt or ""'],
    ],
    [
      "ValidateTolerations: Exists must have no value",
      { key: "a", operator: "Exists", value: "b" },
      ["spec.tolerations[0].value: must be empty when operator is Exists"],
    ],
    [
      "ValidateTolerations: an empty key needs operator Exists",
      { operator: "Equal", value: "b" },
      ["spec.tolerations[0].operator: must be Exists when key is empty"],
    ],
    [
      "ValidateTolerations: an empty key with Gt needs operator Exists too",
      { operator: "Gt", value: "1" },
      ["spec.tolerations[0].operator: must be Exists when key is empty"],
    ],
    [
      "ValidateTolerations: the key is a label name (ValidateLabelName)",
      { key: "bad key", operator: "Exists" },
      [
        "spec.tolerations[0].key: name part must consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character",
      ],
    ],
    [
      "ValidateTolerations: an Equal value is a label value (IsValidLabelValue)",
      { key: "a", value: "not a label value" },
      [
        "spec.tolerations[0].value: must be empty or consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character",
      ],
    ],
    [
      "ValidateTolerations: tolerationSeconds needs effect NoExecute",
      { key: "a", operator: "Exists", effect: "NoSchedule", tolerationSeconds: 30 },
      ["spec.tolerations[0].effect: must be NoExecute when tolerationSeconds is set"],
    ],
    [
      "ValidateTolerations + IsDecimalInteger: Gt with a leading zero",
      { key: "sla", operator: "Gt", value: "0950" },
      [notCanonical("Gt")],
    ],
    [
      "ValidateTolerations + IsDecimalInteger: Gt with a plus sign",
      { key: "sla", operator: "Gt", value: "+5" },
      [notCanonical("Gt")],
    ],
    [
      "ValidateTolerations + IsDecimalInteger: Lt with minus zero",
      { key: "sla", operator: "Lt", value: "-0" },
      [notCanonical("Lt")],
    ],
    [
      "ValidateTolerations + IsDecimalInteger: Lt with a fraction",
      { key: "sla", operator: "Lt", value: "95.5" },
      [notCanonical("Lt")],
    ],
    [
      "ValidateTolerations + IsDecimalInteger: Gt with no value",
      { key: "sla", operator: "Gt" },
      [notCanonical("Gt")],
    ],
    [
      "ValidateTolerations + ParseInt: Gt past int64",
      { key: "sla", operator: "Gt", value: "9223372036854775808" },
      [notCanonical("Gt")],
    ],
  ];
  for (const [rule, toleration, expected] of rows) {
    it(rule, () => assert.deepEqual(errorsOf([toleration]), expected));
  }

  it("reports every toleration's errors with its index", () => {
    assert.deepEqual(
      errorsOf([
        { key: "sla", operator: "Gt", value: "5" },
        { key: "sla", operator: "Lt", value: "05" },
      ]),
      [notCanonical("Lt").replace("[0]", "[1]")],
    );
  });
});
