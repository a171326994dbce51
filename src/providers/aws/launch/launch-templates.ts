import {
  CreateLaunchTemplateCommand,
  type CreateLaunchTemplateCommandOutput,
  DeleteLaunchTemplateCommand,
  DescribeLaunchTemplatesCommand,
  type DescribeLaunchTemplatesCommandOutput,
} from "@aws-sdk/client-ec2";
import type { Clock } from "../../../ports/clock.ts";
import type { SdkClient } from "../catalog-source.ts";
import {
  awsErrorCode,
  isNotFound,
  LaunchTemplateExistsCode,
  LaunchTemplateNotFoundCodes,
} from "./errors.ts";
import { type LaunchTemplateRequest, launchTemplatePrefix } from "./launch-template.ts";
import { TagKeys } from "./tags.ts";

/** A launch template carpool made or found, and when a launch last used it. */
interface KnownTemplate {
  readonly id: string;
  usedAtMs: number;
}

/**
 * carpool's launch templates in EC2: found by name or made once (Karpenter's ensureLaunchTemplate),
 * remembered for later launches, and deleted when their class goes or no launch has used them for
 * a while. Only templates named `carpool/<cluster>/…` and tagged with the cluster are ever deleted.
 */
export class LaunchTemplates {
  readonly #ec2: SdkClient;
  readonly #clock: Clock;
  readonly #clusterName: string;
  readonly #known = new Map<string, KnownTemplate>();
  readonly #startedAtMs: number;

  constructor(ec2: SdkClient, clock: Clock, clusterName: string) {
    this.#ec2 = ec2;
    this.#clock = clock;
    this.#clusterName = clusterName;
    this.#startedAtMs = clock.now().getTime();
  }

  /** The template's name, made in EC2 if it is not there yet. */
  async ensure(request: LaunchTemplateRequest): Promise<string> {
    const now = this.#clock.now().getTime();
    const known = this.#known.get(request.name);
    if (known !== undefined) {
      known.usedAtMs = now;
      return request.name;
    }
    const id = (await this.#describe(request.name)) ?? (await this.#create(request));
    this.#known.set(request.name, { id, usedAtMs: now });
    return request.name;
  }

  /** Forgets a template EC2 says is gone (deleted by hand), so the next launch makes it again. */
  forget(name: string): void {
    this.#known.delete(name);
  }

  /** Deletes every carpool template of the class (when the class is deleted); their names. */
  async deleteForNodeClass(nodeClassName: string): Promise<string[]> {
    const names = (await this.#listOwn(nodeClassName)).map((t) => t.name);
    for (const name of names) await this.#delete(name);
    return names;
  }

  /**
   * Deletes the cluster's carpool templates no launch of this process has used for `idleMs`
   * (a template is counted as used when the process started): what Karpenter does when its
   * template cache lets one expire. Instances already launched do not need their template.
   */
  async deleteIdle(idleMs: number): Promise<string[]> {
    const now = this.#clock.now().getTime();
    const idle = (await this.#listOwn(undefined))
      .filter((t) => now - (this.#known.get(t.name)?.usedAtMs ?? this.#startedAtMs) >= idleMs)
      .map((t) => t.name);
    for (const name of idle) await this.#delete(name);
    return idle;
  }

  async #describe(name: string): Promise<string | undefined> {
    try {
      const out = (await this.#ec2.send(
        new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] }),
      )) as DescribeLaunchTemplatesCommandOutput;
      return out.LaunchTemplates?.[0]?.LaunchTemplateId;
    } catch (error) {
      if (LaunchTemplateNotFoundCodes.has(awsErrorCode(error) ?? "")) return undefined;
      throw error;
    }
  }

  async #create(request: LaunchTemplateRequest): Promise<string> {
    try {
      const out = (await this.#ec2.send(
        new CreateLaunchTemplateCommand(request.input),
      )) as CreateLaunchTemplateCommandOutput;
      const id = out.LaunchTemplate?.LaunchTemplateId;
      if (id === undefined) throw new Error(`CreateLaunchTemplate ${request.name} returned no ID`);
      return id;
    } catch (error) {
      // Another launch (or replica) made the same template in between: the same contents, so use it.
      if (awsErrorCode(error) !== LaunchTemplateExistsCode) throw error;
      const id = await this.#describe(request.name);
      if (id === undefined) throw error;
      return id;
    }
  }

  async #listOwn(nodeClassName: string | undefined): Promise<{ name: string }[]> {
    const filters = [
      { Name: `tag:${TagKeys.launchTemplateCluster}`, Values: [this.#clusterName] },
      ...(nodeClassName === undefined
        ? []
        : [{ Name: `tag:${TagKeys.nodeClass}`, Values: [nodeClassName] }]),
    ];
    const prefix = launchTemplatePrefix(this.#clusterName);
    const own: { name: string }[] = [];
    let nextToken: string | undefined;
    do {
      const page = (await this.#ec2.send(
        // DescribeLaunchTemplates takes at most 200 a page.
        new DescribeLaunchTemplatesCommand({
          Filters: filters,
          MaxResults: 200,
          NextToken: nextToken,
        }),
      )) as DescribeLaunchTemplatesCommandOutput;
      for (const template of page.LaunchTemplates ?? [])
        if (template.LaunchTemplateName?.startsWith(prefix))
          own.push({ name: template.LaunchTemplateName });
      nextToken = page.NextToken;
    } while (nextToken);
    return own.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async #delete(name: string): Promise<void> {
    try {
      await this.#ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: name }));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    this.#known.delete(name);
  }
}
