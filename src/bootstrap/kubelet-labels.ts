/**
 * Which labels a kubelet may put on its own Node. The kubelet refuses to start with any other in
 * `--node-labels` (kubernetes/kubernetes cmd/kubelet/app/options/options.go ValidateKubeletFlags:
 * "unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels"), and the NodeRestriction
 * admission plugin refuses them from a node's credentials
 * (plugin/pkg/admission/noderestriction/admission.go getForbiddenLabels). The rest are carpool's
 * to set after registration, with the lifecycle controller's credentials — which matters since
 * Karpenter v1.9.0 lets NodePools use kubernetes.io and k8s.io labels (kubernetes-sigs/karpenter#2586).
 */

/** k8s.io/kubelet/pkg/apis/well_known_labels.go kubeletLabels: the exact keys allowed. */
const kubeletLabels: ReadonlySet<string> = new Set([
  "beta.kubernetes.io/arch",
  "beta.kubernetes.io/instance-type",
  "beta.kubernetes.io/os",
  "failure-domain.beta.kubernetes.io/region",
  "failure-domain.beta.kubernetes.io/zone",
  "kubernetes.io/arch",
  "kubernetes.io/hostname",
  "kubernetes.io/os",
  "node.kubernetes.io/instance-type",
  "topology.kubernetes.io/region",
  "topology.kubernetes.io/zone",
]);

/** kubeletLabelNamespaces: a domain that is, or ends in, one of these is the kubelet's. */
const kubeletLabelNamespaces = ["kubelet.kubernetes.io", "node.kubernetes.io"];

/** The key's domain (prefix before `/`), or "" (getLabelNamespace). */
function labelDomain(key: string): string {
  const slash = key.indexOf("/");
  return slash < 0 ? "" : key.slice(0, slash);
}

function isOrUnder(domain: string, parent: string): boolean {
  return domain === parent || domain.endsWith(`.${parent}`);
}

/**
 * Whether a kubelet may set `key` on itself: any key outside kubernetes.io and k8s.io (options.go
 * isKubernetesLabel), or one of the kubelet's own (well_known_labels.go IsKubeletLabel); never a
 * key under node-restriction.kubernetes.io, which NodeRestriction keeps from nodes outright.
 */
export function kubeletMaySet(key: string): boolean {
  const domain = labelDomain(key);
  if (isOrUnder(domain, "node-restriction.kubernetes.io")) return false;
  if (!isOrUnder(domain, "kubernetes.io") && !isOrUnder(domain, "k8s.io")) return true;
  if (kubeletLabels.has(key)) return true;
  return kubeletLabelNamespaces.some((namespace) => isOrUnder(domain, namespace));
}

/** The labels split into those the kubelet registers with and those set after registration. */
export interface LabelPartition {
  readonly kubelet: Readonly<Record<string, string>>;
  readonly afterRegistration: Readonly<Record<string, string>>;
}

export function partitionLabels(labels: Readonly<Record<string, string>>): LabelPartition {
  const kubelet: Record<string, string> = {};
  const afterRegistration: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    if (kubeletMaySet(key)) kubelet[key] = value;
    else afterRegistration[key] = value;
  }
  return { kubelet, afterRegistration };
}
