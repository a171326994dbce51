import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { StaticMachine, StaticNodeClass } from "../../api/staticnodeclass.ts";
import { compareText, type InstanceType } from "../../catalog/instance-type.ts";
import type { Clock } from "../../ports/clock.ts";
import { type CloudProvider, NodeClaimNotFoundError } from "../../ports/cloud-provider.ts";
import { type ClusterStore, ConflictError, NotFoundError } from "../../ports/cluster-store.ts";
import { Requirements } from "../../scheduling/requirements.ts";
import { type HookOptions, type HookResult, runHook } from "../hooks/run-hook.ts";
import { allowedOfferings, insufficientCapacity, type OfferingChoice } from "../offering-choice.ts";
import { machineDrift } from "./drift.ts";
import { LaunchFailedError, PowerOffFailedError } from "./errors.ts";
import { powerOffDocument, powerOnDocument } from "./hook-documents.ts";
import { cheapestFreeMachine, classInstanceTypes } from "./instance-types.ts";
import { instanceClaim, launchedClaim } from "./launched-claim.ts";
import {
  claimNameOf,
  heldMachines,
  machineRecordValue,
  recordedMachine,
  staticProviderID,
  withMachineRecord,
} from "./machine-record.ts";
import { notReadyReason, readyStaticNodeClass } from "./node-class.ts";

/** The user data that joins a machine, rendered by the caller, and the secrets in it to redact. */
export interface UserData {
  readonly format: string;
  readonly content: string;
  readonly secrets: readonly string[];
}

export interface StaticCloudProviderOptions {
  readonly store: ClusterStore;
  /** Taken for symmetry with the other providers; hooks time themselves. */
  readonly clock: Clock;
  /** Renders the k3s user data of a claim (a provider never renders it itself). */
  readonly userData: (claim: NodeClaim, nodeClass: StaticNodeClass) => Promise<UserData>;
  readonly hookOptions?: HookOptions;
}

/** A claim holding a machine, as stored, and the offering the machine stands for. */
interface Held {
  readonly claim: NodeClaim;
  readonly machine: StaticMachine;
  readonly choice: OfferingChoice;
  /** Recorded by this launch (not by an earlier one that restarted). */
  readonly fresh: boolean;
}

/**
 * A site's own machines behind power hooks (StaticNodeClass): a launch takes the cheapest free
 * machine the claim allows, records it on the NodeClaim (`carpool.dev/machine`), then switches it
 * on through `powerOn` with the user data that joins it as Node `<claim>`; a delete switches it
 * off through `powerOff`. A machine is free when no NodeClaim records it, so the record is on the
 * claim and nowhere else, and a machine another claim holds is never touched. Built on ports only.
 */
export class StaticCloudProvider implements CloudProvider {
  readonly #store: ClusterStore;
  readonly #userData: StaticCloudProviderOptions["userData"];
  readonly #hookOptions: HookOptions;
  /**
   * Claims (`name/uid`) whose machine delete has switched off, until they are gone: they no longer
   * run an instance, but still hold their machine. Kept in memory only: after a restart a second
   * delete switches the machine off again, which a hook must take (hooks are idempotent).
   */
  readonly #switchedOff = new Set<string>();
  /** The secrets last rendered for each class's user data, to redact when rendering fails. */
  readonly #classSecrets = new Map<string, readonly string[]>();
  /** Choosing and recording a machine is one launch at a time, so two never pick the same one. */
  #choosing: Promise<unknown> = Promise.resolve();

  constructor(options: StaticCloudProviderOptions) {
    this.#store = options.store;
    this.#userData = options.userData;
    this.#hookOptions = options.hookOptions ?? {};
  }

