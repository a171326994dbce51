import { Labels } from "../api/wellknown.ts";
import { pricePartsOf } from "../catalog/instance-type.ts";
import { addResources, formatResources } from "../resources/resource-list.ts";
import { launchOffering } from "./launch-offering.ts";
import type { NewClaim } from "./new-claim.ts";
import type { PlannedNodeClaim } from "./plan.ts";

/**
 * What the plan says of a claim: launched on the offering Karpenter would launch it on (capacity
 * type by launch order, then cheapest), with every compatible type as an option (cheapest first)
 * and the complete label set the node will carry.
 */
export function plannedClaim(claim: NewClaim): PlannedNodeClaim {
  const launch = launchOffering(claim);
  if (launch === undefined) throw new Error(`claim ${claim.name} has no offering left`);
  const { option: chosen, offering } = launch;
  const { [Labels.hostname]: _hostname, ...requirementLabels } = claim.requirements.labels();
  const labels: Record<string, string> = {
    ...chosen.type.labels,
    ...requirementLabels,
    ...claim.pool.labels,
    [Labels.zone]: offering.zone,
    [Labels.capacityType]: offering.capacityType,
  };
  return {
    name: claim.name,
    nodePool: claim.pool.name,
    instanceType: chosen.type.name,
    instanceTypeOptions: claim.options.map((option) => option.type.name),
    zone: offering.zone,
    capacityType: offering.capacityType,
    price: pricePartsOf(offering).instance,
    totalPrice: offering.price,
    priceParts: pricePartsOf(offering),
    ...(offering.priceStandIn === true && { priceStandIn: true }),
    labels: Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))),
    taints: claim.pool.taints,
    startupTaints: claim.pool.startupTaints,
    pods: claim.pods.map((pod) => pod.key).sort(),
    requests: formatResources(addResources(claim.requests, claim.pool.daemonOverhead)),
  };
}
