import type { CapacityReservationStatus } from "../../../api/ec2nodeclass.ts";
import { ec2NodeClassErrors } from "../../../api/ec2nodeclass-rules.ts";
import type { EC2NodeClass } from "../../../api/nodeclass.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { ClusterStore } from "../../../ports/cluster-store.ts";
import type { EventRecorder } from "../../../ports/event-recorder.ts";
import type { SdkClient } from "../catalog-source.ts";
import { AmiResolver, AmiSelectorError } from "./amis.ts";
import {
  CapacityReservations,
  reservationStatus,
  reservationTerms,
} from "./capacity-reservations.ts";
import {
  type ConditionState,
  ConditionTypes,
  conditionFalse,
  conditionTrue,
  errorReason,
  readyCondition,
  type StampedCondition,
  stampConditions,
} from "./conditions.ts";
import {
  NodeClassHashAnnotation,
  NodeClassHashVersion,
  NodeClassHashVersionAnnotation,
  nodeClassHash,
} from "./hash.ts";
import { InstanceProfiles, instanceProfileName, instanceProfileTags } from "./instance-profile.ts";
import { type ResolvedSecurityGroup, resolveSecurityGroups } from "./security-groups.ts";
import { type ReadSpecResult, readSpec } from "./spec.ts";
import { type ResolvedSubnet, resolveSubnets } from "./subnets.ts";
import { CacheTtl, TtlCache } from "./ttl-cache.ts";

/** Karpenter's EC2NodeClass finalizer: deletion waits for the class's NodeClaims, then cleans up. */
export const TerminationFinalizer = "karpenter.k8s.aws/termination";

/** The structured logger the controller reports resolutions to (pino's shape). */
export interface NodeClassLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface EC2NodeClassControllerOptions {
  readonly store: ClusterStore;
  readonly events: EventRecorder;
  readonly clock: Clock;
  readonly ec2: SdkClient;
  readonly ssm: SdkClient;
  readonly iam: SdkClient;
  readonly clusterName: string;
  readonly region: string;
  /** `major.minor` of the API server (its /version), for the AMI aliases' SSM paths. */
  readonly kubernetesVersion: string;
  readonly log?: NodeClassLog;
  /**
   * Cleans up what the launch path made for a class (its launch templates) once no NodeClaim uses
   * it, before the finalizer goes; a failure keeps the finalizer and is told in an Event.
   */
  readonly onFinalize?: (nodeClassName: string) => Promise<void>;
  /**
   * The capacity reservations provider shared with the instance types and the launch path (they
   * read its counts); the controller makes its own when none is given.
   */
  readonly capacityReservations?: CapacityReservations;
}

/** What `status` holds once resolved; the fields Karpenter's launch path reads. */
export interface ResolvedStatus {
  subnets?: { id: string; zone: string; zoneID?: string }[];
  securityGroups?: { id: string; name: string }[];
  amis?: { id: string; name: string; requirements: unknown[]; deprecated?: boolean }[];
  instanceProfile?: string;
  capacityReservations?: CapacityReservationStatus[];
  conditions?: StampedCondition[];
}

/**
 * The EC2NodeClass controller (Karpenter's pkg/controllers/nodeclass): resolves each class's
 * subnets, security groups, AMIs, instance profile and capacity reservations into `status`, with a
 * condition per part, ValidationSucceeded and Ready; stamps the drift hash annotation and the termination finalizer;
 * on deletion waits until no NodeClaim uses the class, then deletes the instance profile it made.
 * A bad spec or an AWS error becomes a False condition and an Event, never an exception.
 */
export class EC2NodeClassController {
  readonly name = "ec2nodeclass";
  readonly #o: EC2NodeClassControllerOptions;
  readonly #amis: AmiResolver;
  readonly #profiles: InstanceProfiles;
  readonly #subnets: TtlCache<ResolvedSubnet[]>;
  readonly #securityGroups: TtlCache<ResolvedSecurityGroup[]>;
  readonly #reservations: CapacityReservations;
  /** The claims each deleting class last waited on, so the Event is told once per change. */
  readonly #waitingOn = new Map<string, string>();

  constructor(options: EC2NodeClassControllerOptions) {
    this.#o = options;
    this.#amis = new AmiResolver(options);
    this.#profiles = new InstanceProfiles(options);
    this.#subnets = new TtlCache(options.clock, CacheTtl.default);
    this.#securityGroups = new TtlCache(options.clock, CacheTtl.default);
    this.#reservations =
      options.capacityReservations ?? new CapacityReservations(options.ec2, options.clock);
  }

