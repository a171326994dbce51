/**
 * What `kubectl get nodepools,nodeclaims` shows, and how `kubectl scale nodepool` works: the
 * printer columns and scale subresource of Karpenter v1.14's CRDs (the +kubebuilder:printcolumn
 * and +kubebuilder:subresource:scale markers of pkg/apis/v1/nodepool.go and nodeclaim.go).
 * Priority 1 columns appear with `-o wide`.
 */
export interface PrinterColumn {
  readonly jsonPath: string;
  readonly name: string;
  readonly priority?: number;
  readonly type: "string" | "integer" | "date";
}

const readyColumn: PrinterColumn = {
  jsonPath: '.status.conditions[?(@.type=="Ready")].status',
  name: "Ready",
  type: "string",
};
const ageColumn: PrinterColumn = {
  jsonPath: ".metadata.creationTimestamp",
  name: "Age",
  type: "date",
};

export const nodePoolPrinterColumns: readonly PrinterColumn[] = [
  { jsonPath: ".spec.template.spec.nodeClassRef.name", name: "NodeClass", type: "string" },
  { jsonPath: ".status.nodes", name: "Nodes", type: "string" },
  readyColumn,
  ageColumn,
  { jsonPath: ".spec.weight", name: "Weight", priority: 1, type: "integer" },
  { jsonPath: ".status.resources.cpu", name: "CPU", priority: 1, type: "string" },
  { jsonPath: ".status.resources.memory", name: "Memory", priority: 1, type: "string" },
];

/** A label column: dots in the key are escaped in a JSONPath. */
const label = (key: string) => `.metadata.labels.${key.replaceAll(".", "\\.")}`;

export const nodeClaimPrinterColumns: readonly PrinterColumn[] = [
  { jsonPath: label("node.kubernetes.io/instance-type"), name: "Type", type: "string" },
  { jsonPath: label("karpenter.sh/capacity-type"), name: "Capacity", type: "string" },
  { jsonPath: label("topology.kubernetes.io/zone"), name: "Zone", type: "string" },
  { jsonPath: ".status.nodeName", name: "Node", type: "string" },
  readyColumn,
  ageColumn,
  { jsonPath: ".status.imageID", name: "ImageID", priority: 1, type: "string" },
  { jsonPath: ".status.providerID", name: "ID", priority: 1, type: "string" },
  { jsonPath: label("karpenter.sh/nodepool"), name: "NodePool", priority: 1, type: "string" },
  { jsonPath: ".spec.nodeClassRef.name", name: "NodeClass", priority: 1, type: "string" },
  {
    jsonPath: '.status.conditions[?(@.type=="Drifted")].status',
    name: "Drifted",
    priority: 1,
    type: "string",
  },
];

/** `kubectl scale nodepool/x --replicas=n` sets spec.replicas; the nodes it has are status.nodes. */
export const nodePoolScale = {
  specReplicasPath: ".spec.replicas",
  statusReplicasPath: ".status.nodes",
} as const;
