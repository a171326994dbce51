import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kubeletMaySet, partitionLabels } from "./kubelet-labels.ts";

// Rows cite kubernetes/kubernetes: cmd/kubelet/app/options/options.go (ValidateKubeletFlags,
// isKubernetesLabel), staging/src/k8s.io/kubelet/pkg/apis/well_known_labels.go (kubeletLabels,
// kubeletLabelNamespaces, IsKubeletLabel) and plugin/pkg/admission/noderestriction/admission.go.
describe("kubeletMaySet: the kubelet's --node-labels rule", () => {
  const rows: [string, string, boolean][] = [
    ["a label outside kubernetes.io and k8s.io is not the kubelet's business", "team", true],
    ["karpenter.sh is outside kubernetes.io and k8s.io", "karpenter.sh/nodepool", true],
    ["karpenter.sh/capacity-type likewise", "karpenter.sh/capacity-type", true],
    [
      "a domain merely containing kubernetes.io is not under it",
      "kubernetes.io.example.com/x",
      true,
    ],
    ["a domain ending in -kubernetes.io is not under it", "notkubernetes.io/x", true],
    ["allowed set: kubernetes.io/arch", "kubernetes.io/arch", true],
    ["allowed set: kubernetes.io/os", "kubernetes.io/os", true],
    ["allowed set: kubernetes.io/hostname", "kubernetes.io/hostname", true],
    ["allowed set: node.kubernetes.io/instance-type", "node.kubernetes.io/instance-type", true],
    ["allowed set: topology.kubernetes.io/zone", "topology.kubernetes.io/zone", true],
    ["allowed set: topology.kubernetes.io/region", "topology.kubernetes.io/region", true],
    ["allowed set: beta.kubernetes.io/arch", "beta.kubernetes.io/arch", true],
    ["allowed set: beta.kubernetes.io/os", "beta.kubernetes.io/os", true],
    ["allowed set: beta.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type", true],
    [
      "allowed set: failure-domain.beta.kubernetes.io/zone",
      "failure-domain.beta.kubernetes.io/zone",
      true,
    ],
    [
      "allowed set: failure-domain.beta.kubernetes.io/region",
      "failure-domain.beta.kubernetes.io/region",
      true,
    ],
    ["allowed prefix: node.kubernetes.io/*", "node.kubernetes.io/role", true],
    ["allowed prefix: kubelet.kubernetes.io/*", "kubelet.kubernetes.io/pool", true],
    ["allowed prefix covers subdomains: *.node.kubernetes.io", "x.node.kubernetes.io/a", true],
    [
      "allowed prefix covers subdomains: *.kubelet.kubernetes.io",
      "x.kubelet.kubernetes.io/a",
      true,
    ],
    ["node-role.kubernetes.io is refused (k3s#10916)", "node-role.kubernetes.io/worker", false],
    ["kubernetes.io itself outside the allowed set", "kubernetes.io/role", false],
    ["a subdomain of kubernetes.io outside the prefixes", "app.kubernetes.io/name", false],
    ["k8s.io is refused as kubernetes.io is", "k8s.io/thing", false],
    ["subdomains of k8s.io too", "kops.k8s.io/instancegroup", false],
    [
      "node-restriction.kubernetes.io never (NodeRestriction)",
      "node-restriction.kubernetes.io/team",
      false,
    ],
    ["nor its subdomains", "a.node-restriction.kubernetes.io/team", false],
    ["the allowed set is exact: no other key under topology", "topology.kubernetes.io/rack", false],
    [
      "node.kubernetes.io/windows-build falls under the node.kubernetes.io prefix",
      "node.kubernetes.io/windows-build",
      true,
    ],
  ];
  for (const [rule, key, allowed] of rows) {
    it(`${key}: ${rule}`, () => assert.equal(kubeletMaySet(key), allowed));
  }
});

describe("partitionLabels", () => {
  it("keeps every label, each on exactly one side", () => {
    const labels = {
      "karpenter.sh/nodepool": "edge",
      "node-role.kubernetes.io/worker": "",
      "topology.kubernetes.io/zone": "rack-1",
      "node-restriction.kubernetes.io/team": "a",
    };
    assert.deepEqual(partitionLabels(labels), {
      kubelet: { "karpenter.sh/nodepool": "edge", "topology.kubernetes.io/zone": "rack-1" },
      afterRegistration: {
        "node-role.kubernetes.io/worker": "",
        "node-restriction.kubernetes.io/team": "a",
      },
    });
  });
});
