import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type LabelKeyUse, restrictedLabelKeyError } from "./validate-labels.ts";

const domain = 'label domain "karpenter.sh" is restricted';
const nodePool = 'label "karpenter.sh/nodepool" is restricted';
const hostname = 'label "kubernetes.io/hostname" is restricted';
const uses: readonly LabelKeyUse[] = [
  "nodePoolLabel",
  "nodePoolRequirement",
  "nodeClaimRequirement",
];

// Rows cite Karpenter v1.14: pkg/apis/v1/labels.go (RestrictedLabelDomains = {karpenter.sh},
// RestrictedLabels = {kubernetes.io/hostname}, WellKnownLabels) and the CRDs' CEL rules on template
// labels and requirement keys (hack/validation/labels.sh, requirements.sh), as
// kubernetes-sigs/karpenter#2586 (v1.9.0) left them: kubernetes.io and k8s.io keys allowed.
describe("restrictedLabelKeyError: the same answer for every use", () => {
  const rows: [string, string, string | undefined][] = [
    ["a custom key", "example.com/team", undefined],
    ["a key without a prefix", "team", undefined],
    ["kubernetes.io keys are allowed since v1.9.0 (#2586)", "kubernetes.io/role", undefined],
    ["node-role.kubernetes.io is allowed (#2586)", "node-role.kubernetes.io/worker", undefined],
    ["app.kubernetes.io is allowed (#2586)", "app.kubernetes.io/name", undefined],
    ["k8s.io keys are allowed (#2586)", "k8s.io/thing", undefined],
    ["k8s.io subdomains too (#2586)", "example.k8s.io/thing", undefined],
    [
      "kops.k8s.io (an exception before #2586, allowed now)",
      "kops.k8s.io/instancegroup",
      undefined,
    ],
    [
      "node-restriction.kubernetes.io is allowed (set after registration)",
      "node-restriction.kubernetes.io/team",
      undefined,
    ],
    ["a well-known key: topology.kubernetes.io/zone", "topology.kubernetes.io/zone", undefined],
    [
      "a well-known key: node.kubernetes.io/instance-type",
      "node.kubernetes.io/instance-type",
      undefined,
    ],
    ["the beta keys are allowed (NormalizedLabels)", "beta.kubernetes.io/arch", undefined],
    ["karpenter.sh/capacity-type is well-known", "karpenter.sh/capacity-type", undefined],
    ["kubernetes.io/hostname is restricted (RestrictedLabels)", "kubernetes.io/hostname", hostname],
    ["karpenter.sh is restricted (RestrictedLabelDomains)", "karpenter.sh/team", domain],
    ["karpenter.sh/initialized is Karpenter's to set", "karpenter.sh/initialized", domain],
    ["subdomains of karpenter.sh too", "x.karpenter.sh/team", domain],
    // CEL: `key.find("^([^/]+)").endsWith("karpenter.sh")` has no dot before the suffix.
    ["CEL's suffix test has no dot: notkarpenter.sh", "notkarpenter.sh/team", domain],
    ["CEL's domain of a key without '/' is the whole key", "karpenter.sh", domain],
    [
      "karpenter.k8s.aws is the AWS provider's, not core's",
      "karpenter.k8s.aws/instance-cpu",
      undefined,
    ],
  ];
  for (const [rule, key, expected] of rows) {
    for (const use of uses) {
      it(`${rule} (${use})`, () => assert.equal(restrictedLabelKeyError(key, use), expected));
    }
  }
});

describe("restrictedLabelKeyError: karpenter.sh/nodepool", () => {
  // NodePool CRD: 'label "karpenter.sh/nodepool" is restricted' on template labels and requirement
  // keys; the NodeClaim CRD allows it in requirements (the pool's claims carry it).
  const rows: [LabelKeyUse, string | undefined][] = [
    ["nodePoolLabel", nodePool],
    ["nodePoolRequirement", nodePool],
    ["nodeClaimRequirement", undefined],
  ];
  for (const [use, expected] of rows) {
    it(`${use}: ${expected ?? "allowed"}`, () =>
      assert.equal(restrictedLabelKeyError("karpenter.sh/nodepool", use), expected));
  }
});
