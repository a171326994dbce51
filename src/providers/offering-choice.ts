import type { NodeClaim } from "../api/nodeclaim.ts";
import { Labels } from "../api/wellknown.ts";
import { declaredLabelKeys } from "../catalog/catalog-label-keys.ts";
import {
  compareText,
  type InstanceType,
  launchRank,
  type Offering,
} from "../catalog/instance-type.ts";
import { InsufficientCapacityError } from "../ports/cloud-provider.ts";
import type { Requirements } from "../scheduling/requirements.ts";
import { offeringAllowed, typeRequirements } from "../solver/pool-template.ts";

/** One way to launch a NodeClaim: an instance type and one of its offerings. */
export interface OfferingChoice {
  readonly instanceType: InstanceType;
  readonly offering: Offering;
}

/**
 * Every offering a NodeClaim's requirements allow, in the order a provider tries them: by capacity
 * type in Karpenter's launch order (reserved, spot, on-demand: the AWS provider's
 * `getCapacityType` buys spot whenever the claim allows it and spot is offered, whatever the
 * prices), then cheapest first (ties by type name, then the type's own offering order: zone), as
 * Karpenter's providers launch the cheapest compatible offering of that capacity type. The type's
 * labels must intersect the requirements on every key both define (a key the catalog declares and
 * the type lacks is DoesNotExist; a custom key only the claim names is its pool's) and the offering's
 * zone and capacity type allowed. Availability is the caller's to judge: whether an offering can
 * be had now is what distinguishes one provider from another.
 */
export function allowedOfferings(
  instanceTypes: readonly InstanceType[],
  requirements: Requirements,
): OfferingChoice[] {
  const declared = declaredLabelKeys(instanceTypes);
  return (
    instanceTypes
      // Karpenter's providers: `claim.Compatible(type, AllowUndefinedWellKnownLabels)`, so only the
      // keys both define must intersect; a claim's custom keys (its pool's labels) are no type's.
      .filter(
        (type) =>
          requirements.intersects(typeRequirements(type, declared), "instanceType").length === 0,
      )
      .flatMap((instanceType) =>
        instanceType.offerings
          .filter((offering) => offeringAllowed(offering, requirements))
          .map((offering) => ({ instanceType, offering })),
      )
      .sort(
        (a, b) =>
          launchRank(a.offering.capacityType) - launchRank(b.offering.capacityType) ||
          compareText(a.offering.capacityType, b.offering.capacityType) ||
          a.offering.price - b.offering.price ||
          compareText(a.instanceType.name, b.instanceType.name),
      )
  );
}

/** The labels a node launched on this offering carries: its type's, plus where and how bought. */
export function offeringLabels({ instanceType, offering }: OfferingChoice): Record<string, string> {
  return {
    ...instanceType.labels,
    [Labels.instanceType]: instanceType.name,
    [Labels.zone]: offering.zone,
    [Labels.capacityType]: offering.capacityType,
  };
}

/** The error for a claim none of whose offerings could be had, naming those tried. */
export function insufficientCapacity(
  nodeClaim: NodeClaim,
  tried: readonly OfferingChoice[],
): InsufficientCapacityError {
  return new InsufficientCapacityError(
    `no capacity for ${nodeClaim.metadata.name}`,
    tried.map(({ instanceType, offering }) => ({
      instanceType: instanceType.name,
      zone: offering.zone,
      capacityType: offering.capacityType,
    })),
  );
}
