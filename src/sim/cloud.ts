import type { NodeClaim } from "../api/nodeclaim.ts";
import type { Catalog, InstanceType, Offering } from "../catalog/instance-type.ts";
import type { Clock } from "../ports/clock.ts";
import { type CloudProvider, NodeClaimNotFoundError } from "../ports/cloud-provider.ts";
import {
  allowedOfferings,
  insufficientCapacity,
  offeringLabels,
} from "../providers/offering-choice.ts";
import { formatResources } from "../resources/resource-list.ts";
import { Requirements } from "../scheduling/requirements.ts";

/** An instance the simulated cloud runs, and what it costs. */
export interface Instance {
  readonly providerID: string;
  readonly claim: NodeClaim;
  readonly instanceType: InstanceType;
  readonly offering: Offering;
  readonly launchedAt: number;
  terminatedAt?: number;
}

/**
 * The simulated cloud: launches the cheapest offering a NodeClaim allows from the catalog, bills
 * it by the second until deleted, and can be told that offerings are out of capacity for a while
 * (insufficient capacity errors) or that spot instances are reclaimed.
 */
export class SimulatedCloud implements CloudProvider {
  readonly #catalog: Catalog;
  readonly #clock: Clock;
  readonly #instances = new Map<string, Instance>();
  /** `type/zone/capacityType` → out of capacity until (ms). */
  readonly #outOfCapacity = new Map<string, number>();
  #launched = 0;

  constructor(catalog: Catalog, clock: Clock) {
    this.#catalog = catalog;
    this.#clock = clock;
  }

  async create(nodeClaim: NodeClaim): Promise<NodeClaim> {
    const requirements = Requirements.from(nodeClaim.spec.requirements);
    const now = this.#clock.now().getTime();
    const candidates = allowedOfferings(this.#catalog.instanceTypes, requirements).filter(
      (c) => c.offering.available,
    );
    const launchable = candidates.find(
      (c) => !this.isOutOfCapacity(c.instanceType.name, c.offering, now),
    );
    if (launchable === undefined) throw insufficientCapacity(nodeClaim, candidates);
    const { instanceType: type, offering } = launchable;
    const providerID = `sim:///${offering.zone}/i-${String(++this.#launched).padStart(6, "0")}`;
    const launched: NodeClaim = {
      ...nodeClaim,
      metadata: {
        ...nodeClaim.metadata,
        labels: { ...nodeClaim.metadata.labels, ...offeringLabels(launchable) },
      },
      status: {
        ...nodeClaim.status,
        providerID,
        capacity: formatResources(type.capacity),
        allocatable: formatResources(type.allocatable),
      },
    };
    this.#instances.set(providerID, {
      providerID,
      claim: launched,
      instanceType: type,
      offering,
      launchedAt: now,
    });
    return launched;
  }

  async delete(nodeClaim: NodeClaim): Promise<void> {
    const instance = this.#instances.get(nodeClaim.status?.providerID ?? "");
    if (instance === undefined || instance.terminatedAt !== undefined)
      throw new NodeClaimNotFoundError(nodeClaim.status?.providerID ?? "");
    instance.terminatedAt = this.#clock.now().getTime();
  }

  async get(providerID: string): Promise<NodeClaim> {
    const instance = this.#instances.get(providerID);
    if (instance === undefined || instance.terminatedAt !== undefined)
      throw new NodeClaimNotFoundError(providerID);
    return instance.claim;
  }

  async list(): Promise<NodeClaim[]> {
    return this.running().map((i) => i.claim);
  }

  async instanceTypes(): Promise<readonly InstanceType[]> {
    return this.#catalog.instanceTypes;
  }

  async isDrifted(): Promise<string | undefined> {
    return undefined;
  }

  /** Instances not terminated, in launch order. */
  running(): Instance[] {
    return [...this.#instances.values()].filter((i) => i.terminatedAt === undefined);
  }

  all(): Instance[] {
    return [...this.#instances.values()];
  }

  /** Marks offerings out of capacity until `untilMs` (scenario event `unavailable`). */
  makeUnavailable(
    match: { instanceType?: string; zone?: string; capacityType?: string },
    untilMs: number,
  ): void {
    for (const type of this.#catalog.instanceTypes) {
      if (match.instanceType !== undefined && type.name !== match.instanceType) continue;
      for (const o of type.offerings) {
        if (match.zone !== undefined && o.zone !== match.zone) continue;
        if (match.capacityType !== undefined && o.capacityType !== match.capacityType) continue;
        this.#outOfCapacity.set(`${type.name}/${o.zone}/${o.capacityType}`, untilMs);
      }
    }
  }

  isOutOfCapacity(type: string, offering: Offering, nowMs: number): boolean {
    return (
      (this.#outOfCapacity.get(`${type}/${offering.zone}/${offering.capacityType}`) ?? 0) > nowMs
    );
  }

  /** Hourly price of what runs now, and the cost so far, in USD. */
  cost(nowMs: number): { hourly: number; total: number } {
    let hourly = 0;
    let total = 0;
    for (const i of this.#instances.values()) {
      const end = i.terminatedAt ?? nowMs;
      total += (i.offering.price * (end - i.launchedAt)) / 3_600_000;
      if (i.terminatedAt === undefined) hourly += i.offering.price;
    }
    return { hourly, total };
  }
}
