import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Taint } from "../api/pod.ts";
import { type TolerationTerm, tolerates } from "./toleration.ts";

const taint: Taint = { key: "team", value: "a", effect: "NoSchedule" };
const sla = (value: string): Taint => ({ key: "sla", value, effect: "NoSchedule" });

// Every row cites k8s.io/api core/v1 Toleration.ToleratesTaint (toleration.go) with
// TaintTolerationComparisonOperators on; Lt/Gt rows also its compareNumericValues.
describe("tolerates (core/v1 Toleration.ToleratesTaint)", () => {
  const rows: [string, TolerationTerm, Taint, boolean][] = [
    // Effect.
    [
      "ToleratesTaint: an empty effect matches every effect",
      { key: "team", operator: "Exists" },
      { ...taint, effect: "NoExecute" },
      true,
    ],
    [
      'ToleratesTaint: effect "" is the same as absent',
      { key: "team", operator: "Exists", effect: "" },
      { ...taint, effect: "PreferNoSchedule" },
      true,
    ],
    [
      "ToleratesTaint: a different effect does not tolerate",
      { key: "team", operator: "Exists", effect: "NoExecute" },
      taint,
      false,
    ],
    // Key.
    [
      "ToleratesTaint: a different key does not tolerate",
      { key: "other", operator: "Exists" },
      taint,
      false,
    ],
    [
      "ToleratesTaint: an empty key with Exists tolerates every taint",
      { operator: "Exists" },
      { key: "x", value: "y", effect: "NoExecute" },
      true,
    ],
    [
      "ToleratesTaint: an empty key with Equal compares values only — a valueless taint of any key is tolerated",
      { operator: "Equal" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute" },
      true,
    ],
    [
      "ToleratesTaint: an empty key with no operator (Equal) tolerates a taint whose value is empty",
      {},
      { key: "gpu", effect: "NoSchedule" },
      true,
    ],
    [
      "ToleratesTaint: an empty key with Equal and a value tolerates any key with that value",
      { operator: "Equal", value: "a" },
      taint,
      true,
    ],
    [
      "ToleratesTaint: an empty key with Equal does not tolerate a taint with another value",
      { operator: "Equal" },
      taint,
      false,
    ],
    // Equal / Exists.
    [
      "ToleratesTaint: Equal with the same key, value and effect tolerates",
      { key: "team", operator: "Equal", value: "a", effect: "NoSchedule" },
      taint,
      true,
    ],
    [
      "ToleratesTaint: no operator means Equal — the same value tolerates",
      { key: "team", value: "a" },
      taint,
      true,
    ],
    [
      "ToleratesTaint: no operator means Equal — another value does not",
      { key: "team", value: "b" },
      taint,
      false,
    ],
    [
      'ToleratesTaint: operator "" means Equal',
      { key: "team", operator: "", value: "a" },
      taint,
      true,
    ],
    [
      "ToleratesTaint: Equal with no value matches a taint without value",
      { key: "gpu", operator: "Equal" },
      { key: "gpu", effect: "NoSchedule" },
      true,
    ],
    [
      "ToleratesTaint: Equal with no value does not match a taint with a value",
      { key: "team" },
      taint,
      false,
    ],
    ["ToleratesTaint: Exists matches any value", { key: "team", operator: "Exists" }, taint, true],
    // Operators it does not know.
    [
      "ToleratesTaint: an unknown operator (Gte) tolerates nothing, though key and value match",
      { key: "team", operator: "Gte", value: "a" },
      taint,
      false,
    ],
    [
      "ToleratesTaint: operators are case-sensitive — exists tolerates nothing",
      { key: "team", operator: "exists" },
      taint,
      false,
    ],
    // Gt / Lt: the taint's value against the toleration's, as int64.
    [
      "compareNumericValues: Gt tolerates a taint value greater than the toleration's",
      { key: "sla", operator: "Gt", value: "950" },
      sla("999"),
      true,
    ],
    [
      "compareNumericValues: Gt does not tolerate a smaller taint value",
      { key: "sla", operator: "Gt", value: "950" },
      sla("800"),
      false,
    ],
    [
      "compareNumericValues: Gt is strict — an equal value is not tolerated",
      { key: "sla", operator: "Gt", value: "950" },
      sla("950"),
      false,
    ],
    [
      "compareNumericValues: Lt tolerates a taint value less than the toleration's",
      { key: "sla", operator: "Lt", value: "950" },
      sla("800"),
      true,
    ],
    [
      "compareNumericValues: Lt does not tolerate a greater taint value",
      { key: "sla", operator: "Lt", value: "950" },
      sla("999"),
      false,
    ],
    [
      "compareNumericValues: Lt is strict — an equal value is not tolerated",
      { key: "sla", operator: "Lt", value: "950" },
      sla("950"),
      false,
    ],
    [
      'compareNumericValues: numbers, not strings — 1000 > 950 though "1000" < "950"',
      { key: "sla", operator: "Gt", value: "950" },
      sla("1000"),
      true,
    ],
    [
      "compareNumericValues: negative values compare as integers",
      { key: "sla", operator: "Gt", value: "-100" },
      sla("-50"),
      true,
    ],
    [
      "compareNumericValues: a negative taint value below a negative bound is not greater",
      { key: "sla", operator: "Gt", value: "-100" },
      sla("-200"),
      false,
    ],
    [
      "compareNumericValues: int64 values beyond a double's precision compare exactly",
      { key: "sla", operator: "Gt", value: "9223372036854775806" },
      sla("9223372036854775807"),
      true,
    ],
    [
      "compareNumericValues: a large int64 bound is not exceeded by a small value",
      { key: "sla", operator: "Gt", value: "9223372036854775806" },
      sla("100"),
      false,
    ],
    // Gt / Lt: values outside the strict canonical form (content.IsDecimalInteger) never match.
    [
      "IsDecimalInteger: a taint value with a leading zero does not match",
      { key: "sla", operator: "Gt", value: "950" },
      sla("0999"),
      false,
    ],
    [
      "IsDecimalInteger: a toleration value with a leading zero does not match",
      { key: "sla", operator: "Lt", value: "0999" },
      sla("800"),
      false,
    ],
    [
      "IsDecimalInteger: a plus sign does not match",
      { key: "sla", operator: "Gt", value: "+5" },
      sla("10"),
      false,
    ],
    [
      "IsDecimalInteger: minus zero does not match",
      { key: "sla", operator: "Lt", value: "5" },
      sla("-0"),
      false,
    ],
    [
      "IsDecimalInteger: a decimal fraction does not match",
      { key: "sla", operator: "Gt", value: "95" },
      sla("95.5"),
      false,
    ],
    [
      "IsDecimalInteger: a non-numeric taint value does not match",
      { key: "sla", operator: "Gt", value: "1" },
      sla("high"),
      false,
    ],
    [
      "IsDecimalInteger: an empty taint value does not match",
      { key: "sla", operator: "Gt", value: "-5" },
      { key: "sla", effect: "NoSchedule" },
      false,
    ],
    [
      "IsDecimalInteger: an absent toleration value does not match",
      { key: "sla", operator: "Lt" },
      sla("5"),
      false,
    ],
    [
      "ParseInt: a taint value past int64 does not match",
      { key: "sla", operator: "Gt", value: "1" },
      sla("9223372036854775808"),
      false,
    ],
    // Gt / Lt still honour key and effect first.
    [
      "ToleratesTaint: Gt with a different key does not tolerate",
      { key: "other", operator: "Gt", value: "1" },
      sla("5"),
      false,
    ],
    [
      "ToleratesTaint: Gt with a different effect does not tolerate",
      { key: "sla", operator: "Gt", value: "1", effect: "NoExecute" },
      sla("5"),
      false,
    ],
    [
      "ToleratesTaint: Gt with an empty key compares any key's value",
      { operator: "Gt", value: "1" },
      sla("5"),
      true,
    ],
  ];
  for (const [rule, toleration, t, expected] of rows) {
    it(rule, () => assert.equal(tolerates(toleration, t), expected));
  }
});
