import type { Clock } from "../../../ports/clock.ts";

/**
 * Answers kept for a while, keyed by the question, on an injected clock (Karpenter keeps its AWS
 * look-ups in go-cache with the TTLs of pkg/cache/cache.go). Failures are not kept: the next
 * call asks again.
 */
export class TtlCache<V> {
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #entries = new Map<string, { value: V; expires: number }>();

  constructor(clock: Clock, ttlMs: number) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.#clock.now().getTime();
    const hit = this.#entries.get(key);
    if (hit !== undefined && hit.expires > now) return hit.value;
    const value = await load();
    this.#entries.set(key, { value, expires: now + this.#ttlMs });
    return value;
  }

  /** Forgets a key, e.g. after a write that changed what it names. */
  delete(key: string): void {
    this.#entries.delete(key);
  }
}

/** Karpenter's TTLs (pkg/cache/cache.go). */
export const CacheTtl = {
  /** DefaultTTL: subnets, security groups, AMIs, mutable SSM parameters. */
  default: 60_000,
  /** InstanceTypesAndZonesTTL: DescribeInstanceTypes and DescribeInstanceTypeOfferings. */
  instanceTypesAndZones: 5 * 60_000,
  /** InstanceProfileTTL: whether an instance profile exists. */
  instanceProfile: 15 * 60_000,
  /** Karpenter's pricing controller refreshes prices every 12 hours. */
  pricing: 12 * 60 * 60_000,
  /** Pinned SSM parameters (a versioned AMI alias) never change; kept like GetParametersByPath's data. */
  immutableSsm: 24 * 60 * 60_000,
} as const;
