import type { InstanceType } from "../../catalog/instance-type.ts";

/** Karpenter keeps an offering that failed for insufficient capacity out of use for 3 minutes. */
export const UnavailableOfferingTtlMs = 3 * 60_000;

/** Offerings that recently failed to launch, each until a time. */
export class UnavailableOfferings {
  readonly #until = new Map<string, number>();

  mark(
    offering: { instanceType: string; zone: string; capacityType: string },
    nowMs: number,
  ): void {
    this.#until.set(
      key(offering.instanceType, offering.zone, offering.capacityType),
      nowMs + UnavailableOfferingTtlMs,
    );
  }

  isUnavailable(instanceType: string, zone: string, capacityType: string, nowMs: number): boolean {
    return (this.#until.get(key(instanceType, zone, capacityType)) ?? 0) > nowMs;
  }

  /** The types with their unavailable offerings marked `available: false`. */
  apply(types: readonly InstanceType[], nowMs: number): readonly InstanceType[] {
    // The same array when nothing is unavailable, so per-catalog caches keep working.
    if (![...this.#until.values()].some((until) => until > nowMs)) return types;
    return types.map((type) => {
      if (!type.offerings.some((o) => this.isUnavailable(type.name, o.zone, o.capacityType, nowMs)))
        return type;
      return {
        ...type,
        offerings: type.offerings.map((o) =>
          this.isUnavailable(type.name, o.zone, o.capacityType, nowMs)
            ? { ...o, available: false }
            : o,
        ),
      };
    });
  }
}

function key(instanceType: string, zone: string, capacityType: string): string {
  return `${instanceType}/${zone}/${capacityType}`;
}
