import type { Taint } from "../api/pod.ts";
import type { PriceParts } from "../catalog/instance-type.ts";
import type { Reason } from "../scheduling/reasons.ts";

/** A node carpool would launch: the `nodeClaims[]` entries of `carpool plan -o json`. */
export interface PlannedNodeClaim {
  readonly name: string;
  readonly nodePool: string;
  readonly instanceType: string;
  /** Every compatible instance type, cheapest first. */
  readonly instanceTypeOptions: readonly string[];
  readonly zone: string;
  readonly capacityType: string;
  /** The instance's hourly price, as the catalog lists it (the contract's `price`). */
  readonly price: number;
  /** What the node costs per hour: the instance plus its node class's volumes and public IPv4. */
  readonly totalPrice: number;
  readonly priceParts: PriceParts;
  /**
   * Present (true) where the catalog knows no price for this offering and `price` is a stand-in
   * for it — spot at the on-demand price, an upper bound — not a figure to quote.
   */
  readonly priceStandIn?: true;
  /** The complete label set the node will carry. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly startupTaints: readonly Taint[];
  /** `namespace/name` of the pending pods placed on it. */
  readonly pods: readonly string[];
  /** Requests of those pods plus the daemonset pods that will run there. */
  readonly requests: Readonly<Record<string, string>>;
}

/** Where a reason applies: `NodePool/NAME`, `Node/NAME` or `NodeClaim/NAME`. */
export interface TargetReasons {
  readonly target: string;
  readonly reasons: readonly Reason[];
}

export interface UnschedulablePod {
  readonly pod: string;
  readonly targets: readonly TargetReasons[];
}

/** The solver's result, before rendering. */
export interface SolverResult {
  readonly nodeClaims: readonly PlannedNodeClaim[];
  /** Pending pods placed on existing nodes or in-flight NodeClaims, by target name. */
  readonly existingNodes: readonly { readonly name: string; readonly pods: readonly string[] }[];
  readonly unschedulable: readonly UnschedulablePod[];
  readonly pendingPods: number;
}

/** `carpool plan -o json`, as fixed by the contract (apiVersion carpool.dev/v1alpha1). */
export interface Plan {
  readonly apiVersion: "carpool.dev/v1alpha1";
  readonly kind: "Plan";
  readonly nodeClaims: readonly PlannedNodeClaim[];
  readonly existingNodes: readonly { readonly name: string; readonly pods: readonly string[] }[];
  readonly unschedulable: readonly {
    readonly pod: string;
    readonly reasons: readonly { readonly target: string; readonly reason: string }[];
  }[];
  readonly summary: {
    readonly pods: number;
    readonly onExistingNodes: number;
    readonly onNewNodes: number;
    readonly unschedulable: number;
    readonly newNodes: number;
    /** The new nodes' instance prices, summed. */
    readonly hourlyCost: number;
    /** What the new nodes cost per hour, instances and extras (volumes, public IPv4). */
    readonly hourlyTotalCost: number;
    /** Present where some new nodes are priced by a stand-in (`priceStandIn`): how many. */
    readonly standInPrices?: number;
  };
}
