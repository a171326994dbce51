import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeSelectorTerm, Pod } from "../api/pod.ts";
import {
  labelMatches,
  nodeAffinityReasons,
  podRequirements,
  preferredScore,
} from "./node-affinity.ts";

const node = { name: "node-1", labels: { zone: "a", cpus: "8", team: "x" } };
const podWith = (spec: Partial<Pod["spec"]>): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p" },
  spec: { containers: [{ name: "c" }], ...spec },
});
const required = (...terms: NodeSelectorTerm[]) =>
  podWith({
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
      },
    },
  });

// Rows cite kube-scheduler's NodeAffinity filter and component-helpers/scheduling/corev1/nodeaffinity.
describe("nodeAffinityReasons against a concrete node", () => {
  const rows: [string, Pod, string[]][] = [
    ["no selector and no affinity fits", podWith({}), []],
    [
      "nodeSelector values must equal the node's labels",
      podWith({ nodeSelector: { zone: "b" } }),
      ["requirement_conflict"],
    ],
    [
      "nodeSelector on a missing label fails",
      podWith({ nodeSelector: { rack: "1" } }),
      ["requirement_conflict"],
    ],
    [
      "terms are ORed: one matching term is enough",
      required(
        { matchExpressions: [{ key: "zone", operator: "In", values: ["b"] }] },
        { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
      ),
      [],
    ],
    [
      "expressions in a term are ANDed",
      required({
        matchExpressions: [
          { key: "zone", operator: "In", values: ["a"] },
          { key: "team", operator: "NotIn", values: ["x"] },
        ],
      }),
      ["node_affinity_mismatch"],
    ],
    ["an empty term matches nothing", required({}), ["node_affinity_mismatch"]],
    ["an empty list of terms matches nothing", required(), ["node_affinity_mismatch"]],
    [
      "matchFields metadata.name In matches the node's name",
      required({
        matchFields: [{ key: "metadata.name", operator: "In", values: ["node-1"] }],
      }),
      [],
    ],
    [
      "matchFields metadata.name NotIn excludes the node",
      required({
        matchFields: [{ key: "metadata.name", operator: "NotIn", values: ["node-1"] }],
      }),
      ["node_affinity_mismatch"],
    ],
    [
      "nodeSelector and affinity must both hold, every failure reported",
      podWith({
        nodeSelector: { zone: "b" },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] },
          },
        },
      }),
      ["requirement_conflict", "node_affinity_mismatch"],
    ],
  ];
  for (const [rule, pod, codes] of rows) {
    it(rule, () =>
      assert.deepEqual(
        nodeAffinityReasons(pod, node).map((r) => r.code),
        codes,
      ),
    );
  }
});

// Rows cite apimachinery labels selector semantics for node selector operators.
describe("labelMatches", () => {
  const rows: [string, Parameters<typeof labelMatches>[0], string | undefined, boolean][] = [
    [
      "NotIn holds without the label",
      { key: "k", operator: "NotIn", values: ["a"] },
      undefined,
      true,
    ],
    [
      "DoesNotExist holds without the label",
      { key: "k", operator: "DoesNotExist" },
      undefined,
      true,
    ],
    ["DoesNotExist fails with the label", { key: "k", operator: "DoesNotExist" }, "", false],
    ["Exists fails without the label", { key: "k", operator: "Exists" }, undefined, false],
    ["Gt compares integers", { key: "k", operator: "Gt", values: ["7"] }, "8", true],
    [
      "Gt with a non-integer label fails",
      { key: "k", operator: "Gt", values: ["7"] },
      "eight",
      false,
    ],
    ["Gt with a non-integer bound fails", { key: "k", operator: "Gt", values: ["x"] }, "8", false],
    ["Lt without the label fails", { key: "k", operator: "Lt", values: ["7"] }, undefined, false],
    ["Lt compares integers", { key: "k", operator: "Lt", values: ["7"] }, "-1", true],
  ];
  for (const [rule, requirement, value, expected] of rows) {
    it(rule, () => assert.equal(labelMatches(requirement, value), expected));
  }
});

describe("podRequirements and preferredScore (Karpenter NewPodRequirements, NodeAffinity score)", () => {
  it("the nodeSelector is ANDed with the first required term, beta keys normalised", () => {
    const pod = required(
      {
        matchExpressions: [
          { key: "failure-domain.beta.kubernetes.io/zone", operator: "In", values: ["a", "b"] },
        ],
      },
      { matchExpressions: [{ key: "zone", operator: "In", values: ["c"] }] },
    );
    const withSelector = {
      ...pod,
      spec: { ...pod.spec, nodeSelector: { "topology.kubernetes.io/zone": "b" } },
    };
    const requirements = podRequirements(withSelector);
    assert.deepEqual(requirements.labels(), { "topology.kubernetes.io/zone": "b" });
    assert.equal(requirements.has("zone"), false, "only the first term is used");
  });
  it("preferredScore sums the weights of matching preferred terms", () => {
    const pod = podWith({
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 10,
              preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
            },
            {
              weight: 5,
              preference: { matchExpressions: [{ key: "team", operator: "In", values: ["y"] }] },
            },
            {
              weight: 3,
              preference: { matchExpressions: [{ key: "cpus", operator: "Gt", values: ["4"] }] },
            },
          ],
        },
      },
    });
    assert.equal(preferredScore(pod, node), 13);
  });
});
