import type { ExecNodeClass } from "../../api/execnodeclass.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { InstanceType } from "../../catalog/instance-type.ts";
import type { Clock } from "../../ports/clock.ts";
import {
  type CloudProvider,
  InsufficientCapacityError,
  NodeClaimNotFoundError,
} from "../../ports/cloud-provider.ts";
import type { ClusterStore } from "../../ports/cluster-store.ts";
import { Requirements } from "../../scheduling/requirements.ts";
import type { HookOptions } from "../hooks/run-hook.ts";
import { allowedOfferings, insufficientCapacity } from "../offering-choice.ts";
import { createAnswerErrors, getAnswerErrors, listAnswerErrors } from "./answer-checks.ts";
import { callExecProvider } from "./call.ts";
import { ExecCatalog } from "./catalog.ts";
import { instanceClaim, launchedClaim, offeringOf } from "./instance.ts";
import { ExecNodeClassKind, execNodeClass } from "./node-class.ts";
import { type ExecUserData, type Instance, ProviderIDPattern } from "./protocol.ts";
import { createRequest, deleteRequest, getRequest, listRequest } from "./requests.ts";

/** User data rendered for a claim (by its node class's bootstrap), and what in it is secret. */
export interface RenderedUserData extends ExecUserData {
  /** Never repeated in an error or a log: the join token. */
  readonly secrets: readonly string[];
  /** The provider ID the user data gives the kubelet (`--provider-id`), if it sets one. */
  readonly providerID?: string | undefined;
}

export interface ExecCloudProviderOptions {
  readonly store: ClusterStore;
  readonly clock: Clock;
  /** Unused: the catalog is the cluster's InstanceType objects only; accepted as every provider takes it. */
  readonly region?: string | undefined;
  /** Renders the user data a machine boots with; undefined (or no renderer) sends none. */
  readonly userData?: (
    nodeClaim: NodeClaim,
    nodeClass: ExecNodeClass,
  ) => Promise<RenderedUserData | undefined>;
  /** Passed to every hook call (tests pass a quick `sleep`); `secrets` add to the user data's. */
  readonly hookOptions?: HookOptions;
}

const providerID = new RegExp(ProviderIDPattern);

/**
 * Any cloud through a user's command or HTTP endpoint (docs/exec-provider.md): create, delete,
 * get and list are requests of the carpool.dev/exec/v1 protocol sent through the ExecNodeClass's
 * hook, and every answer is checked before carpool believes it. Built on ports only. Which offering
 * to launch is carpool's choice as for every provider (the allowed, available ones, cheapest
 * first); the user launches the first it can and says which.
 */
export class ExecCloudProvider implements CloudProvider {
  readonly #store: ClusterStore;
  readonly #catalog: ExecCatalog;
  readonly #userData: ExecCloudProviderOptions["userData"];
  readonly #hookOptions: HookOptions;

  constructor(options: ExecCloudProviderOptions) {
    this.#store = options.store;
    this.#catalog = new ExecCatalog(options.store);
    this.#userData = options.userData;
    this.#hookOptions = options.hookOptions ?? {};
  }

