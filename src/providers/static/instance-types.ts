import type { StaticMachine, StaticNodeClass } from "../../api/staticnodeclass.ts";
import { CapacityTypes, Labels } from "../../api/wellknown.ts";
import {
  compareOfferings,
  compareText,
  type InstanceType,
  type Offering,
} from "../../catalog/instance-type.ts";
import {
  parseResources,
  type Resources,
  subtractResources,
} from "../../resources/resource-list.ts";
import { machineRecordValue, StaticKeys } from "./machine-record.ts";

const mebi = 1024 * 1024;
/** The kubelet's default `--max-pods`, which k3s keeps: a machine that names no pod capacity gets it. */
const DefaultMaxPods = 110;

/**
 * What the kubelet keeps back on a k3s agent: k3s sets no kube-reserved or system-reserved, so
 * only the kubelet's default hard eviction thresholds remain (memory.available<100Mi,
 * nodefs.available<10%), which the kubelet subtracts from allocatable.
 */
export function kubeletReserve(capacity: Resources): Resources {
  const reserve: Record<string, number> = {};
  if (capacity.memory !== undefined) reserve.memory = Math.min(100 * mebi, capacity.memory);
  const storage = capacity["ephemeral-storage"];
  if (storage !== undefined) reserve["ephemeral-storage"] = Math.ceil(storage / 10);
  return reserve;
}

/** A machine's capacity in scheduler units, or undefined when a quantity does not parse. */
export function machineCapacity(machine: StaticMachine): Resources | undefined {
  const parsed = parseResources(machine.capacity);
  if (!parsed.ok) return undefined;
  return { pods: DefaultMaxPods, ...parsed.resources };
}

/**
 * The instance types a class's machines make: one per distinct `instanceType` (machines of one
 * type share a shape — validation refuses a class where they do not), labelled with the machines'
 * labels, the type and the class; one on-demand offering per zone, priced as the cheapest free
 * machine there and available while one is free. A zone whose machines are all held keeps the
 * cheapest price among them, unavailable. Machines whose capacity does not parse are left out.
 */
export function classInstanceTypes(
  nodeClass: StaticNodeClass,
  held: ReadonlySet<string>,
): InstanceType[] {
  const className = nodeClass.metadata.name ?? "";
  const byType = new Map<string, { capacity: Resources; machines: StaticMachine[] }>();
  for (const machine of nodeClass.spec.machines) {
    const capacity = machineCapacity(machine);
    if (capacity === undefined) continue;
    const type = byType.get(machine.instanceType);
    if (type === undefined) byType.set(machine.instanceType, { capacity, machines: [machine] });
    else type.machines.push(machine);
  }
  return [...byType.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([name, { capacity, machines }]) => {
      const overhead = kubeletReserve(capacity);
      return {
        name,
        labels: {
          [Labels.os]: "linux",
          ...machines[0]?.labels,
          [Labels.instanceType]: name,
          [StaticKeys.nodeClass]: className,
        },
        capacity,
        overhead,
        allocatable: subtractResources(capacity, overhead),
        offerings: zoneOfferings(className, machines, held),
      };
    });
}

function zoneOfferings(
  className: string,
  machines: readonly StaticMachine[],
  held: ReadonlySet<string>,
): Offering[] {
  const zones = [...new Set(machines.map((m) => m.zone))];
  return zones
    .map((zone) => {
      const here = machines.filter((m) => m.zone === zone);
      const free = here.filter((m) => isFree(className, m, held));
      const priced = free.length > 0 ? free : here;
      return {
        zone,
        capacityType: CapacityTypes.onDemand,
        price: Math.min(...priced.map((m) => m.pricePerHour)),
        available: free.length > 0,
      };
    })
    .sort(compareOfferings);
}

/** The cheapest free machine of a type in a zone (ties by name), if one is free. */
export function cheapestFreeMachine(
  nodeClass: StaticNodeClass,
  held: ReadonlySet<string>,
  instanceType: string,
  zone: string,
): StaticMachine | undefined {
  const className = nodeClass.metadata.name ?? "";
  return nodeClass.spec.machines
    .filter(
      (m) =>
        m.instanceType === instanceType &&
        m.zone === zone &&
        isFree(className, m, held) &&
        machineCapacity(m) !== undefined,
    )
    .sort((a, b) => a.pricePerHour - b.pricePerHour || compareText(a.name, b.name))[0];
}

function isFree(className: string, machine: StaticMachine, held: ReadonlySet<string>): boolean {
  return !held.has(machineRecordValue({ nodeClass: className, machine: machine.name }));
}
