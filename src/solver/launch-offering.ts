import {
  compareLaunchOrder,
  compareText,
  launchRank,
  type Offering,
} from "../catalog/instance-type.ts";
import type { NewClaim } from "./new-claim.ts";
import { type CandidateType, offeringAllowed } from "./pool-template.ts";

/** The instance type and offering a claim would be launched on first. */
export interface LaunchOffering {
  readonly option: CandidateType;
  readonly offering: Offering;
}

/**
 * The offering Karpenter would launch a claim on: the capacity type first, in its launch order
 * (reserved, spot, on-demand — kubernetes-sigs/karpenter `Offerings.WorstLaunchPrice`, the AWS
 * provider's `getCapacityType`: spot whenever the claim allows it and some type offers it, whatever
 * the prices), then the cheapest allowed offering of that capacity type over all the claim's
 * options, ties to the earlier option (options come cheapest first).
 */
export function launchOffering(
  claim: NewClaim,
  exhausted: (type: string, offering: Offering) => boolean = () => false,
): LaunchOffering | undefined {
  let best: LaunchOffering | undefined;
  for (const option of claim.options) {
    const offering = firstInLaunchOrder(option, claim, exhausted);
    if (offering === undefined) continue;
    if (best === undefined || launchesBefore(offering, best.offering)) best = { option, offering };
  }
  return best;
}

/** An option's allowed offering that launches first: its best capacity type's cheapest. */
function firstInLaunchOrder(
  option: CandidateType,
  claim: NewClaim,
  exhausted: (type: string, offering: Offering) => boolean,
): Offering | undefined {
  let first: Offering | undefined;
  for (const offering of option.offerings) {
    if (!offeringAllowed(offering, claim.requirements)) continue;
    if (exhausted(option.type.name, offering)) continue;
    if (first === undefined || compareLaunchOrder(offering, first) < 0) first = offering;
  }
  return first;
}

/** Across options only capacity type and price count: an equal price keeps the earlier option. */
function launchesBefore(a: Offering, b: Offering): boolean {
  const order =
    launchRank(a.capacityType) - launchRank(b.capacityType) ||
    compareText(a.capacityType, b.capacityType);
  return order !== 0 ? order < 0 : a.price < b.price;
}