  async reconcile(): Promise<void> {
    for (const nodeClass of await this.#o.store.list("EC2NodeClass")) {
      try {
        if (nodeClass.metadata.deletionTimestamp !== undefined) await this.#finalize(nodeClass);
        else await this.#reconcileOne(nodeClass);
      } catch (error) {
        // A write that failed (a conflict, the API server away) is tried again next pass.
        this.#o.log?.warn(
          { kind: "EC2NodeClass", name: nodeClass.metadata.name, error },
          "reconciling EC2NodeClass failed",
        );
      }
    }
  }

  async #reconcileOne(nodeClass: EC2NodeClass): Promise<void> {
    const reading = readSpec(nodeClass);
    const { spec } = reading;
    // The API's own statement of Karpenter's CEL rules where the spec has the schema's shape;
    // the reader's checks where it does not (a store that validated nothing).
    const ruleErrors = nodeClass.spec === undefined ? [] : ec2NodeClassErrors(nodeClass);
    const errors = ruleErrors.length > 0 ? ruleErrors : reading.errors;
    const before = (nodeClass.status ?? {}) as ResolvedStatus;
    const status: ResolvedStatus = { ...before };

    const subnets = await this.#part(
      () =>
        this.#subnets.get(JSON.stringify(spec.subnetSelectorTerms), () =>
          resolveSubnets(this.#o.ec2, spec.subnetSelectorTerms),
        ),
      ConditionTypes.subnetsReady,
      ["SubnetsNotFound", "SubnetSelector did not match any Subnets"],
    );
    if (subnets.value !== undefined)
      status.subnets = subnets.value.map(({ id, zone, zoneID }) => ({
        id,
        zone,
        ...(zoneID && { zoneID }),
      }));
    else if (subnets.condition.reason === "SubnetsNotFound") delete status.subnets;

    const groups = await this.#part(
      () =>
        this.#securityGroups.get(JSON.stringify(spec.securityGroupSelectorTerms), () =>
          resolveSecurityGroups(this.#o.ec2, spec.securityGroupSelectorTerms),
        ),
      ConditionTypes.securityGroupsReady,
      ["SecurityGroupsNotFound", "SecurityGroupSelector did not match any SecurityGroups"],
    );
    if (groups.value !== undefined) status.securityGroups = groups.value;
    else if (groups.condition.reason === "SecurityGroupsNotFound") delete status.securityGroups;

    const amis = await this.#part(
      () => this.#amis.resolve(spec.amiSelectorTerms, this.#o.kubernetesVersion),
      ConditionTypes.amisReady,
      ["AMINotFound", "AMISelector did not match any AMIs"],
    );
    if (amis.value !== undefined)
      status.amis = amis.value.map((a) => ({
        id: a.id,
        name: a.name,
        requirements: [...a.requirements],
        ...(a.deprecated && { deprecated: true }),
      }));
    else if (amis.condition.reason === "AMINotFound") delete status.amis;

    const profile = await this.#instanceProfile(nodeClass, spec);
    if (profile.name !== undefined) status.instanceProfile = profile.name;

    const reservations = await this.#capacityReservations(nodeClass);
    if (reservations.value !== undefined) {
      if (reservations.value.length > 0) status.capacityReservations = reservations.value;
      else delete status.capacityReservations;
    }

    const dependents = [
      subnets.condition,
      groups.condition,
      amis.condition,
      profile.condition,
      reservations.condition,
    ];
    const validation = validationCondition(errors, dependents);
    const conditions = [...dependents, validation, readyCondition([...dependents, validation])];
    await this.#write(nodeClass, status, conditions);
  }

  /** One resolution as a condition: found, found nothing, or failed (its previous status kept). */
  async #part<T>(
    resolve: () => Promise<T[]>,
    type: string,
    [notFoundReason, notFoundMessage]: [string, string],
  ): Promise<{ value?: T[]; condition: ConditionState }> {
    try {
      const value = await resolve();
      if (value.length === 0)
        return { condition: conditionFalse(type, notFoundReason, notFoundMessage) };
      return { value, condition: conditionTrue(type) };
    } catch (error) {
      if (error instanceof AmiSelectorError)
        return { condition: conditionFalse(type, notFoundReason, error.message) };
      const { reason, message } = errorReason(
        error,
        `${type.replace(/Ready$/, "")}ResolutionFailed`,
      );
      return { condition: conditionFalse(type, reason, message) };
    }
  }

  /**
   * Karpenter's capacity reservation reconciler: the selected reservations, ordered by ID, into
   * status; none selected (or no terms) is True with the list cleared; an entry EC2 describes in
   * a way Karpenter does not read (a new match criteria or reservation type) is left out and
   * logged; a failed call is False with its code, the previous list kept.
   */
  async #capacityReservations(
    nodeClass: EC2NodeClass,
  ): Promise<{ value?: CapacityReservationStatus[]; condition: ConditionState }> {
    const type = ConditionTypes.capacityReservationsReady;
    try {
      const found = await this.#reservations.list(reservationTerms(nodeClass));
      const now = this.#o.clock.now();
      const value: CapacityReservationStatus[] = [];
      for (const reading of found
        .map((r) => reservationStatus(r, now))
        .sort((a, b) => compareIds(a.ok ? a.status.id : a.id, b.ok ? b.status.id : b.id))) {
        if (reading.ok) value.push(reading.status);
        else
          this.#o.log?.warn(
            { kind: "EC2NodeClass", name: nodeClass.metadata.name, id: reading.id },
            `skipped capacity reservation: ${reading.problem}`,
          );
      }
      return { value, condition: conditionTrue(type) };
    } catch (error) {
      const { reason, message } = errorReason(error, "CapacityReservationResolutionFailed");
      return { condition: conditionFalse(type, reason, message) };
    }
  }

  async #instanceProfile(
    nodeClass: EC2NodeClass,
    spec: ReadSpecResult["spec"],
  ): Promise<{ name?: string; condition: ConditionState }> {
    const type = ConditionTypes.instanceProfileReady;
    try {
      if (spec.role !== undefined) {
        const name = instanceProfileName(this.#owner(nodeClass));
        await this.#profiles.ensure(
          name,
          spec.role,
          instanceProfileTags(this.#owner(nodeClass), spec.tags),
        );
        return { name, condition: conditionTrue(type) };
      }
      if (spec.instanceProfile !== undefined) {
        const found = await this.#profiles.find(spec.instanceProfile);
        if (found === undefined)
          return {
            condition: conditionFalse(
              type,
              "InstanceProfileNotFound",
              `instance profile ${spec.instanceProfile} not found`,
            ),
          };
        return { name: spec.instanceProfile, condition: conditionTrue(type) };
      }
      return {
        condition: conditionFalse(
          type,
          "InstanceProfileNotFound",
          "neither spec.role nor spec.instanceProfile is set",
        ),
      };
    } catch (error) {
      const { reason, message } = errorReason(error, "InstanceProfileResolutionFailed");
      return { condition: conditionFalse(type, reason, message) };
    }
  }

  async #write(
    nodeClass: EC2NodeClass,
    status: ResolvedStatus,
    next: readonly ConditionState[],
  ): Promise<void> {
    const now = this.#o.clock.now().toISOString();
    const previous = ((nodeClass.status ?? {}) as ResolvedStatus).conditions ?? [];
    const conditions = stampConditions(next, previous, now, nodeClass.metadata.generation ?? 1);
    const spec = (nodeClass.spec ?? {}) as Record<string, unknown>;
    const finalizers = nodeClass.metadata.finalizers ?? [];
    const metadata = {
      ...nodeClass.metadata,
      annotations: {
        ...nodeClass.metadata.annotations,
        [NodeClassHashAnnotation]: nodeClassHash(spec),
        [NodeClassHashVersionAnnotation]: NodeClassHashVersion,
      },
      finalizers: finalizers.includes(TerminationFinalizer)
        ? finalizers
        : [...finalizers, TerminationFinalizer],
    };
    const nextStatus = { ...status, conditions };
    if (
      JSON.stringify(metadata) === JSON.stringify(nodeClass.metadata) &&
      JSON.stringify(nextStatus) === JSON.stringify(nodeClass.status)
    )
      return;
    await this.#o.store.update({ ...nodeClass, metadata, status: nextStatus } as EC2NodeClass);
    this.#tell(nodeClass, status, previous, conditions);
  }

  /** Events for each condition that changed (Karpenter's "Status condition transitioned") and logs for new resolutions. */
  #tell(
    nodeClass: EC2NodeClass,
    status: ResolvedStatus,
    previous: readonly StampedCondition[],
    conditions: readonly StampedCondition[],
  ): void {
    const name = nodeClass.metadata.name ?? "";
    for (const c of conditions) {
      const before = previous.find((p) => p.type === c.type);
      if (before?.status === c.status && before.reason === c.reason) continue;
      this.#o.events.record({
        kind: c.type,
        object: `EC2NodeClass/${name}`,
        message: `Status condition transitioned, Type: ${c.type}, Status: ${before?.status ?? "Unknown"} -> ${c.status}, Reason: ${c.reason}${c.message ? `, Message: ${c.message}` : ""}`,
      });
    }
    const was = (nodeClass.status ?? {}) as ResolvedStatus;
    const fields = { kind: "EC2NodeClass", name };
    if (JSON.stringify(was.subnets) !== JSON.stringify(status.subnets))
      this.#o.log?.info(
        { ...fields, subnets: status.subnets?.map((s) => `${s.id} (${s.zone})`) },
        "discovered subnets",
      );
    if (JSON.stringify(was.securityGroups) !== JSON.stringify(status.securityGroups))
      this.#o.log?.info(
        { ...fields, securityGroups: status.securityGroups?.map((g) => g.id) },
        "discovered security groups",
      );
    if (
      JSON.stringify(was.capacityReservations?.map((r) => r.id)) !==
      JSON.stringify(status.capacityReservations?.map((r) => r.id))
    )
      this.#o.log?.info(
        { ...fields, ids: status.capacityReservations?.map((r) => r.id) ?? [] },
        "discovered capacity reservations",
      );
    if (JSON.stringify(was.amis) !== JSON.stringify(status.amis))
      this.#o.log?.info(
        { ...fields, ids: [...new Set(status.amis?.map((a) => a.id))] },
        "discovered amis",
      );
  }

  /** Karpenter's Finalize: wait for the class's NodeClaims, delete the profile it made, drop the finalizer. */
  async #finalize(nodeClass: EC2NodeClass): Promise<void> {
    const name = nodeClass.metadata.name ?? "";
    const finalizers = nodeClass.metadata.finalizers ?? [];
    if (!finalizers.includes(TerminationFinalizer)) return;
    const claims = (await this.#o.store.list("NodeClaim"))
      .filter(
        (c) => c.spec.nodeClassRef.kind === "EC2NodeClass" && c.spec.nodeClassRef.name === name,
      )
      .map((c) => c.metadata.name ?? "")
      .sort();
    if (claims.length > 0) {
      const key = claims.join(",");
      if (this.#waitingOn.get(name) !== key)
        this.#o.events.record({
          kind: "WaitingOnNodeClaimTermination",
          object: `EC2NodeClass/${name}`,
          message: `Waiting on NodeClaim termination for ${claims.join(", ")}`,
        });
      this.#waitingOn.set(name, key);
      return;
    }
    this.#waitingOn.delete(name);
    const { spec } = readSpec(nodeClass);
    const created = instanceProfileName(this.#owner(nodeClass));
    if (spec.role !== undefined) {
      try {
        await this.#profiles.delete(created);
      } catch (error) {
        const { reason, message } = errorReason(error, "InstanceProfileDeletionFailed");
        this.#o.events.record({
          kind: "InstanceProfileDeletionFailed",
          object: `EC2NodeClass/${name}`,
          message: `deleting instance profile ${created}: ${reason}: ${message}`,
        });
        return;
      }
    }
    if (this.#o.onFinalize !== undefined) {
      try {
        await this.#o.onFinalize(name);
      } catch (error) {
        const { reason, message } = errorReason(error, "LaunchTemplateDeletionFailed");
        this.#o.events.record({
          kind: "LaunchTemplateDeletionFailed",
          object: `EC2NodeClass/${name}`,
          message: `deleting launch templates: ${reason}: ${message}`,
        });
        return;
      }
    }
    await this.#o.store.update({
      ...nodeClass,
      metadata: {
        ...nodeClass.metadata,
        finalizers: finalizers.filter((f) => f !== TerminationFinalizer),
      },
    });
  }

  #owner(nodeClass: EC2NodeClass) {
    return {
      clusterName: this.#o.clusterName,
      region: this.#o.region,
      nodeClassName: nodeClass.metadata.name ?? "",
    };
  }
}

/**
 * ValidationSucceeded: the spec's own rules first (restricted tags as Karpenter's
 * TagValidationFailed, other rules the API server would have refused as SpecValidationFailed),
 * then DependenciesNotReady while any resolution is False, as Karpenter's validation reconciler.
 */
function validationCondition(
  errors: ReadSpecResult["errors"],
  dependents: readonly ConditionState[],
): ConditionState {
  const type = ConditionTypes.validationSucceeded;
  const describe = (list: typeof errors) => list.map((e) => `${e.path}: ${e.message}`).join("; ");
  const tagErrors = errors.filter((e) => e.path.startsWith("spec.tags"));
  if (errors.length > tagErrors.length)
    return conditionFalse(
      type,
      "SpecValidationFailed",
      describe(errors.filter((e) => !tagErrors.includes(e))),
    );
  if (tagErrors.length > 0) return conditionFalse(type, "TagValidationFailed", describe(tagErrors));
  if (dependents.some((c) => c.status === "False"))
    return conditionFalse(
      type,
      "DependenciesNotReady",
      "Awaiting AMI, Instance Profile, Security Group, and Subnet resolution",
    );
  return conditionTrue(type);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
