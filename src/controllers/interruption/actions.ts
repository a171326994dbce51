import type { InterruptionKind } from "../../ports/interruption-queue.ts";

/** What the interruption controller does for a notice of one kind. */
export interface InterruptionAction {
  /** The Event recorded on the NodeClaim, under Karpenter's reason. */
  readonly event: string;
  /** Cordon the node and delete the claim, so termination drains it before the cloud acts. */
  readonly drain: boolean;
  /** Launch replacements for the node's pods at once, before it is drained. */
  readonly preProvision: boolean;
  /** Keep the claim's spot offering out of use for a while, as for insufficient capacity. */
  readonly offeringUnavailable: boolean;
}

/**
 * Karpenter's AWS interruption controller (`actionForMessage`, `notifyForMessage`): a spot
 * interruption, a scheduled change and an instance stopping or terminating cordon and drain; a
 * rebalance recommendation is only an Event. Only a spot interruption marks its offering
 * unavailable. Replacements are launched ahead where the instance is still running for a while.
 */
export const interruptionActions: Readonly<Record<InterruptionKind, InterruptionAction>> = {
  SpotInterruption: {
    event: "SpotInterrupted",
    drain: true,
    preProvision: true,
    offeringUnavailable: true,
  },
  ScheduledChange: {
    event: "InstanceUnhealthy",
    drain: true,
    preProvision: true,
    offeringUnavailable: false,
  },
  InstanceStopping: {
    event: "InstanceStopping",
    drain: true,
    preProvision: false,
    offeringUnavailable: false,
  },
  InstanceTerminating: {
    event: "InstanceTerminating",
    drain: true,
    preProvision: false,
    offeringUnavailable: false,
  },
  RebalanceRecommendation: {
    event: "SpotRebalanceRecommendation",
    drain: false,
    preProvision: false,
    offeringUnavailable: false,
  },
};
