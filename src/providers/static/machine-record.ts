import type { NodeClaim } from "../../api/nodeclaim.ts";
import { Labels } from "../../api/wellknown.ts";

/** Keys the static provider writes and reads. */
export const StaticKeys = {
  /** On a NodeClaim: the machine it holds, `<StaticNodeClass>/<machine>`. The only record there is. */
  machine: "carpool.dev/machine",
  /** On an instance type and its nodes: the StaticNodeClass whose machines they are. */
  nodeClass: Labels.nodeClassStatic,
} as const;

export const StaticNodeClassGroup = "carpool.dev";
export const StaticNodeClassKind = "StaticNodeClass";
/** k3s's own convention (`k3s://<node name>`); the agent registers with `--node-name <claim>`. */
export const StaticProviderIDPrefix = "k3s://";

/** A machine as a NodeClaim records it. */
export interface MachineRecord {
  readonly nodeClass: string;
  readonly machine: string;
}

export function machineRecordValue(record: MachineRecord): string {
  return `${record.nodeClass}/${record.machine}`;
}

/** The machine a claim holds, if it records one. */
export function recordedMachine(claim: NodeClaim): MachineRecord | undefined {
  const value = claim.metadata.annotations?.[StaticKeys.machine];
  const slash = value?.indexOf("/") ?? -1;
  if (value === undefined || slash <= 0 || slash === value.length - 1) return undefined;
  return { nodeClass: value.slice(0, slash), machine: value.slice(slash + 1) };
}

/**
 * Every machine some NodeClaim holds, as `<class>/<machine>`. A claim being deleted still holds
 * its machine: it is free only once the claim is gone, after it was switched off.
 */
export function heldMachines(claims: readonly NodeClaim[]): Set<string> {
  const held = new Set<string>();
  for (const claim of claims) {
    const record = recordedMachine(claim);
    if (record !== undefined) held.add(machineRecordValue(record));
  }
  return held;
}

/** The claim with its machine recorded (or, with `undefined`, the record removed). */
export function withMachineRecord(claim: NodeClaim, record: MachineRecord | undefined): NodeClaim {
  const { [StaticKeys.machine]: _removed, ...others } = claim.metadata.annotations ?? {};
  const annotations =
    record === undefined ? others : { ...others, [StaticKeys.machine]: machineRecordValue(record) };
  const { annotations: _old, ...metadata } = claim.metadata;
  return {
    ...claim,
    metadata: Object.keys(annotations).length === 0 ? metadata : { ...metadata, annotations },
  };
}

export function staticProviderID(claimName: string): string {
  return `${StaticProviderIDPrefix}${claimName}`;
}

/** The claim name behind a static provider ID, if it is one. */
export function claimNameOf(providerID: string): string | undefined {
  return providerID.startsWith(StaticProviderIDPrefix) && providerID.length > 6
    ? providerID.slice(StaticProviderIDPrefix.length)
    : undefined;
}
