import {
  DescribeImagesCommand,
  type DescribeImagesCommandOutput,
  type Image,
} from "@aws-sdk/client-ec2";
import { GetParameterCommand, type GetParameterCommandOutput } from "@aws-sdk/client-ssm";
import { Labels } from "../../../api/wellknown.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { SdkClient } from "../catalog-source.ts";
import {
  type AmiRequirement,
  aliasParameters,
  kubeArchitecture,
  sortRequirements,
  variantRequirements,
} from "./ami-alias.ts";
import { type Ec2Filter, tagFilters } from "./filters.ts";
import type { AmiTerm } from "./spec.ts";
import { CacheTtl, TtlCache } from "./ttl-cache.ts";

/** An AMI as `status.amis` records it. */
export interface ResolvedAmi {
  readonly id: string;
  readonly name: string;
  readonly requirements: readonly AmiRequirement[];
  readonly deprecated?: boolean;
}

/** A term that cannot be resolved for a reason that is not AWS's (an unsupported alias). */
export class AmiSelectorError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = "AmiSelectorError";
    this.path = path;
  }
}

interface Candidate {
  readonly image: Image;
  /** Requirement sets SSM told us besides the image's architecture (GPU / Neuron variants). */
  readonly known?: readonly (readonly AmiRequirement[])[];
}

/**
 * Resolves amiSelectorTerms as Karpenter's AMI provider does: an alias reads the EKS / Bottlerocket
 * SSM parameters of the cluster's Kubernetes version (a missing one is skipped), an ssmParameter
 * term reads that parameter, other terms are DescribeImages filters (owners self and amazon
 * unless the term names an owner or an id). Each image's requirements are its architecture plus
 * the variant's; of the images with the same requirements the newest wins.
 */
export class AmiResolver {
  readonly #ec2: SdkClient;
  readonly #ssm: SdkClient;
  readonly #clock: Clock;
  readonly #images: TtlCache<Image[]>;
  readonly #mutable: TtlCache<string | undefined>;
  readonly #pinned: TtlCache<string | undefined>;

  constructor(options: { ec2: SdkClient; ssm: SdkClient; clock: Clock }) {
    this.#ec2 = options.ec2;
    this.#ssm = options.ssm;
    this.#clock = options.clock;
    this.#images = new TtlCache(options.clock, CacheTtl.default);
    this.#mutable = new TtlCache(options.clock, CacheTtl.default);
    this.#pinned = new TtlCache(options.clock, CacheTtl.immutableSsm);
  }

