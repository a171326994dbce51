import type { CreateFleetCommandInput } from "@aws-sdk/client-ec2";
import { CapacityTypes, Labels } from "../../../api/wellknown.ts";
import type { Requirements } from "../../../scheduling/requirements.ts";
import type { OfferingChoice } from "../../offering-choice.ts";
import { type ReservationTarget, reservationOf, reservedFleetChoices } from "./reserved-choices.ts";
import { ec2Tags } from "./tags.ts";

/** Karpenter sends at most this many instance types in one CreateFleet (instance.go maxInstanceTypes). */
export const MaxInstanceTypes = 60;

export type LaunchCapacityType =
  | typeof CapacityTypes.onDemand
  | typeof CapacityTypes.spot
  | typeof CapacityTypes.reserved;

/**
 * Karpenter's getCapacityType: reserved, then spot, then on-demand — the first the claim allows
 * that some launchable offering has (a reservation is already paid for; spot, once allowed, is
 * preferred to on-demand). A reserved offering counts only with the reservation it launches into.
 */
export function chooseCapacityType(
  requirements: Requirements,
  launchable: readonly OfferingChoice[],
): LaunchCapacityType {
  const allowed = requirements.get(Labels.capacityType);
  for (const type of [CapacityTypes.reserved, CapacityTypes.spot] as const)
    if (
      (allowed === undefined || allowed.has(type)) &&
      launchable.some(
        (c) =>
          c.offering.capacityType === type &&
          (type !== CapacityTypes.reserved || reservationOf(c) !== undefined),
      )
    )
      return type;
  return CapacityTypes.onDemand;
}

/**
 * The offerings of that capacity type, cheapest first, of the cheapest MaxInstanceTypes types
 * (Karpenter truncates the type list by price before building overrides); reserved ones narrowed
 * to what one fleet can take (reserved-choices.ts).
 */
export function fleetChoices(
  launchable: readonly OfferingChoice[],
  capacityType: LaunchCapacityType,
): OfferingChoice[] {
  const ofType =
    capacityType === CapacityTypes.reserved
      ? reservedFleetChoices(launchable)
      : launchable.filter((c) => c.offering.capacityType === capacityType);
  const types = [...new Set(ofType.map((c) => c.instanceType.name))].slice(0, MaxInstanceTypes);
  const kept = new Set(types);
  return ofType.filter((c) => kept.has(c.instanceType.name));
}

/** One launch template and the offerings launched with it (those whose type boots its AMI). */
export interface TemplateChoices {
  readonly launchTemplateName: string;
  readonly imageId: string;
  readonly choices: readonly OfferingChoice[];
  /** For a reserved launch: the reservation the template targets (one template per reservation). */
  readonly reservation?: ReservationTarget;
}

export interface FleetRequestInput {
  readonly templates: readonly TemplateChoices[];
  /** The subnet to launch into in each zone (zone → subnet ID). */
  readonly subnetByZone: ReadonlyMap<string, string>;
  readonly capacityType: LaunchCapacityType;
  /** The instance's tags (tags.ts instanceTags): on the instance, its volumes and the fleet. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * An instant CreateFleet for one instance (Karpenter's launchInstance): one launch template config
 * per template, with an override per offering (instance type × the subnet of its zone); lowest
 * price on demand, price-capacity-optimized for spot. A reserved launch goes as on-demand into the
 * templates' reservations, or with the capacity-block market type for a capacity block (which
 * takes no on-demand options), as Karpenter's CreateFleetInputBuilder.
 */
export function fleetRequest(input: FleetRequestInput): CreateFleetCommandInput {
  const tags = ec2Tags(input.tags);
  const block =
    input.capacityType === CapacityTypes.reserved &&
    input.templates.some((t) => t.reservation?.reservationType === "capacity-block");
  return {
    Type: "instant",
    LaunchTemplateConfigs: input.templates
      .map((template) => ({
        LaunchTemplateSpecification: {
          LaunchTemplateName: template.launchTemplateName,
          Version: "$Latest",
        },
        Overrides: template.choices.flatMap(({ instanceType, offering }) => {
          const subnet = input.subnetByZone.get(offering.zone);
          return subnet === undefined
            ? []
            : [
                {
                  InstanceType: instanceType.name as never,
                  SubnetId: subnet,
                  ImageId: template.imageId,
                  // Redundant with the subnet, but it lets a capacity error name its zone.
                  AvailabilityZone: offering.zone,
                },
              ];
        }),
      }))
      .filter((config) => config.Overrides.length > 0),
    TargetCapacitySpecification: {
      TotalTargetCapacity: 1,
      DefaultTargetCapacityType: block
        ? "capacity-block"
        : input.capacityType === CapacityTypes.spot
          ? "spot"
          : "on-demand",
    },
    ...(input.capacityType === CapacityTypes.spot
      ? { SpotOptions: { AllocationStrategy: "price-capacity-optimized" } }
      : block
        ? {}
        : { OnDemandOptions: { AllocationStrategy: "lowest-price" } }),
    TagSpecifications: [
      { ResourceType: "instance", Tags: tags },
      { ResourceType: "volume", Tags: tags },
      { ResourceType: "fleet", Tags: tags },
    ],
  };
}
