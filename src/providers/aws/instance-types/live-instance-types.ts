import type { EC2NodeClass } from "../../../api/nodeclass.ts";
import { CapacityTypes, Labels } from "../../../api/wellknown.ts";
import { awsCatalog, awsInstanceType } from "../../../catalog/aws-catalog.ts";
import type { AwsInstanceTypeData } from "../../../catalog/aws-catalog-data.ts";
import {
  compareOfferings,
  type InstanceType,
  type Offering,
} from "../../../catalog/instance-type.ts";
import type { Clock } from "../../../ports/clock.ts";
import {
  describeInstanceTypes,
  type InstanceTypeFacts,
  onDemandPrices,
  type SdkClient,
  spotPrices,
} from "../catalog-source.ts";
import type { NodeClassLog } from "../nodeclass/controller.ts";
import { CacheTtl, TtlCache } from "../nodeclass/ttl-cache.ts";
import { factLabels, gpuResources } from "./labels.ts";
import { type ReservationCounts, reservedOfferings } from "./reserved-offerings.ts";
import { zonesByInstanceType } from "./zone-offerings.ts";

export interface LiveInstanceTypesOptions {
  readonly ec2: SdkClient;
  /**
   * A Pricing client in a region that serves the Pricing API (us-east-1 for the commercial
   * partition, as Karpenter uses; also ap-south-1, eu-central-1), asked for `region`'s prices.
   */
  readonly pricing: SdkClient;
  readonly clock: Clock;
  readonly region: string;
  readonly log?: NodeClassLog;
  /** The capacity reservations provider's counts, for the reserved offerings of `status`. */
  readonly reservations?: ReservationCounts;
}

/** One AWS look-up's answer, or undefined when it failed (then the built-in catalog stands in). */
type Answer<T> = T | undefined;

/**
 * Instance types from the region's live facts (Karpenter's instance type and pricing providers):
 * shapes from DescribeInstanceTypes, the zones each type is sold in from
 * DescribeInstanceTypeOfferings, on-demand prices from the Pricing API and spot prices from
 * DescribeSpotPriceHistory. Each piece whose call fails comes from the built-in catalog instead
 * (and the log says which). Shapes and zones are kept 5 minutes, prices 12 hours.
 */
export class LiveInstanceTypes {
  readonly #o: LiveInstanceTypesOptions;
  readonly #facts: TtlCache<Answer<InstanceTypeFacts[]>>;
  readonly #zones: TtlCache<Answer<Map<string, Set<string>>>>;
  readonly #onDemand: TtlCache<Answer<Map<string, number>>>;
  readonly #spot: TtlCache<Answer<Map<string, Map<string, number>>>>;
  #warnedRegion = false;

  constructor(options: LiveInstanceTypesOptions) {
    this.#o = options;
    this.#facts = new TtlCache(options.clock, CacheTtl.instanceTypesAndZones);
    this.#zones = new TtlCache(options.clock, CacheTtl.instanceTypesAndZones);
    this.#onDemand = new TtlCache(options.clock, CacheTtl.pricing);
    this.#spot = new TtlCache(options.clock, CacheTtl.pricing);
  }

