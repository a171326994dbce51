import type { FieldError } from "../../api/field-errors.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import { Labels } from "../../api/wellknown.ts";
import type { InstanceType } from "../../catalog/instance-type.ts";
import { formatResources, parseResources, type Resources } from "../../resources/resource-list.ts";
import { Requirements } from "../../scheduling/requirements.ts";
import { type OfferingChoice, offeringLabels } from "../offering-choice.ts";
import { execNodeClassRef } from "./node-class.ts";
import type { Instance } from "./protocol.ts";

/** Problems with an instance that its schema cannot see: quantities that do not parse. */
export function instanceErrors(instance: Instance, path: string): FieldError[] {
  const parsed = parseResources(instance.capacity);
  return parsed.ok
    ? []
    : parsed.errors.map((e) => ({ path: `${path}.capacity.${e.resource}`, message: e.message }));
}

/** The offering sent that a created instance is on; undefined when the user launched another. */
export function offeringOf(
  instance: Pick<Instance, "instanceType" | "zone" | "capacityType">,
  sent: readonly OfferingChoice[],
): OfferingChoice | undefined {
  return sent.find(
    ({ instanceType, offering }) =>
      instanceType.name === instance.instanceType &&
      offering.zone === instance.zone &&
      offering.capacityType === instance.capacityType,
  );
}

/**
 * The claim as launched: the claim's labels, its single-value requirements and the offering's
 * labels (the type's, instance type, zone, capacity type), as the kwok provider labels its nodes;
 * the instance's provider ID; capacity and allocatable from the instance type.
 */
export function launchedClaim(
  nodeClaim: NodeClaim,
  instance: Instance,
  choice: OfferingChoice,
): NodeClaim {
  return {
    ...nodeClaim,
    metadata: {
      ...nodeClaim.metadata,
      labels: {
        ...nodeClaim.metadata.labels,
        ...Requirements.from(nodeClaim.spec.requirements).labels(),
        ...offeringLabels(choice),
      },
    },
    status: {
      ...nodeClaim.status,
      providerID: instance.providerID,
      ...resourcesOf(instance, choice.instanceType),
    },
  };
}

/** An instance carpool tagged, as the NodeClaim the CloudProvider reports (get, list). */
export function instanceClaim(
  nodeClass: string,
  instance: Instance & { readonly nodeClaim: string },
  instanceTypes: readonly InstanceType[],
): NodeClaim {
  const type = instanceTypes.find((t) => t.name === instance.instanceType);
  const where = {
    [Labels.instanceType]: instance.instanceType,
    [Labels.zone]: instance.zone,
    [Labels.capacityType]: instance.capacityType,
  };
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: { name: instance.nodeClaim, labels: { ...type?.labels, ...where } },
    spec: {
      nodeClassRef: execNodeClassRef(nodeClass),
      requirements: Requirements.fromLabels(where).toNodeSelectorRequirements(),
    },
    status: { providerID: instance.providerID, ...resourcesOf(instance, type) },
  };
}

/**
 * Capacity: the instance type's, each resource the instance reports replacing it (the machine is
 * what it is: a VM may boot with a little less memory than its flavour says). Allocatable: that
 * less the type's overhead. Neither when carpool knows neither.
 */
function resourcesOf(
  instance: Instance,
  type: InstanceType | undefined,
): { capacity?: Record<string, string>; allocatable?: Record<string, string> } {
  const parsed = parseResources(instance.capacity);
  const reported = parsed.ok ? parsed.resources : {};
  if (type === undefined && Object.keys(reported).length === 0) return {};
  const capacity: Resources = { ...type?.capacity, ...reported };
  const overhead = type?.overhead ?? {};
  const allocatable = Object.fromEntries(
    Object.entries(capacity).map(([r, amount]) => [r, Math.max(0, amount - (overhead[r] ?? 0))]),
  );
  return { capacity: formatResources(capacity), allocatable: formatResources(allocatable) };
}
