import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeClaim } from "./nodeclaim.ts";
import type { NodePool } from "./nodepool.ts";
import { templateLabelRules } from "./nodepool-cel.ts";
import {
  nodeClaimCelErrors,
  nodeClaimTransitionErrors,
  nodePoolCelErrors,
  nodePoolTransitionErrors,
} from "./nodepool-cel-errors.ts";
import { restrictedLabelKeyError } from "./validate-labels.ts";

type Requirement = NodePool["spec"]["template"]["spec"]["requirements"][number];

const nodeClassRef = { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" };

function nodePool(
  spec: Partial<NodePool["spec"]> = {},
  requirements: Requirement[] = [],
): NodePool {
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: { name: "default" },
    spec: { template: { spec: { nodeClassRef, requirements } }, ...spec },
  };
}

const errorsOf = (pool: NodePool) => nodePoolCelErrors(pool).map((e) => `${e.path}: ${e.message}`);
const bound = (operator: Requirement["operator"], values?: string[]): Requirement => ({
  key: "karpenter.k8s.aws/instance-cpu",
  operator,
  ...(values !== undefined && { values }),
});
const boundMessage =
  "spec.template.spec.requirements: requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value";

describe("NodePool CEL rules as carpool evaluates them (Karpenter v1.14 karpenter.sh_nodepools.yaml)", () => {
  const rows: [rule: string, pool: NodePool, errors: string[]][] = [
    ["a plain NodePool passes", nodePool(), []],
    // int(x.values[0]) >= 0: CEL's int() is strconv.ParseInt, which takes a sign.
    ["Gte 4 is a bound", nodePool({}, [bound("Gte", ["4"])]), []],
    ["Lte +8 parses as 8", nodePool({}, [bound("Lte", ["+8"])]), []],
    ["Gt -0 is 0, not negative", nodePool({}, [bound("Gt", ["-0"])]), []],
    ["Lt -1 is negative", nodePool({}, [bound("Lt", ["-1"])]), [boundMessage]],
    [
      "Gte past int64 does not parse",
      nodePool({}, [bound("Gte", ["9223372036854775808"])]),
      [boundMessage],
    ],
    ["Gt with two values", nodePool({}, [bound("Gt", ["1", "2"])]), [boundMessage]],
    ["Lte without values (no such key)", nodePool({}, [bound("Lte")]), [boundMessage]],
    ["Gt 1.5 is not an integer", nodePool({}, [bound("Gt", ["1.5"])]), [boundMessage]],
    [
      "In without values, and minValues above them, fail once each for the whole list",
      nodePool({}, [
        { key: "a.example.com/x", operator: "In" },
        { key: "b.example.com/x", operator: "In", values: [], minValues: 1 },
      ]),
      [
        "spec.template.spec.requirements: requirements with operator 'In' must have a value defined",
        "spec.template.spec.requirements: requirements with 'minValues' must have at least that many values specified in the 'values' field",
      ],
    ],
    [
      "minValues on NotIn is not checked (the rule reads In only)",
      nodePool({}, [{ key: "a.example.com/x", operator: "NotIn", values: ["a"], minValues: 5 }]),
      [],
    ],
    [
      "template labels: one error per rule, not per key",
      nodePool({
        template: {
          metadata: {
            labels: { "karpenter.sh/a": "x", "karpenter.sh/b": "y", "kubernetes.io/hostname": "h" },
          },
          spec: { nodeClassRef, requirements: [] },
        },
      }),
      [
        'spec.template.metadata.labels: label domain "karpenter.sh" is restricted',
        'spec.template.metadata.labels: label "kubernetes.io/hostname" is restricted',
      ],
    ],
    [
      "karpenter.sh/capacity-type is a well-known label, allowed on the template",
      nodePool({
        template: {
          metadata: { labels: { "karpenter.sh/capacity-type": "spot" } },
          spec: { nodeClassRef, requirements: [] },
        },
      }),
      [],
    ],
    [
      "an empty nodeClassRef field",
      nodePool({
        template: { spec: { nodeClassRef: { ...nodeClassRef, kind: "" }, requirements: [] } },
      }),
      ["spec.template.spec.nodeClassRef.kind: kind may not be empty"],
    ],
    [
      "consolidationThreshold without a policy: the default policy is not Balanced",
      nodePool({ disruption: { consolidateAfter: "0s", consolidationThreshold: 2 } }),
      [
        "spec.disruption: consolidationThreshold is only valid when consolidationPolicy is Balanced",
      ],
    ],
    [
      "consolidationThreshold with Balanced",
      nodePool({
        disruption: {
          consolidateAfter: "0s",
          consolidationPolicy: "Balanced",
          consolidationThreshold: 1,
        },
      }),
      [],
    ],
    [
      "a budget with a schedule and no duration",
      nodePool({
        disruption: { consolidateAfter: "0s", budgets: [{ nodes: "1", schedule: "@daily" }] },
      }),
      ["spec.disruption.budgets: 'schedule' must be set with 'duration'"],
    ],
    ["static: limits.nodes only", nodePool({ replicas: 2, limits: { nodes: "3" } }), []],
    ["static: an empty limits map", nodePool({ replicas: 2, limits: {} }), []],
    [
      "static: a cpu limit and a weight",
      nodePool({ replicas: 2, limits: { nodes: "3", cpu: "8" }, weight: 5 }),
      [
        "spec: only 'limits.nodes' is supported on static NodePools",
        "spec: 'weight' is not supported on static NodePools",
      ],
    ],
    ["dynamic: any limits and a weight", nodePool({ limits: { cpu: "8" }, weight: 5 }), []],
  ];
  for (const [rule, pool, errors] of rows) it(rule, () => assert.deepEqual(errorsOf(pool), errors));

  it("each template label rule's message is restrictedLabelKeyError's for the key it refuses", () => {
    assert.equal(
      restrictedLabelKeyError("karpenter.sh/x", "nodePoolLabel"),
      templateLabelRules.karpenterDomain.message,
    );
    assert.equal(
      restrictedLabelKeyError("karpenter.sh/nodepool", "nodePoolLabel"),
      templateLabelRules.nodePool.message,
    );
    assert.equal(
      restrictedLabelKeyError("kubernetes.io/hostname", "nodePoolLabel"),
      templateLabelRules.hostname.message,
    );
  });
});