  /**
   * The instance types a node class can launch: offered only in the zones of its resolved
   * subnets (`status.subnets`), as Karpenter filters offerings, each labelled with its zone's ID
   * where the subnet gave one; none before they are resolved. The class's capacity reservations
   * (`status.capacityReservations`) add a reserved offering each to their type.
   */
  async instanceTypesFor(nodeClass: EC2NodeClass): Promise<InstanceType[]> {
    const subnetZones = new Map<string, string | undefined>();
    for (const s of nodeClass.status?.subnets ?? [])
      if (subnetZones.get(s.zone) === undefined) subnetZones.set(s.zone, s.zoneID);
    if (subnetZones.size === 0) return [];
    const reservations = nodeClass.status?.capacityReservations ?? [];
    const [facts, zones, onDemand, spot] = await Promise.all([
      this.#ask(this.#facts, "DescribeInstanceTypes", () => describeInstanceTypes(this.#o.ec2)),
      this.#ask(this.#zones, "DescribeInstanceTypeOfferings", () =>
        zonesByInstanceType(this.#o.ec2),
      ),
      this.#ask(this.#onDemand, "Pricing GetProducts", () =>
        onDemandPrices(this.#o.pricing, this.#o.region),
      ),
      this.#ask(this.#spot, "DescribeSpotPriceHistory", () =>
        spotPrices(this.#o.ec2, this.#o.clock.now()),
      ),
    ]);
    const builtIn = new Map(this.#builtIn().map((t) => [t.name, t]));
    const base: InstanceType[] =
      facts === undefined
        ? [...builtIn.values()]
        : facts
            .filter((f) => !f.bareMetal)
            .flatMap((f) => {
              const price = onDemand?.get(f.name) ?? builtInPrice(builtIn.get(f.name));
              return price === undefined ? [] : [this.#fromFacts(f, builtIn.get(f.name), price)];
            });
    return base.flatMap((type) => {
      // Sold where DescribeInstanceTypeOfferings says; where it could not be read, in every zone.
      const typeZones =
        zones === undefined ? undefined : (zones.get(type.name) ?? new Set<string>());
      const offered = [...subnetZones.keys()]
        .filter((z) => typeZones === undefined || typeZones.has(z))
        .sort();
      const price = onDemand?.get(type.name) ?? builtInPrice(builtIn.get(type.name));
      if (price === undefined || offered.length === 0) return [];
      const reserved = reservedOfferings({
        instanceType: type.name,
        onDemandPrice: price,
        reservations,
        counts: this.#o.reservations,
        subnetZones,
        typeZones,
      });
      return [
        {
          ...type,
          offerings: [
            ...offeringsOf(
              offered,
              subnetZones,
              price,
              spot === undefined ? undefined : (spot.get(type.name) ?? new Map()),
            ),
            ...reserved,
          ].sort(compareOfferings),
        },
      ];
    });
  }

  #fromFacts(
    facts: InstanceTypeFacts,
    known: InstanceType | undefined,
    price: number,
  ): InstanceType {
    const resource = facts.gpus && gpuResources[facts.gpus.manufacturer];
    const row: AwsInstanceTypeData = {
      name: facts.name,
      vcpu: facts.vcpu,
      memoryMiB: facts.memoryMiB,
      maxPods: facts.maxPods,
      ...(facts.gpus &&
        facts.gpus.count > 0 &&
        resource !== undefined && { gpus: { resource, count: facts.gpus.count } }),
      // The live facts first, the built-in catalog's richer labels over them where it knows the type.
      labels: { ...factLabels(facts), ...known?.labels },
      onDemandPrice: { [this.#o.region]: price },
    };
    return awsInstanceType(row, this.#o.region, [], price);
  }

  /**
   * The built-in catalog of the region; where it has none (it ships us-east-1's prices), us-east-1's
   * list prices stand in for the region's, so a failed Pricing call still leaves every type priced
   * in the right order, and the log says so once.
   */
  #builtIn(): readonly InstanceType[] {
    try {
      return awsCatalog(this.#o.region).instanceTypes;
    } catch {
      if (!this.#warnedRegion) {
        this.#warnedRegion = true;
        this.#o.log?.warn(
          { region: this.#o.region },
          "the built-in catalog has no prices for this region; us-east-1's stand in where AWS gives none",
        );
      }
      return awsCatalog("us-east-1").instanceTypes.map((type) => ({
        ...type,
        labels: { ...type.labels, [Labels.region]: this.#o.region },
      }));
    }
  }

  async #ask<T>(
    cache: TtlCache<Answer<T>>,
    call: string,
    load: () => Promise<T>,
  ): Promise<Answer<T>> {
    return cache.get(call, async () => {
      try {
        return await load();
      } catch (error) {
        this.#o.log?.warn(
          { call, region: this.#o.region, error },
          `${call} failed; the built-in catalog stands in for it`,
        );
        return undefined;
      }
    });
  }
}

function builtInPrice(type: InstanceType | undefined): number | undefined {
  return type?.offerings.find((o) => o.capacityType === CapacityTypes.onDemand)?.price;
}

/**
 * On-demand in every zone; spot where DescribeSpotPriceHistory priced the type in that zone, or,
 * when spot prices could not be read at all, in every zone at the on-demand price (an upper
 * bound, marked as a stand-in, as the built-in catalog does).
 */
function offeringsOf(
  zones: readonly string[],
  zoneIDs: ReadonlyMap<string, string | undefined>,
  onDemand: number,
  spot: ReadonlyMap<string, number> | undefined,
): Offering[] {
  return zones
    .flatMap((zone) => {
      const spotPrice = spot === undefined ? onDemand : spot.get(zone);
      const zoneID = zoneIDs.get(zone);
      // Karpenter's offerings carry the zone's ID (topology.k8s.aws/zone-id) from the subnet.
      const labels = zoneID === undefined ? {} : { labels: { [Labels.awsZoneID]: zoneID } };
      return [
        {
          zone,
          capacityType: CapacityTypes.onDemand,
          price: onDemand,
          available: true,
          ...labels,
        },
        ...(spotPrice === undefined
          ? []
          : [
              {
                zone,
                capacityType: CapacityTypes.spot,
                price: spotPrice,
                available: true,
                ...(spot === undefined && { priceStandIn: true as const }),
                ...labels,
              },
            ]),
      ];
    })
    .sort(compareOfferings);
}
