import { WellKnownLabelKeys } from "../../../api/wellknown.ts";
import type { InstanceType } from "../../../catalog/instance-type.ts";
import { Requirements } from "../../../scheduling/requirements.ts";
import { typeRequirements } from "../../../solver/pool-template.ts";
import type { LaunchNodeClass } from "./node-class.ts";

/**
 * The AMI an instance type boots: the first of the class's `status.amis` whose requirements
 * (architecture, GPU, …) the type is compatible with, as Karpenter's MapToInstanceTypes gives each
 * type the first AMI that fits (the node class controller orders them newest first). Undefined
 * when none fits: the type cannot be launched with this class.
 */
export function amiFor(type: InstanceType, amis: LaunchNodeClass["amis"]): string | undefined {
  return amis.find((ami) =>
    typeRequirements(type).isCompatible(
      Requirements.from(ami.requirements ?? []),
      WellKnownLabelKeys,
    ),
  )?.id;
}
