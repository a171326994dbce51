import type { CreateFleetCommandInput } from "@aws-sdk/client-ec2";
import { CapacityTypes, Labels } from "../../../api/wellknown.ts";
import type { Requirements } from "../../../scheduling/requirements.ts";
import type { OfferingChoice } from "../../offering-choice.ts";
import { ec2Tags } from "./tags.ts";

/** Karpenter sends at most this many instance types in one CreateFleet (instance.go maxInstanceTypes). */
export const MaxInstanceTypes = 60;

export type LaunchCapacityType = typeof CapacityTypes.onDemand | typeof CapacityTypes.spot;

/**
 * Spot when the claim allows it and some allowed offering is spot and available, else on-demand:
 * Karpenter's getCapacityType (spot must be asked for; when allowed, it is preferred).
 */
export function chooseCapacityType(
  requirements: Requirements,
  launchable: readonly OfferingChoice[],
): LaunchCapacityType {
  const allowed = requirements.get(Labels.capacityType);
  const spotAllowed = allowed === undefined || allowed.has(CapacityTypes.spot);
  return spotAllowed && launchable.some((c) => c.offering.capacityType === CapacityTypes.spot)
    ? CapacityTypes.spot
    : CapacityTypes.onDemand;
}

/**
 * The offerings of that capacity type, cheapest first, of the cheapest MaxInstanceTypes types
 * (Karpenter truncates the type list by price before building overrides).
 */
export function fleetChoices(
  launchable: readonly OfferingChoice[],
  capacityType: LaunchCapacityType,
): OfferingChoice[] {
  const ofType = launchable.filter((c) => c.offering.capacityType === capacityType);
  const types = [...new Set(ofType.map((c) => c.instanceType.name))].slice(0, MaxInstanceTypes);
  const kept = new Set(types);
  return ofType.filter((c) => kept.has(c.instanceType.name));
}

/** One launch template and the offerings launched with it (those whose type boots its AMI). */
export interface TemplateChoices {
  readonly launchTemplateName: string;
  readonly imageId: string;
  readonly choices: readonly OfferingChoice[];
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
 * price on demand, price-capacity-optimized for spot.
 */
export function fleetRequest(input: FleetRequestInput): CreateFleetCommandInput {
  const tags = ec2Tags(input.tags);
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
      DefaultTargetCapacityType: input.capacityType,
    },
    ...(input.capacityType === CapacityTypes.spot
      ? { SpotOptions: { AllocationStrategy: "price-capacity-optimized" } }
      : { OnDemandOptions: { AllocationStrategy: "lowest-price" } }),
    TagSpecifications: [
      { ResourceType: "instance", Tags: tags },
      { ResourceType: "volume", Tags: tags },
      { ResourceType: "fleet", Tags: tags },
    ],
  };
}
