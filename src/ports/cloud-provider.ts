import type { NodeClaim } from "../api/nodeclaim.ts";
import type { NodeClassReference } from "../api/nodepool.ts";
import type { InstanceType } from "../catalog/instance-type.ts";

/**
 * Where machines come from (Karpenter's cloudprovider.CloudProvider, kept as small): launch a
 * NodeClaim's instance, delete it, look instances up, list what can be launched. The simulated
 * cloud, AWS (EC2) and static inventories implement it; controllers know nothing else.
 */
export interface CloudProvider {
  /**
   * Launches the cheapest available offering that the claim's requirements allow and returns the
   * claim with `status.providerID`, capacity and allocatable, and labels for the instance type,
   * zone and capacity type it got. Throws InsufficientCapacityError when no offering could be had.
   */
  create(nodeClaim: NodeClaim): Promise<NodeClaim>;
  /** Terminates the instance; throws NodeClaimNotFoundError when it is already gone. */
  delete(nodeClaim: NodeClaim): Promise<void>;
  /** The instance behind a provider ID, as a NodeClaim; throws NodeClaimNotFoundError. */
  get(providerID: string): Promise<NodeClaim>;
  /** Every instance the provider runs for this cluster. */
  list(): Promise<NodeClaim[]>;
  /** What can be launched, with prices and availability as of now. */
  instanceTypes(): Promise<readonly InstanceType[]>;
  /** Why the instance no longer matches its node class, if it does not (provider-side drift). */
  isDrifted(nodeClaim: NodeClaim): Promise<string | undefined>;
}

/** No offering the request allowed could be launched; these offerings were tried. */
export class InsufficientCapacityError extends Error {
  readonly offerings: readonly {
    readonly instanceType: string;
    readonly zone: string;
    readonly capacityType: string;
  }[];
  constructor(message: string, offerings: InsufficientCapacityError["offerings"]) {
    super(message);
    this.name = "InsufficientCapacityError";
    this.offerings = offerings;
  }
}

export class NodeClaimNotFoundError extends Error {
  constructor(providerID: string) {
    super(`no instance ${providerID}`);
    this.name = "NodeClaimNotFoundError";
  }
}

/**
 * The NodeClaim's node class cannot launch anything yet: it does not exist, is not Ready or is
 * being deleted (Karpenter's NodeClassNotReadyError). Not a capacity problem: the offerings stay
 * available, and the claim waits for its class.
 */
export class NodeClassNotReadyError extends Error {
  readonly nodeClassRef: NodeClassReference;
  constructor(nodeClassRef: NodeClassReference, reason: string) {
    super(`${nodeClassRef.kind}/${nodeClassRef.name} is not ready: ${reason}`);
    this.name = "NodeClassNotReadyError";
    this.nodeClassRef = nodeClassRef;
  }
}
