import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateObject } from "./validate.ts";

const nodePool = (spec: Record<string, unknown> = {}, template: Record<string, unknown> = {}) => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "gpu" },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
        requirements: [],
        ...template,
      },
    },
    ...spec,
  },
});

const errorsOf = (object: unknown) => {
  const result = validateObject(object);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};

describe("NodePool validation (Karpenter v1 CRD schema and CEL rules)", () => {
  const rows: [string, unknown, string[]][] = [
    ["a minimal NodePool is valid", nodePool(), []],
    [
      "taint effect must be one of the three (core/v1 TaintEffect)",
      nodePool(
        {},
        {
          taints: [
            { key: "a", effect: "NoSchedule" },
            { key: "b", effect: "Sometimes" },
          ],
        },
      ),
      ["spec.template.spec.taints[1].effect: must be NoSchedule, PreferNoSchedule or NoExecute"],
    ],
    [
      "nodeClassRef is required",
      { ...nodePool(), spec: { template: { spec: { requirements: [] } } } },
      ["spec.template.spec.nodeClassRef: is required"],
    ],
    [
      "In needs at least one value (ValidateNodeSelectorRequirement)",
      nodePool({}, { requirements: [{ key: "team", operator: "In" }] }),
      ["spec.template.spec.requirements[0].values: must be non-empty when operator is In"],
    ],
    [
      "Exists takes no values",
      nodePool({}, { requirements: [{ key: "team", operator: "Exists", values: ["a"] }] }),
      ["spec.template.spec.requirements[0].values: must be empty when operator is Exists"],
    ],
    [
      "Gt needs a single non-negative integer (CEL: single positive integer value)",
      nodePool(
        {},
        {
          requirements: [
            { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["-1"] },
          ],
        },
      ),
      [
        "spec.template.spec.requirements[0].values: operator Gt must have a single positive integer value",
      ],
    ],
    [
      "Lt with a non-integer value is rejected",
      nodePool(
        {},
        {
          requirements: [
            { key: "karpenter.k8s.aws/instance-cpu", operator: "Lt", values: ["four"] },
          ],
        },
      ),
      [
        "spec.template.spec.requirements[0].values: operator Lt must have a single positive integer value",
      ],
    ],
    [
      "minValues must not exceed the In values (CEL)",
      nodePool(
        {},
        {
          requirements: [
            {
              key: "node.kubernetes.io/instance-type",
              operator: "In",
              values: ["a"],
              minValues: 2,
            },
          ],
        },
      ),
      [
        "spec.template.spec.requirements[0].minValues: requirements with 'minValues' must have at least that many values specified in the 'values' field",
      ],
    ],
    [
      "kubernetes.io is a restricted label domain (CEL)",
      nodePool({}, { requirements: [{ key: "example.kubernetes.io/x", operator: "Exists" }] }),
      ['spec.template.spec.requirements[0].key: label domain "kubernetes.io" is restricted'],
    ],
    [
      "node.kubernetes.io is an allowed exception (LabelDomainExceptions)",
      nodePool({}, { requirements: [{ key: "node.kubernetes.io/pool", operator: "Exists" }] }),
      [],
    ],
    [
      "well-known labels are allowed",
      nodePool(
        {},
        { requirements: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["a"] }] },
      ),
      [],
    ],
    [
      "karpenter.sh/nodepool may not be required (CEL)",
      nodePool({}, { requirements: [{ key: "karpenter.sh/nodepool", operator: "Exists" }] }),
      ['spec.template.spec.requirements[0].key: label "karpenter.sh/nodepool" is restricted'],
    ],
    [
      "kubernetes.io/hostname is restricted",
      nodePool({}, { requirements: [{ key: "kubernetes.io/hostname", operator: "Exists" }] }),
      ['spec.template.spec.requirements[0].key: label "kubernetes.io/hostname" is restricted'],
    ],
    [
      "k8s.io template labels are restricted",
      {
        ...nodePool(),
        spec: {
          ...nodePool().spec,
          template: { ...nodePool().spec.template, metadata: { labels: { "x.k8s.io/a": "b" } } },
        },
      },
      ['spec.template.metadata.labels[x.k8s.io/a]: label domain "k8s.io" is restricted'],
    ],
    [
      "label values follow IsValidLabelValue",
      nodePool({}, { requirements: [{ key: "team", operator: "In", values: ["-bad"] }] }),
      [
        "spec.template.spec.requirements[0].values[0]: must be empty or consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character",
      ],
    ],
    [
      "expireAfter must be a duration or Never",
      nodePool({}, { expireAfter: "30 days" }),
      ['spec.template.spec.expireAfter: "30 days" must match ^(([0-9]+(s|m|h))+|Never)$'],
    ],
    [
      "budget nodes must be a count or percentage",
      nodePool({ disruption: { budgets: [{ nodes: "150%" }] } }),
      ['spec.disruption.budgets[0].nodes: "150%" must match ^((100|[0-9]{1,2})%|[0-9]+)$'],
    ],
    [
      "a budget schedule needs a duration (CEL)",
      nodePool({ disruption: { budgets: [{ nodes: "0", schedule: "@daily" }] } }),
      ["spec.disruption.budgets[0]: 'schedule' must be set with 'duration'"],
    ],
    ["weight is 1..100", nodePool({ weight: 0 }), ["spec.weight: must be at least 1"]],
    [
      "consolidationPolicy is an enum",
      nodePool({ disruption: { consolidationPolicy: "Always" } }),
      ["spec.disruption.consolidationPolicy: must be WhenEmpty or WhenEmptyOrUnderutilized"],
    ],
    [
      "limits are quantities",
      nodePool({ limits: { cpu: "lots" } }),
      [
        `spec.limits.cpu: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "lots"`,
      ],
    ],
  ];
  for (const [rule, object, expected] of rows) {
    it(rule, () => assert.deepEqual(errorsOf(object), expected));
  }
});

