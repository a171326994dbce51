import type { NodeSelectorRequirement, Taint, Toleration } from "../api/pod.ts";
import type { NodeRequirement } from "./requirement.ts";

/**
 * Why a pod cannot go somewhere: one discriminated union with stable codes, carrying typed
 * fields. Predicates return every failure they find, not only the first; `src/render/` is
 * the only place a reason becomes words.
 *
 * Resource amounts are in the scheduler's integer units (see src/resources/): milli-units
 * for cpu, whole units (rounded up) for everything else.
 */
export type Reason =
  /**
   * The target has a taint with this effect that no toleration of the pod matches;
   * `nearMisses` are the pod's tolerations for the same key and effect that did not match.
   */
  | {
      readonly code: "untolerated_taint";
      readonly taint: Taint;
      readonly nearMisses: readonly Toleration[];
    }
  /** The node is cordoned (spec.unschedulable) and the pod does not tolerate node.kubernetes.io/unschedulable. */
  | { readonly code: "node_unschedulable" }
  /** A pod requirement (from nodeSelector or node affinity) conflicts with what the target offers. */
  | {
      readonly code: "requirement_conflict";
      readonly source: RequirementSource;
      readonly key: string;
      /** What the pod asks for on this key (bounds as Karpenter keeps them: Gte/Lte). */
      readonly wanted: NodeRequirement;
      /** What the target allows on this key (its label as `In [value]`, `DoesNotExist` when absent, or the pool's requirement). */
      readonly offered: NodeRequirement;
    }
  /** The pod selects a custom label that no requirement or template label of the pool defines (Karpenter's rule). */
  | { readonly code: "undefined_label"; readonly source: RequirementSource; readonly key: string }
  /** Required node affinity: no term of nodeSelectorTerms matched; one entry per term with why. */
  | {
      readonly code: "node_affinity_mismatch";
      readonly terms: readonly (readonly Reason[])[];
    }
  /** A matchFields term (only metadata.name is allowed) does not match the node's name. */
  | {
      readonly code: "field_mismatch";
      readonly field: string;
      readonly wanted: NodeSelectorRequirement;
      readonly value: string;
    }
  /** Not enough of a resource: requested by the pod, and what the target has left. */
  | {
      readonly code: "insufficient_resource";
      readonly resource: string;
      readonly requested: number;
      readonly available: number;
      readonly capacity: number;
    }
  /** A host port the pod wants is already used on the node (same protocol, overlapping hostIP). */
  | {
      readonly code: "host_port_conflict";
      readonly port: number;
      readonly protocol: string;
      readonly hostIP: string;
      readonly usedBy?: string;
    }
  /** A volume's PersistentVolume or StorageClass topology excludes the target's zone (or other topology key). */
  | {
      readonly code: "volume_topology_conflict";
      readonly volume: string;
      readonly claim: string;
      readonly wanted: readonly NodeSelectorRequirement[];
    }
  /** A PersistentVolumeClaim the pod uses does not exist, or its volume does not. */
  | {
      readonly code: "volume_missing";
      readonly claim: string;
      readonly detail: "claim" | "volume" | "storage_class" | "unbound";
    }
  /** Required pod affinity: no pod matching the term in the target's topology domain. */
  | {
      readonly code: "pod_affinity_unsatisfied";
      readonly topologyKey: string;
      readonly termIndex: number;
      readonly domain: string | undefined;
    }
  /** Required pod anti-affinity: a matching pod already runs in the target's topology domain. */
  | {
      readonly code: "pod_anti_affinity_conflict";
      readonly topologyKey: string;
      readonly termIndex: number;
      readonly domain: string;
      readonly conflictingPod: string;
    }
  /** An existing pod's required anti-affinity term matches this pod in the target's domain (the symmetric rule). */
  | {
      readonly code: "existing_pod_anti_affinity";
      readonly topologyKey: string;
      readonly domain: string;
      readonly existingPod: string;
    }
  /** Placing the pod in this domain would break a DoNotSchedule topology spread constraint. */
  | {
      readonly code: "topology_spread_violation";
      readonly topologyKey: string;
      readonly domain: string | undefined;
      readonly skew: number;
      readonly maxSkew: number;
      /** The target lacks the topology key altogether. */
      readonly missingKey: boolean;
    }
  /** Launching on this pool would take a resource over the pool's limit. */
  | {
      readonly code: "pool_limit";
      readonly resource: string;
      readonly limit: number;
      readonly usage: number;
      /** What the new node would add: its full capacity of the resource (Karpenter's accounting). */
      readonly wanted: number;
      /** The instance type of that node, when one was chosen. */
      readonly instanceType?: string;
    }
  /**
   * The pool is not launched from: its node class is missing or not ready, or its status says it
   * is not Ready (Karpenter provisions only from Ready pools). `condition` is the pool condition.
   */
  | {
      readonly code: "pool_not_ready";
      readonly condition: string;
      readonly reason: string;
      readonly message: string;
    }
  /** A static NodePool (spec.replicas): its own controller keeps its nodes; none is launched for pods. */
  | { readonly code: "static_pool"; readonly replicas: number }
  /** No instance type of the pool satisfies the pod; `closest` summarises the best near-misses. */
  | {
      readonly code: "no_instance_type";
      readonly considered: number;
      readonly closest: readonly {
        readonly instanceType: string;
        readonly reasons: readonly Reason[];
      }[];
      /** Set when types fit but too few distinct values of a key remain for the pool's minValues. */
      readonly minValues?: {
        readonly key: string;
        readonly wanted: number;
        readonly available: number;
      };
    }
  /** Every compatible instance type has no available offering compatible with the requirements. */
  | { readonly code: "no_offering"; readonly instanceTypes: readonly string[] };

export type ReasonCode = Reason["code"];

/** Where a pod requirement came from, so a reason can name it. */
export type RequirementSource =
  | "pod"
  | "nodeSelector"
  | "nodeAffinity"
  | "preferredNodeAffinity"
  | "nodePool"
  | "instanceType"
  | "volume"
  | "topology";

/** A verdict: either the pod fits, or every reason it does not. */
export type Verdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reasons: readonly Reason[] };

export const fits: Verdict = { ok: true };

export function verdictOf(reasons: readonly Reason[]): Verdict {
  return reasons.length === 0 ? fits : { ok: false, reasons };
}
