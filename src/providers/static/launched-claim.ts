import type { NodeClaim } from "../../api/nodeclaim.ts";
import { formatResources } from "../../resources/resource-list.ts";
import { Requirements } from "../../scheduling/requirements.ts";
import { type OfferingChoice, offeringLabels } from "../offering-choice.ts";
import { staticProviderID } from "./machine-record.ts";

/**
 * The claim as launched on a machine: its labels plus its single-value requirements, the type's
 * labels (the machine's own, the class) and where it runs; `k3s://<claim>` as provider ID, the
 * Node name the k3s agent registers with; capacity and allocatable from the type.
 */
export function launchedClaim(claim: NodeClaim, choice: OfferingChoice): NodeClaim {
  return {
    ...claim,
    metadata: {
      ...claim.metadata,
      labels: {
        ...claim.metadata.labels,
        ...Requirements.from(claim.spec.requirements).labels(),
        ...offeringLabels(choice),
      },
    },
    status: {
      ...claim.status,
      providerID: staticProviderID(claim.metadata.name ?? ""),
      capacity: formatResources(choice.instanceType.capacity),
      allocatable: formatResources(choice.instanceType.allocatable),
    },
  };
}

/** A claim holding a machine, as the instance `get` and `list` report. */
export function instanceClaim(claim: NodeClaim): NodeClaim {
  return {
    ...claim,
    status: { ...claim.status, providerID: staticProviderID(claim.metadata.name ?? "") },
  };
}
