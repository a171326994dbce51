import type { Node } from "../../api/node.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { NodeClassReference } from "../../api/nodepool.ts";
import { Labels, Taints } from "../../api/wellknown.ts";
import { formatResources } from "../../resources/resource-list.ts";
import { Requirements } from "../../scheduling/requirements.ts";
import { type OfferingChoice, offeringLabels } from "../offering-choice.ts";

/** Keys the kwok provider writes on its Nodes. */
export const KwokKeys = {
  /** kwok manages the nodes this annotation selects (`--manage-nodes-with-annotation-selector`). */
  managed: "kwok.x-k8s.io/node",
  managedValue: "fake",
  /** The NodeClaim a Node was made for: carpool's mark, without which a node is not its to touch. */
  nodeClaim: "carpool.dev/nodeclaim",
  /** The KwokNodeClass the claim named. */
  nodeClass: "carpool.dev/kwoknodeclass",
} as const;

export const KwokProviderIDPrefix = "kwok://";
export const KwokNodeClassGroup = "carpool.dev";
export const KwokNodeClassKind = "KwokNodeClass";

/** A kubelet always labels its node with its architecture and OS; types that say nothing get these. */
const kubeletDefaults = { [Labels.arch]: "amd64", [Labels.os]: "linux" };

/** Labels that describe the Node object itself, not what the claim asked for or got. */
const nodeOnlyLabels: ReadonlySet<string> = new Set([Labels.hostname, KwokKeys.managed]);

/**
 * The Node a kwok "instance" is (Karpenter's kwok provider, kwok/cloudprovider): named after the
 * claim, so a retried launch finds it; labelled with what the claim asked for and the offering it
 * got; tainted unregistered until the lifecycle controller registers it (that adds the claim's
 * taints and startup taints); capacity and allocatable from the instance type, which kwok keeps.
 */
export function kwokNode(nodeClaim: NodeClaim, choice: OfferingChoice, now: Date): Node {
  const name = nodeClaim.metadata.name ?? "";
  const { instanceType } = choice;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      creationTimestamp: now.toISOString(),
      labels: {
        ...kubeletDefaults,
        ...nodeClaim.metadata.labels,
        ...Requirements.from(nodeClaim.spec.requirements).labels(),
        ...offeringLabels(choice),
        [Labels.hostname]: name,
        [KwokKeys.managed]: KwokKeys.managedValue,
      },
      annotations: {
        [KwokKeys.managed]: KwokKeys.managedValue,
        [KwokKeys.nodeClaim]: name,
        [KwokKeys.nodeClass]: nodeClaim.spec.nodeClassRef.name,
      },
    },
    spec: {
      providerID: `${KwokProviderIDPrefix}${name}`,
      taints: [{ ...Taints.unregistered }],
    },
    status: {
      capacity: formatResources(instanceType.capacity),
      allocatable: formatResources(instanceType.allocatable),
    },
  };
}

/** Is this a Node the kwok provider made, and not being deleted? Other nodes are never touched. */
export function isKwokInstance(node: Node): boolean {
  return (
    (node.spec?.providerID ?? "").startsWith(KwokProviderIDPrefix) &&
    node.metadata.annotations?.[KwokKeys.nodeClaim] !== undefined &&
    node.metadata.deletionTimestamp === undefined
  );
}

/** The node name behind a kwok provider ID, if it is one. */
export function nodeNameOf(providerID: string): string | undefined {
  return providerID.startsWith(KwokProviderIDPrefix)
    ? providerID.slice(KwokProviderIDPrefix.length)
    : undefined;
}

/** The claim as launched on this node: the node's labels, provider ID, capacity and allocatable. */
export function launchedClaim(nodeClaim: NodeClaim, node: Node): NodeClaim {
  return {
    ...nodeClaim,
    metadata: { ...nodeClaim.metadata, labels: claimLabels(node) },
    status: {
      ...nodeClaim.status,
      providerID: node.spec?.providerID ?? "",
      ...(node.status?.capacity !== undefined && { capacity: node.status.capacity }),
      ...(node.status?.allocatable !== undefined && { allocatable: node.status.allocatable }),
    },
  };
}

/** A kwok Node as the instance the CloudProvider reports (get, list). */
export function instanceClaim(node: Node): NodeClaim {
  const annotations = node.metadata.annotations ?? {};
  const labels = node.metadata.labels ?? {};
  const nodeClassRef: NodeClassReference = {
    group: KwokNodeClassGroup,
    kind: KwokNodeClassKind,
    name: annotations[KwokKeys.nodeClass] ?? "",
  };
  return launchedClaim(
    {
      apiVersion: "karpenter.sh/v1",
      kind: "NodeClaim",
      metadata: { name: annotations[KwokKeys.nodeClaim] ?? "" },
      spec: {
        nodeClassRef,
        requirements: Requirements.fromLabels(
          Object.fromEntries(
            [Labels.instanceType, Labels.zone, Labels.capacityType].flatMap((key) =>
              labels[key] === undefined ? [] : [[key, labels[key]]],
            ),
          ),
        ).toNodeSelectorRequirements(),
      },
    },
    node,
  );
}

function claimLabels(node: Node): Record<string, string> {
  return Object.fromEntries(
    Object.entries(node.metadata.labels ?? {}).filter(([key]) => !nodeOnlyLabels.has(key)),
  );
}
