/**
 * The CEL rules (x-kubernetes-validations) of Karpenter's karpenter.sh/v1 NodePool and NodeClaim
 * CRDs (kubernetes-sigs/karpenter pkg/apis/v1/nodepool.go and nodeclaim.go markers, and the key
 * rules hack/validation adds to pkg/apis/crds/karpenter.sh_*.yaml, v1.14). Each rule is stated
 * once: the CRD carries `rule`, and carpool's own check (nodepool-cel-errors.ts) reports the same
 * `message` at the same field, so `carpool plan -f` and the API server refuse with the same words.
 */
import type { CelRule } from "./ec2nodeclass-cel.ts";

export type { CelRule };

/** The text before the first "/" of a label key (the whole key without one), as CEL finds it. */
const domainOf = (self: string) => `${self}.find("^([^/]+)")`;

/** Label keys on a NodePool's template: the rules apply to every key of the map (`self.all`). */
export const templateLabelRules = {
  karpenterDomain: {
    rule: `self.all(x, x in ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"] || !${domainOf("x")}.endsWith("karpenter.sh"))`,
    message: 'label domain "karpenter.sh" is restricted',
  },
  nodePool: {
    rule: 'self.all(x, x != "karpenter.sh/nodepool")',
    message: 'label "karpenter.sh/nodepool" is restricted',
  },
  hostname: {
    rule: 'self.all(x, x != "kubernetes.io/hostname")',
    message: 'label "kubernetes.io/hostname" is restricted',
  },
} as const satisfies Record<string, CelRule>;

const keyKarpenterDomain: CelRule = {
  rule: `self in ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"] || !${domainOf("self")}.endsWith("karpenter.sh")`,
  message: 'label domain "karpenter.sh" is restricted',
};
const keyHostname: CelRule = {
  rule: 'self != "kubernetes.io/hostname"',
  message: 'label "kubernetes.io/hostname" is restricted',
};

/** A NodePool requirement's key: its NodeClaims carry karpenter.sh/nodepool, so it may not name it. */
export const nodePoolRequirementKeyRules: readonly CelRule[] = [
  keyKarpenterDomain,
  {
    rule: 'self != "karpenter.sh/nodepool"',
    message: 'label "karpenter.sh/nodepool" is restricted',
  },
  keyHostname,
];

/** A NodeClaim requirement's key: karpenter.sh/nodepool is how a claim names its pool. */
export const nodeClaimRequirementKeyRules: readonly CelRule[] = [keyKarpenterDomain, keyHostname];

/** The operators whose one value is an integer bound (Gte and Lte since v1.9). */
export const BoundOperators = ["Gt", "Lt", "Gte", "Lte"] as const;

/** Rules on the whole requirements list, NodePool's template and NodeClaim's alike. */
export const requirementsRules = {
  inHasValues: {
    rule: "self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)",
    message: "requirements with operator 'In' must have a value defined",
  },
  boundIsOneInteger: {
    rule: `self.all(x, (${BoundOperators.map((o) => `x.operator == '${o}'`).join(" || ")}) ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)`,
    message:
      "requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value",
  },
  minValues: {
    rule: "self.all(x, (x.operator == 'In' && has(x.minValues)) ? x.values.size() >= x.minValues : true)",
    message:
      "requirements with 'minValues' must have at least that many values specified in the 'values' field",
  },
} as const satisfies Record<string, CelRule>;

/** Each field of a nodeClassRef: present (the schema requires it) and not empty. */
export const nodeClassRefFieldRules = {
  group: { rule: "self != ''", message: "group may not be empty" },
  kind: { rule: "self != ''", message: "kind may not be empty" },
  name: { rule: "self != ''", message: "name may not be empty" },
} as const satisfies Record<string, CelRule>;

/** A NodePool's nodeClassRef may change its name only (transition rules: checked on update). */
export const nodeClassRefTransitionRules = {
  group: { rule: "self.group == oldSelf.group", message: "nodeClassRef.group is immutable" },
  kind: { rule: "self.kind == oldSelf.kind", message: "nodeClassRef.kind is immutable" },
} as const satisfies Record<string, CelRule>;

export const budgetsRule: CelRule = {
  rule: "self.all(x, has(x.schedule) == has(x.duration))",
  message: "'schedule' must be set with 'duration'",
};

export const consolidationThresholdRule: CelRule = {
  rule: "!has(self.consolidationThreshold) || self.consolidationPolicy == 'Balanced'",
  message: "consolidationThreshold is only valid when consolidationPolicy is Balanced",
};

/** Static NodePools (spec.replicas, alpha): a fixed count, so no resource limits and no weight. */
export const staticNodePoolRules = {
  /** A transition rule: checked on update only. */
  mode: {
    rule: "has(self.replicas) == has(oldSelf.replicas)",
    message:
      "Cannot transition NodePool between static (replicas set) and dynamic (replicas unset) provisioning modes",
  },
  limitsNodesOnly: {
    rule: "!has(self.replicas) || (!has(self.limits) || size(self.limits) == 0 || (size(self.limits) == 1 && 'nodes' in self.limits))",
    message: "only 'limits.nodes' is supported on static NodePools",
  },
  noWeight: {
    rule: "!has(self.replicas) || !has(self.weight)",
    message: "'weight' is not supported on static NodePools",
  },
} as const satisfies Record<string, CelRule>;

/** A NodeClaim's spec is set once, by whoever creates it (a transition rule). */
export const nodeClaimSpecImmutable: CelRule = {
  rule: "self == oldSelf",
  message: "spec is immutable",
};