  async create(nodeClaim: NodeClaim): Promise<NodeClaim> {
    const nodeClass = await execNodeClass(this.#store, nodeClaim.spec.nodeClassRef, "launch");
    const name = nodeClaim.metadata.name;
    if (!name) throw new Error("a NodeClaim needs a name to be launched");
    const allowed = allowedOfferings(
      await this.#catalog.instanceTypes(),
      Requirements.from(nodeClaim.spec.requirements),
    );
    const sent = allowed.filter((choice) => choice.offering.available);
    if (sent.length === 0) throw insufficientCapacity(nodeClaim, allowed);
    const rendered = await this.#userData?.(nodeClaim, nodeClass);
    const request = createRequest(
      nodeClass,
      nodeClaim,
      sent,
      rendered && { format: rendered.format, content: rendered.content },
      rendered?.providerID,
    );
    const answer = await callExecProvider(nodeClass, "create", request, {
      ...this.#hookOptions,
      secrets: [...(this.#hookOptions.secrets ?? []), ...(rendered?.secrets ?? [])],
      check: createAnswerErrors(name, sent, rendered?.providerID),
    });
    if (answer.kind === "ErrorResponse")
      throw new InsufficientCapacityError(
        `no capacity for ${name} (ExecNodeClass/${nodeClass.metadata.name}): ${answer.error.message}`,
        (answer.error.offerings ?? request.offerings).map(
          ({ instanceType, zone, capacityType }) => ({ instanceType, zone, capacityType }),
        ),
      );
    const choice = offeringOf(answer.instance, sent);
    if (choice === undefined) throw new Error("a checked CreateResponse names an offering sent");
    return launchedClaim(nodeClaim, answer.instance, choice);
  }

  async delete(nodeClaim: NodeClaim): Promise<void> {
    const id = nodeClaim.status?.providerID ?? "";
    if (!providerID.test(id)) throw new NodeClaimNotFoundError(id);
    const nodeClass = await execNodeClass(this.#store, nodeClaim.spec.nodeClassRef, "reach");
    const request = deleteRequest(nodeClass, id, nodeClaim.metadata.name);
    const answer = await callExecProvider(nodeClass, "delete", request, this.#hookOptions);
    if (answer.kind === "ErrorResponse") throw new NodeClaimNotFoundError(id);
  }

  /**
   * Asked of the node class of the NodeClaim with this provider ID, else of every ExecNodeClass
   * in name order until one has it. An instance without carpool's tag, or terminating, is not
   * found (as list leaves it out).
   */
  async get(id: string): Promise<NodeClaim> {
    if (!providerID.test(id)) throw new NodeClaimNotFoundError(id);
    let failure: unknown;
    for (const nodeClass of await this.#classesFor(id)) {
      try {
        const answer = await callExecProvider(nodeClass, "get", getRequest(nodeClass, id), {
          ...this.#hookOptions,
          check: getAnswerErrors(id),
        });
        if (answer.kind === "ErrorResponse" || !isCarpools(answer.instance)) continue;
        return instanceClaim(
          nodeClass.metadata.name ?? "",
          answer.instance,
          await this.#catalog.instanceTypes(),
        );
      } catch (error) {
        failure ??= error;
      }
    }
    throw failure ?? new NodeClaimNotFoundError(id);
  }

  /** What garbage collection sees: the tagged, not terminating instances of every ExecNodeClass. */
  async list(): Promise<NodeClaim[]> {
    const classes = sortByName(await this.#store.list("ExecNodeClass"));
    const answers = await Promise.all(
      classes.map((nodeClass) =>
        callExecProvider(nodeClass, "list", listRequest(nodeClass), {
          ...this.#hookOptions,
          check: listAnswerErrors,
        }),
      ),
    );
    const instanceTypes = await this.#catalog.instanceTypes();
    const seen = new Set<string>();
    const claims: NodeClaim[] = [];
    answers.forEach((answer, i) => {
      if (answer.kind === "ErrorResponse") return;
      for (const instance of answer.instances) {
        // Two classes may reach one cloud: the first (by name) to report an instance owns it.
        if (!isCarpools(instance) || seen.has(instance.providerID)) continue;
        seen.add(instance.providerID);
        claims.push(instanceClaim(classes[i]?.metadata.name ?? "", instance, instanceTypes));
      }
    });
    return claims;
  }

  async instanceTypes(): Promise<readonly InstanceType[]> {
    return this.#catalog.instanceTypes();
  }

  async isDrifted(): Promise<string | undefined> {
    return undefined;
  }

  async #classesFor(id: string): Promise<ExecNodeClass[]> {
    const owner = (await this.#store.list("NodeClaim")).find((c) => c.status?.providerID === id);
    if (owner?.spec.nodeClassRef.kind === ExecNodeClassKind) {
      const nodeClass = await this.#store.get("ExecNodeClass", owner.spec.nodeClassRef.name);
      if (nodeClass !== undefined) return [nodeClass];
    }
    return sortByName(await this.#store.list("ExecNodeClass"));
  }
}

function isCarpools(instance: Instance): instance is Instance & { readonly nodeClaim: string } {
  return instance.nodeClaim !== undefined && instance.state !== "terminating";
}

function sortByName(classes: ExecNodeClass[]): ExecNodeClass[] {
  return classes.sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1));
}
