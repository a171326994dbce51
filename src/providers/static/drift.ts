import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { StaticNodeClass } from "../../api/staticnodeclass.ts";
import { Labels } from "../../api/wellknown.ts";
import { recordedMachine } from "./machine-record.ts";

/** Why a claim's machine no longer matches its class, as a Karpenter-style drift reason. */
export const StaticDriftReasons = {
  /** The machine (or its whole StaticNodeClass) was removed. */
  machineRemoved: "MachineRemoved",
  /** The machine is now described with another instance type or zone than it launched as. */
  machineChanged: "MachineChanged",
} as const;

/**
 * Provider-side drift of a launched claim: its recorded machine is gone from `nodeClass` (which is
 * undefined when the class itself is gone), or its type or zone changed since the claim was
 * labelled with them. A claim that records no machine is not the static provider's, so no drift.
 */
export function machineDrift(
  claim: NodeClaim,
  nodeClass: StaticNodeClass | undefined,
): string | undefined {
  const record = recordedMachine(claim);
  if (record === undefined) return undefined;
  const machine = nodeClass?.spec.machines.find((m) => m.name === record.machine);
  if (machine === undefined) return StaticDriftReasons.machineRemoved;
  const labels = claim.metadata.labels ?? {};
  const launchedAs = [labels[Labels.instanceType], labels[Labels.zone]];
  const changed =
    (launchedAs[0] !== undefined && launchedAs[0] !== machine.instanceType) ||
    (launchedAs[1] !== undefined && launchedAs[1] !== machine.zone);
  return changed ? StaticDriftReasons.machineChanged : undefined;
}
