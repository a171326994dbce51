/** `carpool simulate -o json`, as fixed by the contract (../shared/contracts/simulate.md). */
export interface SimulationResult {
  readonly apiVersion: "carpool.dev/v1alpha1";
  readonly kind: "SimulationResult";
  readonly scenario: string;
  readonly seed: number;
  readonly summary: SimulationSummary;
  /** One row per virtual minute. */
  readonly samples: readonly Sample[];
  /** Every decision, in order. */
  readonly events: readonly SimulationEvent[];
  readonly violations: readonly Violation[];
}

export interface SimulationSummary {
  /** Go-style duration, e.g. `6h0m0s`. */
  readonly duration: string;
  readonly pods: {
    readonly created: number;
    readonly maxPending: number;
    /**
     * Over every pod that was pending: the time until it was bound, or until it was deleted
     * unbound, or until the run ended.
     */
    readonly pendingSecondsP50: number;
    readonly pendingSecondsP99: number;
    /** Pods that never ran: still pending at the end, or deleted while pending (scaled away). */
    readonly neverScheduled: number;
  };
  readonly nodes: {
    readonly launched: number;
    readonly terminated: number;
    readonly peak: number;
    readonly final: number;
  };
  /** USD: the whole run, and per hour at the end. */
  readonly cost: { readonly total: number; readonly finalHourly: number };
  readonly disruptions: {
    readonly Empty: number;
    readonly Underutilized: number;
    readonly Drifted: number;
    readonly Expired: number;
    readonly Interrupted: number;
  };
}

export interface Sample {
  /** Virtual time since the start, Go-style (`90s`, `1h30m0s`). */
  readonly t: string;
  /** The same, in seconds, for charts. */
  readonly seconds: number;
  readonly nodes: number;
  readonly pendingPods: number;
  readonly runningPods: number;
  readonly hourlyCost: number;
  /** Nodes per NodePool. */
  readonly nodesByPool: Readonly<Record<string, number>>;
  /** Nodes per capacity type (on-demand, spot, ...). */
  readonly nodesByCapacityType: Readonly<Record<string, number>>;
}

/**
 * One event. The shape is unchanged; what its fields hold (for the report, engineer 4):
 * - `object` is `Kind/namespace/name` for namespaced kinds (`Pod/shop/web-00001`,
 *   `Deployment/shop/web`; `Applied`, `Scaled`, `Deleted` and `ScenarioError` now name the namespace
 *   too) and `Kind/name` otherwise (`NodeClaim/spot-0000u`, `Node/node-0031`, `Instance/<providerID>`);
 *   a disruption command lists its nodes comma-separated (`Node/a,Node/b`).
 * - `kind: "Scheduled"` is new: the stand-in for kube-scheduler bound `object` (a Pod), message
 *   `assigned to Node/<name>`, or `assigned to Node/<name>, in place of evicted Pod/<ns>/<name>`
 *   for the new pod an owner made for an evicted one (an evicted pod is never bound again under
 *   its name, but for a StatefulSet's; evicted-successors.ts pairs them one for one per owner).
 * - `message` says its reason once: `Underutilized: 3 pods fit…`, not `Underutilized: underutilized: …`.
 */
export interface SimulationEvent {
  readonly t: string;
  readonly kind: string;
  readonly object: string;
  readonly message: string;
}

export interface Violation {
  readonly t: string;
  /** A stable code: untolerated_taint, node_selector, over_allocatable, pool_limit, protected_pod_disrupted, pdb_exceeded, orphan_instance, pending_too_long. */
  readonly invariant: string;
  readonly object: string;
  readonly message: string;
}