  async create(nodeClaim: NodeClaim): Promise<NodeClaim> {
    const nodeClass = await readyStaticNodeClass(this.#store, nodeClaim.spec.nodeClassRef);
    if (!nodeClaim.metadata.name) throw new Error("a NodeClaim needs a name to be launched");
    const className = nodeClass.metadata.name ?? "";
    const held = await this.#exclusive(() => this.#hold(nodeClaim, nodeClass));
    const launched = launchedClaim(held.claim, held.choice);
    // Rendered for the claim as launched, so the node registers with its type, zone and the
    // machine's labels. No hook has run for a machine recorded just now: it is simply free again.
    let userData: UserData;
    try {
      userData = await this.#userData(launched, nodeClass);
    } catch (error) {
      if (held.fresh) await this.#release(held.claim);
      throw error;
    }
    this.#classSecrets.set(className, userData.secrets);
    const options = { ...this.#hookOptions, secrets: this.#secrets(userData.secrets) };
    const on = await runHook(
      nodeClass.spec.powerOn,
      powerOnDocument(held.machine, launched, className, userData),
      options,
    );
    if (!on.ok) throw await this.#launchFailed(held, nodeClass, on, options);
    return launched;
  }

  async delete(nodeClaim: NodeClaim): Promise<void> {
    const name = nodeClaim.metadata.name || claimNameOf(nodeClaim.status?.providerID ?? "") || "";
    const providerID = staticProviderID(name);
    // Only the stored claim's record counts: a claim that is gone holds nothing, and its old
    // machine may be another claim's now.
    const claim = await this.#running(name);
    const record = claim && recordedMachine(claim);
    if (claim === undefined || record === undefined) throw new NodeClaimNotFoundError(providerID);
    const nodeClass = await this.#store.get("StaticNodeClass", record.nodeClass);
    const machine = nodeClass?.spec.machines.find((m) => m.name === record.machine);
    // A machine no longer described has no hook or address to switch it off with.
    if (nodeClass === undefined || machine === undefined)
      throw new NodeClaimNotFoundError(providerID);
    const off = await runHook(
      nodeClass.spec.powerOff,
      powerOffDocument(machine, claim, record.nodeClass),
      { ...this.#hookOptions, secrets: await this.#secretsOf(claim, nodeClass) },
    );
    if (!off.ok) throw new PowerOffFailedError(machineRecordValue(record), off);
    this.#switchedOff.add(instanceKey(claim));
  }

  async get(providerID: string): Promise<NodeClaim> {
    const claim = await this.#running(claimNameOf(providerID) ?? "");
    if (claim === undefined || recordedMachine(claim) === undefined)
      throw new NodeClaimNotFoundError(providerID);
    return instanceClaim(claim);
  }

  async list(): Promise<NodeClaim[]> {
    const claims = await this.#store.list("NodeClaim");
    const present = new Set(claims.map(instanceKey));
    for (const key of this.#switchedOff) if (!present.has(key)) this.#switchedOff.delete(key);
    return claims
      .filter((c) => recordedMachine(c) !== undefined && !this.#switchedOff.has(instanceKey(c)))
      .map(instanceClaim);
  }

  /**
   * Every ready StaticNodeClass's types, by name. Type names are the catalog's keys: a name two
   * classes use is the first class's (by class name).
   */
  async instanceTypes(): Promise<readonly InstanceType[]> {
    const classes = (await this.#store.list("StaticNodeClass"))
      .filter((c) => notReadyReason(c) === undefined)
      .sort((a, b) => compareText(a.metadata.name ?? "", b.metadata.name ?? ""));
    const held = heldMachines(await this.#store.list("NodeClaim"));
    const byName = new Map<string, InstanceType>();
    for (const nodeClass of classes)
      for (const type of classInstanceTypes(nodeClass, held))
        if (!byName.has(type.name)) byName.set(type.name, type);
    return [...byName.values()].sort((a, b) => compareText(a.name, b.name));
  }

  async isDrifted(nodeClaim: NodeClaim): Promise<string | undefined> {
    const record = recordedMachine(nodeClaim);
    if (record === undefined) return undefined;
    return machineDrift(nodeClaim, await this.#store.get("StaticNodeClass", record.nodeClass));
  }

  /**
   * The machine the claim holds, recording one first if it holds none: the cheapest free one its
   * requirements allow. The record is written with the claim's resourceVersion; a conflict (the
   * claim changed — perhaps another launch of it recorded a machine) reads it again and tries
   * once more.
   */
  async #hold(nodeClaim: NodeClaim, nodeClass: StaticNodeClass): Promise<Held> {
    const name = nodeClaim.metadata.name ?? "";
    const className = nodeClass.metadata.name ?? "";
    let claim =
      nodeClaim.metadata.resourceVersion === undefined ? await this.#read(name) : nodeClaim;
    for (let attempt = 1; ; attempt++) {
      if (claim === undefined)
        throw new Error(`NodeClaim/${name} is not in the cluster: a claim is launched once stored`);
      const others = (await this.#store.list("NodeClaim")).filter((c) => c.metadata.name !== name);
      const held = heldMachines(others);
      const types = classInstanceTypes(nodeClass, held);
      const again = recordedChoice(claim, nodeClass, types, others);
      if (again !== undefined) return { claim, ...again, fresh: false };
      const allowed = allowedOfferings(types, Requirements.from(claim.spec.requirements));
      const choice = allowed.find((c) => c.offering.available);
      const machine =
        choice &&
        cheapestFreeMachine(nodeClass, held, choice.instanceType.name, choice.offering.zone);
      if (choice === undefined || machine === undefined) throw insufficientCapacity(claim, allowed);
      try {
        const record = { nodeClass: className, machine: machine.name };
        const stored = await this.#store.update(withMachineRecord(claim, record));
        return { claim: stored, machine, choice, fresh: true };
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 2) throw error;
        claim = await this.#read(name);
      }
    }
  }

  /**
   * A powerOn that failed may have left the machine half started, so it is switched off before it
   * is free again; if that fails too, the claim keeps it (a retried launch switches it on again).
   */
  async #launchFailed(
    held: Held,
    nodeClass: StaticNodeClass,
    failure: Extract<HookResult, { ok: false }>,
    options: HookOptions,
  ): Promise<LaunchFailedError> {
    const className = nodeClass.metadata.name ?? "";
    const value = machineRecordValue({ nodeClass: className, machine: held.machine.name });
    const off = await runHook(
      nodeClass.spec.powerOff,
      powerOffDocument(held.machine, held.claim, className),
      options,
    );
    if (!off.ok)
      return new LaunchFailedError(
        value,
        failure,
        false,
        `; switching it off after that failed too, so NodeClaim/${held.claim.metadata.name} keeps it: ${off.message}`,
      );
    await this.#release(held.claim);
    return new LaunchFailedError(value, failure, true);
  }

  /** Removes the claim's machine record; a conflict reads the claim again and tries once more. */
  async #release(stored: NodeClaim): Promise<void> {
    const name = stored.metadata.name ?? "";
    const record = recordedMachine(stored);
    let claim: NodeClaim | undefined = stored;
    for (let attempt = 1; claim !== undefined; attempt++) {
      const current = recordedMachine(claim);
      if (current === undefined || record === undefined) return;
      if (machineRecordValue(current) !== machineRecordValue(record)) return;
      try {
        await this.#store.update(withMachineRecord(claim, undefined));
        return;
      } catch (error) {
        if (error instanceof NotFoundError) return;
        if (!(error instanceof ConflictError) || attempt >= 2) throw error;
        claim = await this.#read(name);
      }
    }
  }

  /** The stored claim of that name, unless its machine has been switched off. */
  async #running(name: string): Promise<NodeClaim | undefined> {
    const claim = await this.#read(name);
    return claim === undefined || this.#switchedOff.has(instanceKey(claim)) ? undefined : claim;
  }

  async #read(name: string): Promise<NodeClaim | undefined> {
    return name === "" ? undefined : this.#store.get("NodeClaim", name);
  }

  /**
   * The secrets a powerOff's output may repeat (a hook that prints its configuration): the class's
   * user data is rendered again for them, since a switch-off must not wait for a launch to have
   * rendered it; when that fails (the Secret is gone), the ones last rendered, and the switch-off
   * goes ahead.
   */
  async #secretsOf(claim: NodeClaim, nodeClass: StaticNodeClass): Promise<readonly string[]> {
    const className = nodeClass.metadata.name ?? "";
    try {
      const { secrets } = await this.#userData(claim, nodeClass);
      this.#classSecrets.set(className, secrets);
      return this.#secrets(secrets);
    } catch {
      return this.#secrets(this.#classSecrets.get(className) ?? []);
    }
  }

  #secrets(more: readonly string[]): readonly string[] {
    return [...(this.#hookOptions.secrets ?? []), ...more];
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#choosing.then(work);
    this.#choosing = run.catch(() => {});
    return run;
  }
}

/**
 * The machine a claim already records (a launch that restarted after recording it), with the
 * offering it stands for; undefined when it records none, or one its class no longer describes.
 */
function recordedChoice(
  claim: NodeClaim,
  nodeClass: StaticNodeClass,
  types: readonly InstanceType[],
  others: readonly NodeClaim[],
): Pick<Held, "machine" | "choice"> | undefined {
  const record = recordedMachine(claim);
  if (record === undefined || record.nodeClass !== nodeClass.metadata.name) return undefined;
  // Never written by carpool (it records free machines only): refuse rather than touch it.
  const alsoHeldBy = others.find((c) => {
    const other = recordedMachine(c);
    return other !== undefined && machineRecordValue(other) === machineRecordValue(record);
  });
  if (alsoHeldBy !== undefined)
    throw new Error(
      `machine ${machineRecordValue(record)} is recorded by NodeClaim/${claim.metadata.name} and NodeClaim/${alsoHeldBy.metadata.name}; not launched until one of the records is removed`,
    );
  const machine = nodeClass.spec.machines.find((m) => m.name === record.machine);
  const instanceType = types.find((t) => t.name === machine?.instanceType);
  const offering = instanceType?.offerings.find((o) => o.zone === machine?.zone);
  if (machine === undefined || instanceType === undefined || offering === undefined)
    return undefined;
  return { machine, choice: { instanceType, offering } };
}

/** A claim's identity across re-creation under the same name. */
function instanceKey(claim: NodeClaim): string {
  return `${claim.metadata.name}/${claim.metadata.uid ?? claim.metadata.creationTimestamp ?? ""}`;
}