  async resolve(terms: readonly AmiTerm[], kubernetesVersion: string): Promise<ResolvedAmi[]> {
    const candidates: Candidate[] = [];
    for (const [i, term] of terms.entries()) {
      const path = `spec.amiSelectorTerms[${i}]`;
      if (term.alias !== undefined)
        candidates.push(...(await this.#alias(term.alias, kubernetesVersion, path)));
      else if (term.ssmParameter !== undefined) {
        const id = await this.#parameter(term.ssmParameter, true);
        if (id !== undefined)
          for (const image of await this.#describe([{ Name: "image-id", Values: [id] }], undefined))
            candidates.push({ image });
      } else {
        const filters: Ec2Filter[] = [
          ...(term.id === undefined ? [] : [{ Name: "image-id", Values: [term.id] }]),
          ...(term.name === undefined ? [] : [{ Name: "name", Values: [term.name] }]),
          ...tagFilters(term.tags),
        ];
        const owners =
          term.owner !== undefined
            ? term.owner.split(",").map((o) => o.trim())
            : term.id === undefined
              ? ["self", "amazon"]
              : undefined;
        for (const image of await this.#describe(filters, owners)) candidates.push({ image });
      }
    }
    return newestPerRequirements(candidates, this.#clock.now().getTime());
  }

  async #alias(alias: string, kubernetesVersion: string, path: string): Promise<Candidate[]> {
    const resolution = aliasParameters(alias, kubernetesVersion);
    if (!resolution.ok) throw new AmiSelectorError(`${path}.alias`, resolution.message);
    const known = new Map<string, AmiRequirement[][]>();
    for (const parameter of resolution.parameters) {
      const id = await this.#parameter(parameter.path, parameter.mutable);
      if (id === undefined) continue;
      const sets = known.get(id) ?? [];
      for (const variant of parameter.variants) sets.push(variantRequirements(variant));
      known.set(id, sets);
    }
    if (known.size === 0)
      throw new AmiSelectorError(
        `${path}.alias`,
        `failed to discover any AMIs for alias ${alias} (Kubernetes ${kubernetesVersion}): no SSM parameter of it exists`,
      );
    const images = await this.#describe(
      [{ Name: "image-id", Values: [...known.keys()].sort() }],
      undefined,
    );
    return images.map((image) => ({ image, known: known.get(image.ImageId ?? "") ?? [] }));
  }

  /** An SSM parameter's value; undefined when it does not exist (ParameterNotFound). */
  async #parameter(name: string, mutable: boolean): Promise<string | undefined> {
    return (mutable ? this.#mutable : this.#pinned).get(name, async () => {
      try {
        const output = (await this.#ssm.send(
          new GetParameterCommand({ Name: name }),
        )) as GetParameterCommandOutput;
        return output.Parameter?.Value;
      } catch (error) {
        if ((error as { name?: string }).name === "ParameterNotFound") return undefined;
        throw error;
      }
    });
  }

  async #describe(filters: Ec2Filter[], owners: string[] | undefined): Promise<Image[]> {
    const key = JSON.stringify([filters, owners ?? []]);
    return this.#images.get(key, async () => {
      const images: Image[] = [];
      let nextToken: string | undefined;
      do {
        const page = (await this.#ec2.send(
          new DescribeImagesCommand({
            // EC2 refuses an empty filter list.
            ...(filters.length > 0 && { Filters: filters }),
            ...(owners !== undefined && { Owners: owners }),
            IncludeDeprecated: true,
            NextToken: nextToken,
          }),
        )) as DescribeImagesCommandOutput;
        images.push(...(page.Images ?? []));
        nextToken = page.NextToken;
      } while (nextToken);
      return images;
    });
  }
}

/**
 * Images not deprecated first, then newest (creation date, then image ID), and the first image
 * of each requirement set kept: Karpenter's AMI provider launches the newest usable image that
 * fits an instance type.
 */
function newestPerRequirements(candidates: readonly Candidate[], now: number): ResolvedAmi[] {
  const time = (image: Image) => {
    const t = Date.parse(image.CreationDate ?? "");
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
  };
  const deprecated = (image: Image) => {
    const t = Date.parse(image.DeprecationTime ?? "");
    return !Number.isNaN(t) && t <= now;
  };
  const sorted = [...candidates].sort(
    (a, b) =>
      Number(deprecated(a.image)) - Number(deprecated(b.image)) ||
      time(b.image) - time(a.image) ||
      ((a.image.ImageId ?? "") < (b.image.ImageId ?? "") ? -1 : 1),
  );
  const seen = new Set<string>();
  const amis: ResolvedAmi[] = [];
  for (const { image, known } of sorted) {
    const arch = kubeArchitecture(image.Architecture);
    if (arch === undefined || !image.ImageId) continue;
    const archRequirement: AmiRequirement = { key: Labels.arch, operator: "In", values: [arch] };
    for (const extra of known && known.length > 0 ? known : [[]]) {
      const requirements = sortRequirements([archRequirement, ...extra]);
      const key = JSON.stringify(requirements);
      if (seen.has(key)) continue;
      seen.add(key);
      amis.push({
        id: image.ImageId,
        name: image.Name ?? "",
        requirements,
        ...(deprecated(image) && { deprecated: true }),
      });
    }
  }
  return amis;
}