describe("NodePool transition rules (CEL oldSelf: checked on update)", () => {
  const rows: [rule: string, next: NodePool, previous: NodePool, errors: string[]][] = [
    ["nothing changed", nodePool(), nodePool(), []],
    [
      "dynamic to static",
      nodePool({ replicas: 1 }),
      nodePool(),
      [
        "spec: Cannot transition NodePool between static (replicas set) and dynamic (replicas unset) provisioning modes",
      ],
    ],
    ["a static NodePool scaled", nodePool({ replicas: 5 }), nodePool({ replicas: 1 }), []],
    [
      "the nodeClassRef's group and kind",
      nodePool({
        template: {
          spec: {
            nodeClassRef: { group: "carpool.dev", kind: "KwokNodeClass", name: "x" },
            requirements: [],
          },
        },
      }),
      nodePool(),
      [
        "spec.template.spec.nodeClassRef: nodeClassRef.group is immutable",
        "spec.template.spec.nodeClassRef: nodeClassRef.kind is immutable",
      ],
    ],
  ];
  for (const [rule, next, previous, errors] of rows)
    it(rule, () =>
      assert.deepEqual(
        nodePoolTransitionErrors(next, previous).map((e) => `${e.path}: ${e.message}`),
        errors,
      ),
    );
});

describe("NodeClaim CEL rules (karpenter.sh_nodeclaims.yaml)", () => {
  const claim = (spec: Partial<NodeClaim["spec"]> = {}): NodeClaim => ({
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: { name: "default-abcde" },
    spec: {
      nodeClassRef,
      requirements: [{ key: "karpenter.sh/nodepool", operator: "In", values: ["default"] }],
      ...spec,
    },
  });
  it("a claim names its pool in a requirement", () =>
    assert.deepEqual(nodeClaimCelErrors(claim()), []));
  it("Gte with a word is refused at the list", () =>
    assert.deepEqual(
      nodeClaimCelErrors(
        claim({ requirements: [{ key: "example.com/x", operator: "Gte", values: ["many"] }] }),
      ).map((e) => e.path),
      ["spec.requirements"],
    ));
  it("spec is immutable: any change, key order aside", () => {
    const stored = claim({ expireAfter: "720h", terminationGracePeriod: "1h" });
    const reordered = claim({ terminationGracePeriod: "1h", expireAfter: "720h" });
    assert.deepEqual(nodeClaimTransitionErrors(reordered, stored), []);
    assert.deepEqual(
      nodeClaimTransitionErrors(claim({ expireAfter: "24h" }), stored).map((e) => e.message),
      ["spec is immutable"],
    );
  });
});
