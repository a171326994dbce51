import type { DisruptionReason } from "../api/nodepool.ts";
import type { Reason } from "../scheduling/reasons.ts";

/** Why the API server would refuse an eviction (see EvictionBudgets). */
export type EvictionRefusal =
  | { readonly code: "pdb_multiple"; readonly pod: string; readonly budgets: readonly string[] }
  | { readonly code: "pdb_exhausted"; readonly budget: string; readonly pod: string }
  | {
      readonly code: "pdb_insufficient";
      readonly budget: string;
      readonly allowed: number;
      readonly needed: number;
    };

/**
 * Why a node that disruption could consider is left alone. Structured, like scheduling reasons;
 * `src/render/disruption.ts` turns them into words.
 */
export type BlockReason =
  | { readonly code: "node_do_not_disrupt"; readonly object: "Node" | "NodeClaim" }
  /** `until`: when a duration's protection runs out (epoch ms); absent for "true" or no start time. */
  | { readonly code: "pod_do_not_disrupt"; readonly pod: string; readonly until?: number }
  | { readonly code: "eviction"; readonly refusal: EvictionRefusal }
  | { readonly code: "not_initialized" }
  | { readonly code: "when_empty"; readonly pods: number }
  | { readonly code: "consolidate_never" }
  /** The node belongs to a static NodePool (spec.replicas): Karpenter never consolidates those. */
  | { readonly code: "static_pool"; readonly replicas: number }
  | { readonly code: "consolidate_after"; readonly remainingMs: number; readonly after: string }
  | {
      readonly code: "budget";
      readonly reason: DisruptionReason;
      readonly nodePool: string;
      readonly allowed: number;
    }
  | { readonly code: "price_unknown"; readonly instanceType: string | undefined }
  | { readonly code: "nowhere_to_go"; readonly pod: string; readonly reasons: readonly Reason[] }
  | { readonly code: "not_cheaper"; readonly current: number; readonly cheapest: number }
  | { readonly code: "multiple_replacements"; readonly count: number }
  | { readonly code: "spot_to_spot_disabled" }
  /** consolidationPolicy Balanced: the move saves too little of the pool's cost for its disruption. */
  | {
      readonly code: "balanced_rejected";
      readonly score: number;
      readonly threshold: number;
      readonly savingsFraction: number;
      readonly disruptionFraction: number;
      /** The best case, deleting the node outright, was already below the threshold. */
      readonly deleteOnly: boolean;
    }
  | {
      readonly code: "spot_to_spot_flexibility";
      readonly cheaper: number;
      readonly needed: number;
    };

/** Which part of a node no longer matches its NodePool or node class. */
export type DriftReason =
  /** A field of the NodePool's template differs from what the NodeClaim was launched with. */
  | { readonly code: "template_field"; readonly field: string }
  /** The template hash recorded on the NodeClaim differs and no single field shows why (e.g. annotations). */
  | { readonly code: "template_hash"; readonly recorded: string; readonly current: string }
  /** A node label no longer satisfies the NodePool's requirements. */
  | { readonly code: "requirements"; readonly reasons: readonly Reason[] }
  | { readonly code: "node_class_hash"; readonly nodeClass: string }
  | { readonly code: "ami"; readonly nodeClass: string; readonly imageID: string }
  /** The cloud provider says the instance no longer matches its node class (CloudProvider.isDrifted). */
  | { readonly code: "provider"; readonly reason: string };

/** Why a command was chosen, for people reading the plan. */
export type CommandDetail =
  | { readonly code: "empty" }
  | { readonly code: "drifted"; readonly drift: readonly DriftReason[] }
  | {
      readonly code: "expired";
      readonly expireAfter: string;
      readonly overdueMs: number;
      /** Pods whose eviction waits (do-not-disrupt, PodDisruptionBudget) until terminationGracePeriod. */
      readonly waiting: readonly string[];
    }
  | { readonly code: "underutilized"; readonly moved: number; readonly replacements: number };
