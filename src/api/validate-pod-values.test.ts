import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateObject } from "./validate.ts";

const pod = (spec: Record<string, unknown>) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p" },
  spec: { containers: [{ name: "c", image: "busybox" }], ...spec },
});

const container = (resources: Record<string, unknown>, name = "c") => ({
  name,
  image: "busybox",
  resources,
});

const errorsOf = (object: unknown) => {
  const result = validateObject(object);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};

// core/v1 ValidatePodSpec, ValidateResourceRequirements and metav1 ValidateLabelSelector; the
// messages are the API server's (`field.Invalid`, `field.Required`, `field.Duplicate`).
describe("pod values the API server refuses", () => {
  const rows: [string, unknown, string[]][] = [
    ["a pod with one named container is valid", pod({}), []],
    ["a pod needs a container", pod({ containers: [] }), ["spec.containers: Required value"]],
    [
      "a negative request (ValidateResourceQuantityValue: IsNegativeErrorMsg)",
      pod({ containers: [container({ requests: { cpu: "-1" } })] }),
      [
        'spec.containers[0].resources.requests.cpu: Invalid value: "-1": must be greater than or equal to 0',
      ],
    ],
    [
      "a negative limit",
      pod({ containers: [container({ limits: { memory: "-1Gi" } })] }),
      [
        'spec.containers[0].resources.limits.memory: Invalid value: "-1Gi": must be greater than or equal to 0',
      ],
    ],
    [
      "a request above its limit",
      pod({ containers: [container({ requests: { cpu: "2" }, limits: { cpu: "1" } })] }),
      [
        'spec.containers[0].resources.requests.cpu: Invalid value: "2": must be less than or equal to cpu limit of 1',
      ],
    ],
    [
      "a request equal to its limit is fine (Guaranteed QoS)",
      pod({ containers: [container({ requests: { cpu: "1000m" }, limits: { cpu: "1" } })] }),
      [],
    ],
    [
      "container names are unique across init containers and containers",
      pod({ initContainers: [{ name: "c", image: "x" }] }),
      ['spec.initContainers[0].name: Duplicate value: "c"'],
    ],
    [
      "a container name is a DNS label",
      pod({ containers: [{ name: "Web", image: "x" }] }),
      [
        `spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    [
      "a container without a name",
      pod({ containers: [{ image: "x" }] }),
      ["spec.containers[0].name: is required"],
    ],
    [
      "a pod anti-affinity selector with In and no values cannot be parsed",
      pod({
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [
              {
                topologyKey: "kubernetes.io/hostname",
                labelSelector: { matchExpressions: [{ key: "app", operator: "In" }] },
              },
            ],
          },
        },
      }),
      [
        "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    ],
    [
      "a spread constraint selector with an invalid key",
      pod({
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "DoNotSchedule",
            labelSelector: { matchExpressions: [{ key: "a b", operator: "Exists" }] },
          },
        ],
      }),
      [
        "spec.topologySpreadConstraints[0].labelSelector.matchExpressions[0].key: Invalid value: \"a b\": name part must consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character",
      ],
    ],
  ];
  for (const [rule, object, expected] of rows)
    it(rule, () => assert.deepEqual(errorsOf(object), expected));

  it("a Deployment's template is checked at its own path, and replicas may not be negative", () => {
    const errors = errorsOf({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        replicas: -1,
        selector: { matchExpressions: [{ key: "app", operator: "Exists", values: ["x"] }] },
        template: { spec: { containers: [container({ requests: { cpu: "-1" } })] } },
      },
    });
    assert.deepEqual(errors, [
      "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
      'spec.template.spec.containers[0].resources.requests.cpu: Invalid value: "-1": must be greater than or equal to 0',
      "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ]);
  });
  it("a PodDisruptionBudget's selector is checked", () => {
    const errors = errorsOf({
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "pdb" },
      spec: { minAvailable: 1, selector: { matchLabels: { "bad key!": "x" } } },
    });
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? "", /^spec\.selector\.matchLabels\[bad key!\]: key "bad key!"/);
  });
});

// Every error in one run: structural errors no longer hide the kind's rules until fixed.
describe("one run reports every error", () => {
  it("a structural error, a kind rule error and a name error together", () => {
    const errors = errorsOf({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "Bad_Name" },
      spec: {
        containers: [{ name: "c", ports: "80" }],
        tolerations: [{ key: "a", operator: "Exists", value: "b" }],
      },
    });
    assert.deepEqual(
      errors.map((e) => e.split(":")[0]),
      ["metadata.name", "spec.containers[0].ports", "spec.tolerations[0].value"],
    );
  });
  it("a rule that would read a broken field does not crash the run", () => {
    const errors = errorsOf({ ...pod({}), spec: { containers: "none" } });
    assert.deepEqual(errors, ["spec.containers: must be a list"]);
  });
  it("an object without kind or apiVersion is an error, not a kind to skip", () => {
    const result = validateObject({ metadata: { name: "x" } });
    assert.equal(result.ok, false);
    assert.ok(!result.ok && !result.unknownKind);
    assert.deepEqual(errorsOf({ metadata: { name: "x" } }), [
      "apiVersion: Object 'apiVersion' is missing",
      "kind: Object 'Kind' is missing",
    ]);
  });
});
