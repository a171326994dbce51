import {
  type CapacityReservation,
  DescribeCapacityReservationsCommand,
  type DescribeCapacityReservationsCommandInput,
  type DescribeCapacityReservationsCommandOutput,
} from "@aws-sdk/client-ec2";
import type { CapacityReservationStatus, EC2NodeClass } from "../../../api/ec2nodeclass.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { SdkClient } from "../catalog-source.ts";
import { awsErrorCode } from "../launch/errors.ts";
import { type Ec2Filter, tagFilters } from "./filters.ts";
import { CacheTtl, TtlCache } from "./ttl-cache.ts";

/** One capacityReservationSelectorTerms entry (Karpenter v1 CapacityReservationSelectorTerm). */
export interface CapacityReservationTerm {
  readonly id?: string;
  readonly ownerID?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly instanceMatchCriteria?: string;
}

/**
 * One DescribeCapacityReservations question. Karpenter's QueriesFromSelectorTerms: an `id` is a
 * query of its own; tags and instanceMatchCriteria (with the term's ownerID) make another; a term
 * with only an ownerID asks nothing.
 */
export type ReservationQuery =
  | { readonly kind: "id"; readonly id: string }
  | {
      readonly kind: "filters";
      readonly ownerID?: string;
      readonly tags?: Readonly<Record<string, string>>;
      readonly instanceMatchCriteria?: string;
    };

export function reservationQueries(terms: readonly CapacityReservationTerm[]): ReservationQuery[] {
  return terms.flatMap((term): ReservationQuery[] => [
    ...(term.id ? [{ kind: "id" as const, id: term.id }] : []),
    ...(Object.keys(term.tags ?? {}).length > 0 || term.instanceMatchCriteria
      ? [
          {
            kind: "filters" as const,
            ...(term.ownerID && { ownerID: term.ownerID }),
            ...(term.tags && Object.keys(term.tags).length > 0 && { tags: term.tags }),
            ...(term.instanceMatchCriteria && {
              instanceMatchCriteria: term.instanceMatchCriteria,
            }),
          },
        ]
      : []),
  ]);
}

/**
 * The request for a query: only active reservations; an ID by CapacityReservationIds (EC2 refuses
 * MaxResults with IDs), else owner, tags (`*` as tag-key) and match criteria as filters, 1000 a page.
 */
export function describeReservationsInput(
  query: ReservationQuery,
): DescribeCapacityReservationsCommandInput {
  const active: Ec2Filter = { Name: "state", Values: ["active"] };
  if (query.kind === "id") return { Filters: [active], CapacityReservationIds: [query.id] };
  return {
    Filters: [
      active,
      ...(query.ownerID === undefined ? [] : [{ Name: "owner-id", Values: [query.ownerID] }]),
      ...tagFilters(query.tags),
      ...(query.instanceMatchCriteria === undefined
        ? []
        : [{ Name: "instance-match-criteria", Values: [query.instanceMatchCriteria] }]),
    ],
    MaxResults: 1000,
  };
}

/** The class's capacityReservationSelectorTerms as the resolver reads them (the API validated them). */
export function reservationTerms(nodeClass: Pick<EC2NodeClass, "spec">): CapacityReservationTerm[] {
  const terms = (nodeClass.spec as { capacityReservationSelectorTerms?: unknown } | undefined)
    ?.capacityReservationSelectorTerms;
  if (!Array.isArray(terms)) return [];
  return terms.filter(
    (t): t is CapacityReservationTerm => typeof t === "object" && t !== null && !Array.isArray(t),
  );
}

/**
 * A capacity block counts as expiring this long before its end: EC2 reclaims its instances then,
 * so Karpenter launches nothing more into it (ec2nodeclass_status.go CapacityReservationFromEC2).
 */
export const CapacityBlockExpirationMs = 40 * 60_000;

export type ReservationReading =
  | { readonly ok: true; readonly status: CapacityReservationStatus }
  | { readonly ok: false; readonly id: string; readonly problem: string };

/**
 * A DescribeCapacityReservations entry as `status.capacityReservations` records it, or why not:
 * Karpenter refuses match criteria other than open/targeted and reservation types other than
 * default/capacity-block (absent is default), so a new EC2 kind is skipped rather than misread.
 */
