import {
  CreateFleetCommand,
  type CreateFleetCommandOutput,
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  type Instance,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import type { EC2NodeClass } from "../../api/ec2nodeclass.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import { Labels } from "../../api/wellknown.ts";
import type { InstanceType } from "../../catalog/instance-type.ts";
import type { UserData } from "../../ports/bootstrap.ts";
import type { Clock } from "../../ports/clock.ts";
import {
  type CloudProvider,
  InsufficientCapacityError,
  NodeClaimNotFoundError,
} from "../../ports/cloud-provider.ts";
import type { ClusterStore } from "../../ports/cluster-store.ts";
import { Requirements } from "../../scheduling/requirements.ts";
import { redactor } from "../exec/errors.ts";
import { allowedOfferings, insufficientCapacity, type OfferingChoice } from "../offering-choice.ts";
import type { SdkClient } from "./catalog-source.ts";
import { amiFor } from "./launch/ami-choice.ts";
import { instanceDrift } from "./launch/drift.ts";
import {
  awsErrorCode,
  awsErrorMessage,
  isNotFound,
  LaunchFailedError,
  LaunchTemplateNotFoundCodes,
} from "./launch/errors.ts";
import { fleetOutcome } from "./launch/fleet-outcome.ts";
import {
  chooseCapacityType,
  fleetChoices,
  fleetRequest,
  type LaunchCapacityType,
  type TemplateChoices,
} from "./launch/fleet-request.ts";
import { instanceClaim, launchedClaim } from "./launch/instance-claim.ts";
import { launchTemplateRequest } from "./launch/launch-template.ts";
import { LaunchTemplates } from "./launch/launch-templates.ts";
import { type LaunchNodeClass, launchNodeClass, readyEC2NodeClass } from "./launch/node-class.ts";
import { type ReservationTarget, reservationOf } from "./launch/reserved-choices.ts";
import { clusterOwnedTag, instanceTags, resourceTags, TagKeys } from "./launch/tags.ts";
import { parseInstanceID } from "./provider-id.ts";

/** What the provider logs (a pino Logger fits); never given user data. */
export interface LaunchLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface AwsCloudProviderOptions {
  readonly store: ClusterStore;
  readonly clock: Clock;
  readonly ec2: SdkClient;
  readonly clusterName: string;
  readonly region: string;
  /** The live instance types (the instance-types module): of a class, or of every class. */
  readonly instanceTypes: (nodeClass?: EC2NodeClass) => Promise<readonly InstanceType[]>;
  /** Renders the user data of a claim from its class's bootstrap (a provider renders none itself). */
  readonly userData: (claim: NodeClaim, nodeClass: EC2NodeClass) => Promise<UserData>;
  readonly log?: LaunchLog;
  /**
   * Offerings CreateFleet found out of capacity on the way to one it launched (the unavailable-
   * offerings cache, as Karpenter's); when none could be had, create throws instead.
   */
  readonly onUnavailable?: (offerings: InsufficientCapacityError["offerings"]) => void;
  /**
   * The capacity reservations provider's counts (nodeclass/capacity-reservations.ts): a launch into
   * a reservation takes one, a capacity error empties it, a terminated instance gives one back.
   */
  readonly reservations?: ReservationLaunches;
}

/** What a launch tells the capacity reservations provider. */
export interface ReservationLaunches {
  markLaunched(id: string): void;
  markUnavailable(id: string): void;
  markTerminated(id: string): void;
}

/** EC2 states of an instance that still counts as running (Karpenter's instanceStateFilter). */
const LiveStates = ["pending", "running", "stopping", "stopped", "shutting-down"];

/**
 * EC2 through CreateFleet, as Karpenter's AWS provider launches: the claim's EC2NodeClass (its
 * resolved `status`) gives subnets, security groups, AMIs and instance profile; a launch template
 * per AMI (named by a hash of its contents, made once); one instant fleet for one instance with
 * an override per allowed offering, so EC2 picks the cheapest it has. Capacity errors name their
 * offerings (InsufficientCapacityError); instances are found again by carpool's tags.
 */
export class AwsCloudProvider implements CloudProvider {
  readonly #store: ClusterStore;
  readonly #ec2: SdkClient;
  readonly #clusterName: string;
  readonly #instanceTypes: AwsCloudProviderOptions["instanceTypes"];
  readonly #userData: AwsCloudProviderOptions["userData"];
  readonly #log: LaunchLog | undefined;
  readonly #onUnavailable: AwsCloudProviderOptions["onUnavailable"];
  readonly #reservations: ReservationLaunches | undefined;
  readonly #templates: LaunchTemplates;

  constructor(options: AwsCloudProviderOptions) {
    this.#store = options.store;
    this.#ec2 = options.ec2;
    this.#clusterName = options.clusterName;
    this.#instanceTypes = options.instanceTypes;
    this.#userData = options.userData;
    this.#log = options.log;
    this.#onUnavailable = options.onUnavailable;
    this.#reservations = options.reservations;
    this.#templates = new LaunchTemplates(options.ec2, options.clock, options.clusterName);
  }

  async create(claim: NodeClaim): Promise<NodeClaim> {
    const name = claim.metadata.name;
    if (!name) throw new Error("a NodeClaim needs a name to be launched");
    const nodeClass = await readyEC2NodeClass(this.#store, claim.spec.nodeClassRef);
    const view = launchNodeClass(nodeClass);
    const requirements = Requirements.from(claim.spec.requirements);
    const subnetByZone = firstSubnetByZone(view);
    // Only offerings in a zone the class has a subnet in, of types one of its AMIs boots.
    const allowed = allowedOfferings(await this.#instanceTypes(nodeClass), requirements).filter(
      (c) => subnetByZone.has(c.offering.zone) && amiFor(c.instanceType, view.amis) !== undefined,
    );
    const launchable = allowed.filter((c) => c.offering.available);
    if (launchable.length === 0) throw insufficientCapacity(claim, allowed);
    const capacityType = chooseCapacityType(requirements, launchable);
    const choices = fleetChoices(launchable, capacityType);
    // The node registers with the capacity type it is bought as, as Karpenter labels it.
    const labelled: NodeClaim = {
      ...claim,
      metadata: {
        ...claim.metadata,
        labels: { ...claim.metadata.labels, [Labels.capacityType]: capacityType },
      },
    };
    const userData = await this.#userData(labelled, nodeClass);
    const redact = redactor(userData.secrets);
    try {
      return await this.#launch(labelled, view, choices, capacityType, userData, subnetByZone);
    } catch (error) {
      if (error instanceof Error) error.message = redact(error.message);
      throw error;
    }
  }

  async delete(claim: NodeClaim): Promise<void> {
    const providerID = claim.status?.providerID ?? "";
    const instance = await this.#instance(providerID);
    // Already on its way out: EC2 finishes it, and a later delete finds it gone.
    if (instance.State?.Name === "shutting-down") return;
    // Its place in the reservation is counted free at once (Karpenter's MarkTerminated).
    if (instance.CapacityReservationId)
      this.#reservations?.markTerminated(instance.CapacityReservationId);
    try {
      await this.#ec2.send(
        new TerminateInstancesCommand({ InstanceIds: [instance.InstanceId ?? ""] }),
      );
    } catch (error) {
      if (isNotFound(error)) throw new NodeClaimNotFoundError(providerID);
      throw error;
    }
  }

  async get(providerID: string): Promise<NodeClaim> {
    return instanceClaim(await this.#instance(providerID), await this.#instanceTypes());
  }

  /** carpool's instances of this cluster (tagged owned, with a pool), as garbage collection sees them. */
  async list(): Promise<NodeClaim[]> {
    const filters = [
      { Name: `tag:${clusterOwnedTag(this.#clusterName)}`, Values: ["owned"] },
      { Name: "tag-key", Values: [TagKeys.nodePool] },
      { Name: "instance-state-name", Values: LiveStates },
    ];
    const instances: Instance[] = [];
    let nextToken: string | undefined;
    do {
      const page = (await this.#ec2.send(
        new DescribeInstancesCommand({ Filters: filters, NextToken: nextToken }),
      )) as DescribeInstancesCommandOutput;
      for (const reservation of page.Reservations ?? [])
        instances.push(...(reservation.Instances ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    const types = await this.#instanceTypes();
    return instances
      .sort((a, b) => ((a.InstanceId ?? "") < (b.InstanceId ?? "") ? -1 : 1))
      .map((instance) => instanceClaim(instance, types));
  }

  async instanceTypes(): Promise<readonly InstanceType[]> {
    return this.#instanceTypes();
  }

  async isDrifted(claim: NodeClaim): Promise<string | undefined> {
    const nodeClass = await this.#store.get("EC2NodeClass", claim.spec.nodeClassRef.name);
    if (nodeClass === undefined || claim.status?.providerID === undefined) return undefined;
    let instance: Instance;
    try {
      instance = await this.#instance(claim.status.providerID);
    } catch (error) {
      // A gone instance is garbage collection's to notice, not drift.
      if (error instanceof NodeClaimNotFoundError) return undefined;
      throw error;
    }
    return instanceDrift(claim, instance, launchNodeClass(nodeClass));
  }

  /** Deletes carpool's launch templates of a class (call when the class is deleted). */
  async deleteLaunchTemplates(nodeClassName: string): Promise<string[]> {
    const deleted = await this.#templates.deleteForNodeClass(nodeClassName);
    if (deleted.length > 0)
      this.#log?.info(
        { nodeClass: nodeClassName, launchTemplates: deleted },
        "deleted launch templates",
      );
    return deleted;
  }

  /** Deletes the cluster's carpool launch templates no launch has used for `idleMs`. */
  async deleteIdleLaunchTemplates(idleMs: number): Promise<string[]> {
    const deleted = await this.#templates.deleteIdle(idleMs);
    if (deleted.length > 0)
      this.#log?.info({ launchTemplates: deleted }, "deleted idle launch templates");
    return deleted;
  }

  async #launch(
    claim: NodeClaim,
    view: LaunchNodeClass,
    choices: readonly OfferingChoice[],
    capacityType: LaunchCapacityType,
    userData: UserData,
    subnetByZone: ReadonlyMap<string, string>,
  ): Promise<NodeClaim> {
    const name = claim.metadata.name ?? "";
    const nodePool = claim.metadata.labels?.[Labels.nodePool] ?? "";
    const tags = resourceTags(view.tags, view.name, nodePool, this.#clusterName);
    const templates = await this.#ensureTemplates(
      view,
      choices,
      userData.content,
      tags,
      capacityType,
    );
    const input = fleetRequest({
      templates,
      subnetByZone,
      capacityType,
      tags: instanceTags(tags, claim, view.tags),
    });
    let output = await this.#createFleet(input);
    // A template deleted behind carpool's back: made again, and the fleet tried once more
    // (Karpenter retries once on a launch template not found).
    if (templateMissing(output)) {
      for (const t of templates) this.#templates.forget(t.launchTemplateName);
      await this.#ensureTemplates(view, choices, userData.content, tags, capacityType);
      output = await this.#createFleet(input);
    }
    const outcome = fleetOutcome(name, output, capacityType);
    this.#reservationsFull(
      choices,
      outcome.kind === "launched"
        ? outcome.unavailable
        : outcome.error instanceof InsufficientCapacityError
          ? outcome.error.offerings
          : [],
    );
    if (outcome.kind === "failed") {
      const error = outcome.error;
      if (error instanceof LaunchFailedError || error.offerings.length > 0) throw error;
      // Capacity errors that named no override: every offering sent is out for now.
      throw new InsufficientCapacityError(
        error.message,
        insufficientCapacity(claim, choices).offerings,
      );
    }
    if (outcome.unavailable.length > 0) {
      this.#log?.info(
        { nodeClaim: name, offerings: outcome.unavailable },
        "offerings out of capacity; launched another",
      );
      // Karpenter marks them unavailable even when the fleet found capacity elsewhere.
      this.#onUnavailable?.(outcome.unavailable);
    }
    const launched = outcome.instance;
    const zone =
      launched.zone ?? view.subnets.find((s) => s.id === launched.subnetId)?.zone ?? undefined;
    const choice =
      choices.find(
        (c) => c.instanceType.name === launched.instanceType && c.offering.zone === zone,
      ) ?? choices.find((c) => c.instanceType.name === launched.instanceType);
    if (choice === undefined)
      throw new LaunchFailedError(
        "UnexpectedInstanceType",
        `CreateFleet launched ${launched.instanceId} as ${launched.instanceType}, which carpool did not ask for`,
      );
    const imageId =
      templates.find((t) => t.choices.includes(choice))?.imageId ??
      amiFor(choice.instanceType, view.amis) ??
      "";
    const reservation = reservationOf(choice);
    if (reservation !== undefined) this.#reservations?.markLaunched(reservation.id);
    return launchedClaim(claim, choice, launched.instanceId, imageId, view);
  }

  /**
   * Reservations EC2 found full (ReservationCapacityExceeded and the other capacity codes on a
   * reserved override): launch nothing more into them until the next sync, as Karpenter's
   * MarkUnavailable; the offerings themselves go the onUnavailable / InsufficientCapacity way.
   */
  #reservationsFull(
    choices: readonly OfferingChoice[],
    failed: InsufficientCapacityError["offerings"],
  ): void {
    for (const f of failed) {
      if (f.capacityType !== "reserved") continue;
      const choice = choices.find(
        (c) => c.instanceType.name === f.instanceType && c.offering.zone === f.zone,
      );
      const reservation = choice === undefined ? undefined : reservationOf(choice);
      if (reservation !== undefined) this.#reservations?.markUnavailable(reservation.id);
    }
  }

  /**
   * One launch template per AMI the chosen types boot, in the order of the cheapest type; for a
   * reserved launch one per AMI and reservation, each targeting its reservation (Karpenter's
   * resolved launch templates carry a CapacityReservationID).
   */
  async #ensureTemplates(
    view: LaunchNodeClass,
    choices: readonly OfferingChoice[],
    userData: string,
    tags: Readonly<Record<string, string>>,
    capacityType: LaunchCapacityType,
  ): Promise<TemplateChoices[]> {
    const groups = new Map<
      string,
      { imageId: string; reservation?: ReservationTarget; choices: OfferingChoice[] }
    >();
    for (const choice of choices) {
      const imageId = amiFor(choice.instanceType, view.amis) ?? "";
      const reservation = capacityType === "reserved" ? reservationOf(choice) : undefined;
      const key = `${imageId}/${reservation?.id ?? ""}`;
      const group = groups.get(key) ?? {
        imageId,
        ...(reservation !== undefined && { reservation }),
        choices: [],
      };
      group.choices.push(choice);
      groups.set(key, group);
    }
    const templates: TemplateChoices[] = [];
    for (const { imageId, reservation, choices: ofGroup } of groups.values()) {
      const request = launchTemplateRequest({
        clusterName: this.#clusterName,
        nodeClass: view,
        imageId,
        userData,
        tags,
        capacityType,
        ...(reservation !== undefined && { reservation }),
      });
      try {
        await this.#templates.ensure(request);
      } catch (error) {
        throw new LaunchFailedError(
          awsErrorCode(error) ?? "LaunchTemplateFailed",
          `launch template ${request.name} for EC2NodeClass/${view.name}: ${awsErrorMessage(error)}`,
        );
      }
      templates.push({
        launchTemplateName: request.name,
        imageId,
        choices: ofGroup,
        ...(reservation !== undefined && { reservation }),
      });
    }
    return templates;
  }

  async #createFleet(
    input: ReturnType<typeof fleetRequest>,
  ): Promise<Pick<CreateFleetCommandOutput, "Instances" | "Errors">> {
    try {
      return (await this.#ec2.send(new CreateFleetCommand(input))) as CreateFleetCommandOutput;
    } catch (error) {
      const code = awsErrorCode(error) ?? "CreateFleetFailed";
      // Answered as a fleet error, so the caller's retry sees it the same way.
      if (LaunchTemplateNotFoundCodes.has(code))
        return { Errors: [{ ErrorCode: code, ErrorMessage: awsErrorMessage(error) }] };
      throw new LaunchFailedError(code, `CreateFleet: ${awsErrorMessage(error)}`);
    }
  }

  /** The live instance behind an `aws:///zone/i-…` provider ID; NodeClaimNotFoundError if none. */
  async #instance(providerID: string): Promise<Instance> {
    const id = parseInstanceID(providerID);
    if (id === undefined) throw new NodeClaimNotFoundError(providerID);
    let out: DescribeInstancesCommandOutput;
    try {
      out = (await this.#ec2.send(
        new DescribeInstancesCommand({
          InstanceIds: [id],
          Filters: [{ Name: "instance-state-name", Values: LiveStates }],
        }),
      )) as DescribeInstancesCommandOutput;
    } catch (error) {
      if (isNotFound(error)) throw new NodeClaimNotFoundError(providerID);
      throw error;
    }
    const instance = out.Reservations?.flatMap((r) => r.Instances ?? []).find(
      (i) => i.InstanceId === id,
    );
    if (instance === undefined) throw new NodeClaimNotFoundError(providerID);
    return instance;
  }
}

/**
 * The subnet to launch into in each zone: the first of `status.subnets` there (the node class
 * controller orders them by free addresses, as Karpenter picks the zone's subnet with the most).
 */
function firstSubnetByZone(view: LaunchNodeClass): Map<string, string> {
  const byZone = new Map<string, string>();
  for (const subnet of view.subnets)
    if (!byZone.has(subnet.zone)) byZone.set(subnet.zone, subnet.id);
  return byZone;
}

function templateMissing(output: Pick<CreateFleetCommandOutput, "Instances" | "Errors">): boolean {
  const launched = output.Instances?.some((i) => (i.InstanceIds ?? []).length > 0) ?? false;
  return (
    !launched &&
    (output.Errors ?? []).some((e) => LaunchTemplateNotFoundCodes.has(e.ErrorCode ?? ""))
  );
}
