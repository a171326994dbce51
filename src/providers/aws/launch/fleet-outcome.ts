import type { CreateFleetCommandOutput, CreateFleetError } from "@aws-sdk/client-ec2";
import { InsufficientCapacityError } from "../../../ports/cloud-provider.ts";
import { LaunchFailedError } from "./errors.ts";
import type { LaunchCapacityType } from "./fleet-request.ts";

/**
 * CreateFleet error codes that mean capacity cannot be had now, not that the request is wrong
 * (karpenter-provider-aws pkg/errors unfulfillableCapacityErrorCodes): their offerings are
 * reported unavailable and the next cheapest is tried.
 */
export const CapacityErrorCodes: ReadonlySet<string> = new Set([
  "InsufficientInstanceCapacity",
  "MaxSpotInstanceCountExceeded",
  "VcpuLimitExceeded",
  "UnfulfillableCapacity",
  "Unsupported",
  "InsufficientFreeAddressesInSubnet",
  "ReservationCapacityExceeded",
]);

/** What EC2 launched: the instance and the override it came from. */
export interface FleetInstance {
  readonly instanceId: string;
  readonly instanceType: string;
  readonly subnetId: string | undefined;
  readonly zone: string | undefined;
  readonly capacityType: LaunchCapacityType;
}

export type FleetOutcome =
  | {
      readonly kind: "launched";
      readonly instance: FleetInstance;
      /** Offerings that failed for capacity on the way (EC2 moved on to another). */
      readonly unavailable: InsufficientCapacityError["offerings"];
    }
  | { readonly kind: "failed"; readonly error: InsufficientCapacityError | LaunchFailedError };

/**
 * Reads an instant fleet's answer: an instance, or why none. When every error is a capacity one,
 * InsufficientCapacityError naming each failed (type, zone, capacity type) — what the lifecycle
 * controller marks unavailable; otherwise LaunchFailedError with the first other code (Karpenter's
 * combineFleetErrors: ICE only when all errors are ICE).
 */
export function fleetOutcome(
  claimName: string,
  output: Pick<CreateFleetCommandOutput, "Instances" | "Errors">,
  capacityType: LaunchCapacityType,
): FleetOutcome {
  const errors = output.Errors ?? [];
  const unavailable = capacityOfferings(errors, capacityType);
  const launched = output.Instances?.find((i) => (i.InstanceIds ?? []).length > 0);
  const id = launched?.InstanceIds?.[0];
  if (launched !== undefined && id !== undefined) {
    const override = launched.LaunchTemplateAndOverrides?.Overrides;
    return {
      kind: "launched",
      instance: {
        instanceId: id,
        instanceType: launched.InstanceType ?? override?.InstanceType ?? "",
        subnetId: override?.SubnetId,
        zone: override?.AvailabilityZone,
        capacityType: launched.Lifecycle === "spot" ? "spot" : capacityType,
      },
      unavailable,
    };
  }
  const other = errors.find((e) => !CapacityErrorCodes.has(e.ErrorCode ?? ""));
  if (other !== undefined || errors.length === 0) {
    const code = other?.ErrorCode ?? "NoInstanceLaunched";
    return {
      kind: "failed",
      error: new LaunchFailedError(
        code,
        `CreateFleet launched nothing for ${claimName}: ${describe(errors)}`,
      ),
    };
  }
  return {
    kind: "failed",
    error: new InsufficientCapacityError(
      `no capacity for ${claimName}: ${describe(errors)}`,
      unavailable,
    ),
  };
}

function capacityOfferings(
  errors: readonly CreateFleetError[],
  capacityType: LaunchCapacityType,
): InsufficientCapacityError["offerings"] {
  const seen = new Map<string, InsufficientCapacityError["offerings"][number]>();
  for (const error of errors) {
    if (!CapacityErrorCodes.has(error.ErrorCode ?? "")) continue;
    const override = error.LaunchTemplateAndOverrides?.Overrides;
    const instanceType = override?.InstanceType;
    const zone = override?.AvailabilityZone;
    if (instanceType === undefined || zone === undefined) continue;
    seen.set(`${instanceType}/${zone}`, { instanceType, zone, capacityType });
  }
  return [...seen.values()];
}

/** `Code: message` for each distinct error, as EC2 wrote them (they never carry user data). */
function describe(errors: readonly CreateFleetError[]): string {
  if (errors.length === 0) return "no instance and no error";
  const unique = [...new Set(errors.map((e) => `${e.ErrorCode}: ${e.ErrorMessage ?? ""}`))];
  return unique.join("; ");
}