export function reservationStatus(reservation: CapacityReservation, now: Date): ReservationReading {
  const id = reservation.CapacityReservationId ?? "";
  const criteria = reservation.InstanceMatchCriteria;
  if (criteria !== "open" && criteria !== "targeted")
    return { ok: false, id, problem: `unsupported instance match criteria "${criteria ?? ""}"` };
  const type = reservation.ReservationType ?? "default";
  if (type !== "default" && type !== "capacity-block")
    return { ok: false, id, problem: `unsupported reservation type "${type}"` };
  if (!reservation.AvailabilityZone || !reservation.InstanceType || !reservation.OwnerId)
    return { ok: false, id, problem: "no availability zone, instance type or owner" };
  const end = reservation.EndDate === undefined ? undefined : new Date(reservation.EndDate);
  const expiring =
    type === "capacity-block" &&
    end !== undefined &&
    now.getTime() >= end.getTime() - CapacityBlockExpirationMs;
  return {
    ok: true,
    status: {
      availabilityZone: reservation.AvailabilityZone,
      ...(end !== undefined && { endTime: end.toISOString() }),
      id,
      instanceMatchCriteria: criteria,
      instanceType: reservation.InstanceType,
      ownerID: reservation.OwnerId,
      reservationType: type,
      state: expiring ? "expiring" : "active",
    },
  };
}

/** EC2's answer to an ID that names no reservation this account can see. */
export const ReservationNotFoundCode = "InvalidCapacityReservationId.NotFound";

/** What the status has no field for and launches need: kept by the provider per reservation. */
interface ReservationFacts {
  /** Instances the reservation can still launch: EC2's count at the last sync, less launches since. */
  count: number;
  readonly interruptible: boolean;
}

/**
 * Capacity reservations of the node classes (Karpenter's capacityreservation provider): each
 * query's answer kept for a minute, duplicates and reservations past their end dropped, and per
 * reservation how many instances it can still launch — EC2's AvailableInstanceCount at each
 * sync, one less for each launch into it since, none after a capacity error, one more for each
 * instance terminated. The instance types read the counts for their reserved offerings.
 */
export class CapacityReservations {
  readonly #ec2: SdkClient;
  readonly #clock: Clock;
  readonly #answers: TtlCache<CapacityReservation[]>;
  readonly #facts = new Map<string, ReservationFacts>();

  constructor(ec2: SdkClient, clock: Clock) {
    this.#ec2 = ec2;
    this.#clock = clock;
    this.#answers = new TtlCache(clock, CacheTtl.default);
  }

  /** The reservations the terms select, each once, none already ended. */
  async list(terms: readonly CapacityReservationTerm[]): Promise<CapacityReservation[]> {
    const byId = new Map<string, CapacityReservation>();
    for (const query of reservationQueries(terms)) {
      const found = await this.#answers.get(JSON.stringify(query), () => this.#describe(query));
      for (const r of found) if (r.CapacityReservationId) byId.set(r.CapacityReservationId, r);
    }
    const now = this.#clock.now().getTime();
    return [...byId.values()].filter(
      (r) => r.EndDate === undefined || new Date(r.EndDate).getTime() > now,
    );
  }

  /** How many more instances the reservation can launch; 0 for one never synced. */
  availableCount(id: string): number {
    return this.#facts.get(id)?.count ?? 0;
  }

  /** Whether EC2 may reclaim the reservation's instances (an interruptible reservation). */
  interruptible(id: string): boolean {
    return this.#facts.get(id)?.interruptible ?? false;
  }

  markLaunched(id: string): void {
    const facts = this.#facts.get(id);
    if (facts !== undefined && facts.count > 0) facts.count -= 1;
  }

  /** EC2 said the reservation is full: nothing more goes to it until the next sync says otherwise. */
  markUnavailable(id: string): void {
    const facts = this.#facts.get(id);
    if (facts !== undefined) facts.count = 0;
  }

  /**
   * An instance of the reservation is going: its place is counted free at once, as Karpenter does,
   * rather than waiting for EC2 (better to overestimate than to leave reserved capacity unused).
   */
  markTerminated(id: string): void {
    const facts = this.#facts.get(id);
    if (facts !== undefined) facts.count += 1;
  }

  async #describe(query: ReservationQuery): Promise<CapacityReservation[]> {
    const found: CapacityReservation[] = [];
    let nextToken: string | undefined;
    do {
      let page: DescribeCapacityReservationsCommandOutput;
      try {
        page = (await this.#ec2.send(
          new DescribeCapacityReservationsCommand({
            ...describeReservationsInput(query),
            NextToken: nextToken,
          }),
        )) as DescribeCapacityReservationsCommandOutput;
      } catch (error) {
        // An ID that does not exist (or is not shared with this account) selects nothing.
        if (query.kind === "id" && awsErrorCode(error) === ReservationNotFoundCode) return [];
        throw error;
      }
      found.push(...(page.CapacityReservations ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    for (const r of found)
      if (r.CapacityReservationId)
        this.#facts.set(r.CapacityReservationId, {
          count: r.AvailableInstanceCount ?? 0,
          interruptible: r.Interruptible ?? false,
        });
    return found;
  }
}