describe("Pod validation (core/v1 rules carpool relies on)", () => {
  const pod = (spec: Record<string, unknown>) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: { containers: [{ name: "c" }], ...spec },
  });
  it("a toleration with operator Exists must have no value", () => {
    assert.deepEqual(
      errorsOf(pod({ tolerations: [{ key: "a", operator: "Exists", value: "b" }] })),
      ["spec.tolerations[0].value: must be empty when operator is Exists"],
    );
  });
  it("an empty toleration key needs operator Exists", () => {
    assert.deepEqual(errorsOf(pod({ tolerations: [{ operator: "Equal", value: "b" }] })), [
      "spec.tolerations[0].operator: must be Exists when key is empty",
    ]);
  });
  it("invalid resource quantities name the container field", () => {
    const errors = errorsOf(
      pod({ containers: [{ name: "c", resources: { requests: { memory: "1gb" } } }] }),
    );
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? "", /^spec\.containers\[0\]\.resources\.requests\.memory: .*"1gb"/);
  });
  it("an unknown kind is flagged as such, not as invalid", () => {
    const result = validateObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } });
    assert.ok(!result.ok && result.unknownKind);
  });
});

describe("KwokNodeClass validation (carpool.dev/v1alpha1, an empty spec)", () => {
  const kwokNodeClass = (extra: Record<string, unknown> = {}) => ({
    apiVersion: "carpool.dev/v1alpha1",
    kind: "KwokNodeClass",
    metadata: { name: "default" },
    ...extra,
  });
  const rows: [string, unknown, string[]][] = [
    ["without a spec it is valid", kwokNodeClass(), []],
    ["an empty spec is valid", kwokNodeClass({ spec: {} }), []],
    [
      "a Ready condition in status is valid",
      kwokNodeClass({ spec: {}, status: { conditions: [{ type: "Ready", status: "True" }] } }),
      [],
    ],
    [
      "a field in spec is refused, not ignored (Karpenter's KWOKNodeClass fields are not read)",
      kwokNodeClass({ spec: { nodeRegistrationDelay: "5s" } }),
      ["spec.nodeRegistrationDelay: is not a field of this kind"],
    ],
    [
      "a condition needs its type and status (metav1.Condition)",
      kwokNodeClass({ status: { conditions: [{ type: "Ready" }] } }),
      ["status.conditions[0].status: is required"],
    ],
  ];
  for (const [rule, object, expected] of rows) {
    it(rule, () => assert.deepEqual(errorsOf(object), expected));
  }
});
