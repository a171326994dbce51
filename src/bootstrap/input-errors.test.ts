import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BootstrapInput } from "../ports/bootstrap.ts";
import { bootstrapInputErrors } from "./input-errors.ts";

const valid: BootstrapInput = {
  nodeName: "carpool-abc123",
  labels: { "karpenter.sh/nodepool": "edge" },
  taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }],
  kubelet: {
    maxPods: 58,
    systemReserved: { cpu: "100m", memory: "500Mi" },
    kubeReserved: { "ephemeral-storage": "1Gi", pid: "100" },
    evictionHard: { "memory.available": "100Mi", "nodefs.available": "10%" },
  },
  providerID: "aws:///us-east-1a/i-0123456789abcdef0",
};

/** The input with some fields replaced; `unknown` lets a row hold what a manifest might. */
function withFields(fields: Record<string, unknown>): BootstrapInput {
  return { ...valid, ...fields } as BootstrapInput;
}

describe("bootstrapInputErrors", () => {
  it("a valid input has no errors", () => assert.deepEqual(bootstrapInputErrors(valid), []));

  // Each row: the rule (and where upstream states it), the change, and the paths refused.
  const rows: [string, Record<string, unknown>, string[]][] = [
    // apimachinery validation.IsDNS1123Subdomain (a Node's name, ValidateNodeName)
    ["node name: upper case is not DNS-1123", { nodeName: "Node-1" }, ["nodeName"]],
    ["node name: no underscores", { nodeName: "node_1" }, ["nodeName"]],
    ["node name: no trailing dot", { nodeName: "node." }, ["nodeName"]],
    ["node name: not empty", { nodeName: "" }, ["nodeName"]],
    ["node name: no newline", { nodeName: "node\nrm -rf /" }, ["nodeName"]],
    ["node name: at most 253 characters", { nodeName: "a".repeat(254) }, ["nodeName"]],
    ["node name: must be a string", { nodeName: 7 }, ["nodeName"]],
    // apimachinery validation.IsQualifiedName / IsValidLabelValue (ValidateLabels)
    ["label key: no spaces", { labels: { "a b": "x" } }, ['labels["a b"]']],
    ["label key: one slash at most", { labels: { "a/b/c": "x" } }, ['labels["a/b/c"]']],
    [
      "label key: prefix is lowercase DNS",
      { labels: { "Example.com/a": "x" } },
      ['labels["Example.com/a"]'],
    ],
    [
      "label key: name at most 63",
      { labels: { ["a".repeat(64)]: "x" } },
      [`labels["${"a".repeat(64)}"]`],
    ],
    ["label value: no quotes", { labels: { team: 'a"b' } }, ['labels["team"]']],
    ["label value: no newline", { labels: { team: "a\nb" } }, ['labels["team"]']],
    [
      "label value: no comma (would split --node-labels)",
      { labels: { team: "a,b" } },
      ['labels["team"]'],
    ],
    ["label value: no $()", { labels: { team: "$(id)" } }, ['labels["team"]']],
    ["label value: at most 63", { labels: { team: "a".repeat(64) } }, ['labels["team"]']],
    ["label value: must be a string", { labels: { team: 1 } }, ['labels["team"]']],
    ["labels: must be a map", { labels: ["a"] }, ["labels"]],
    // core/v1 validation validateNodeTaints
    [
      "taint key: qualified name",
      { taints: [{ key: "a b", effect: "NoSchedule" }] },
      ["taints[0].key"],
    ],
    ["taint key: required", { taints: [{ effect: "NoSchedule" }] }, ["taints[0].key"]],
    [
      "taint value: a label value",
      { taints: [{ key: "a", value: "x:y", effect: "NoSchedule" }] },
      ["taints[0].value"],
    ],
    [
      "taint effect: one of three",
      { taints: [{ key: "a", effect: "NoExec" }] },
      ["taints[0].effect"],
    ],
    ["taint effect: required", { taints: [{ key: "a" }] }, ["taints[0].effect"]],
    [
      "taints: unique by key and effect",
      {
        taints: [
          { key: "a", value: "1", effect: "NoSchedule" },
          { key: "a", value: "2", effect: "NoSchedule" },
        ],
      },
      ["taints[1]"],
    ],
    ["taints: must be a list", { taints: {} }, ["taints"]],
    // Karpenter v1 EC2NodeClass spec.kubelet rules
    ["maxPods: an integer", { kubelet: { maxPods: 1.5 } }, ["kubelet.maxPods"]],
    ["maxPods: not negative", { kubelet: { maxPods: -1 } }, ["kubelet.maxPods"]],
    ["maxPods: an int32", { kubelet: { maxPods: 2 ** 31 } }, ["kubelet.maxPods"]],
    [
      "systemReserved: cpu, memory, ephemeral-storage or pid",
      { kubelet: { systemReserved: { gpu: "1" } } },
      ['kubelet.systemReserved["gpu"]'],
    ],
    [
      "systemReserved: a quantity",
      { kubelet: { systemReserved: { cpu: "1 cpu" } } },
      ['kubelet.systemReserved["cpu"]'],
    ],
    [
      "systemReserved: not negative",
      { kubelet: { systemReserved: { cpu: "-1" } } },
      ['kubelet.systemReserved["cpu"]'],
    ],
    [
      "kubeReserved: a quantity, not a percentage",
      { kubelet: { kubeReserved: { memory: "10%" } } },
      ['kubelet.kubeReserved["memory"]'],
    ],
    [
      "kubeReserved: no injected flags",
      { kubelet: { kubeReserved: { memory: "1Gi,cpu=9" } } },
      ['kubelet.kubeReserved["memory"]'],
    ],
    [
      "evictionHard: a known signal",
      { kubelet: { evictionHard: { "memory.free": "1Gi" } } },
      ['kubelet.evictionHard["memory.free"]'],
    ],
    [
      "evictionHard: percentage at most 100",
      { kubelet: { evictionHard: { "nodefs.available": "101%" } } },
      ['kubelet.evictionHard["nodefs.available"]'],
    ],
    [
      "evictionHard: a quantity or a percentage",
      { kubelet: { evictionHard: { "memory.available": "<1Gi" } } },
      ['kubelet.evictionHard["memory.available"]'],
    ],
    // what the kubelet's --provider-id can carry
    ["providerID: scheme://id", { providerID: "i-0123" }, ["providerID"]],
    ["providerID: no whitespace", { providerID: "aws:///zone/i-1 --v=9" }, ["providerID"]],
    ["providerID: no newline", { providerID: "aws:///zone/i-1\n" }, ["providerID"]],
  ];
  for (const [rule, fields, paths] of rows) {
    it(rule, () => {
      const errors = bootstrapInputErrors(withFields(fields));
      assert.deepEqual(
        errors.map((e) => e.path),
        paths,
        JSON.stringify(errors),
      );
    });
  }

  it("reports every problem, not only the first", () => {
    const errors = bootstrapInputErrors(
      withFields({ nodeName: "A", labels: { "a b": "c d" }, taints: [{ key: "", effect: "x" }] }),
    );
    assert.deepEqual(
      errors.map((e) => e.path),
      ["nodeName", 'labels["a b"]', 'labels["a b"]', "taints[0].key", "taints[0].effect"],
    );
  });

  it("accepts what Kubernetes accepts: empty label and taint values, percentages, 100%", () => {
    const errors = bootstrapInputErrors(
      withFields({
        labels: { "node-role.kubernetes.io/worker": "" },
        taints: [{ key: "a", value: "", effect: "NoExecute" }],
        kubelet: { evictionHard: { "imagefs.available": "100%", "pid.available": "0.5%" } },
      }),
    );
    assert.deepEqual(errors, []);
  });
});
