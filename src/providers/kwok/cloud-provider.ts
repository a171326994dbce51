import type { Node } from "../../api/node.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { InstanceType } from "../../catalog/instance-type.ts";
import type { Clock } from "../../ports/clock.ts";
import { type CloudProvider, NodeClaimNotFoundError } from "../../ports/cloud-provider.ts";
import { type ClusterStore, ConflictError, NotFoundError } from "../../ports/cluster-store.ts";
import { Requirements } from "../../scheduling/requirements.ts";
import { allowedOfferings, insufficientCapacity } from "../offering-choice.ts";
import { KwokCatalog } from "./catalog.ts";
import {
  instanceClaim,
  isKwokInstance,
  KwokKeys,
  kwokNode,
  launchedClaim,
  nodeNameOf,
} from "./node.ts";
import { readyNodeClass } from "./node-class.ts";

export interface KwokCloudProviderOptions {
  readonly store: ClusterStore;
  readonly clock: Clock;
  /** The built-in AWS catalog's region, used when the cluster has no InstanceType objects. */
  readonly region?: string | undefined;
}

/**
 * Nodes as API objects only (Karpenter's kwok provider): launching a NodeClaim creates a Node that
 * kwok keeps Ready and whose pods kwok runs, so NodePools can be tried on a real control plane
 * without a cloud. Built on ports only: the cluster store holds the Nodes, the node classes and
 * the InstanceType objects. It only ever reads or deletes Nodes it made (`kwok://` provider ID and
 * carpool's claim annotation).
 */
export class KwokCloudProvider implements CloudProvider {
  readonly #store: ClusterStore;
  readonly #clock: Clock;
  readonly #catalog: KwokCatalog;

  constructor(options: KwokCloudProviderOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#catalog = new KwokCatalog(options.store, options.region);
  }

  async create(nodeClaim: NodeClaim): Promise<NodeClaim> {
    await readyNodeClass(this.#store, nodeClaim.spec.nodeClassRef);
    const name = nodeClaim.metadata.name;
    if (!name) throw new Error("a NodeClaim needs a name to be launched");
    const existing = await this.#store.get("Node", name);
    if (existing !== undefined) return launchedClaim(nodeClaim, this.#madeFor(name, existing));
    const allowed = allowedOfferings(
      await this.#catalog.instanceTypes(),
      Requirements.from(nodeClaim.spec.requirements),
    );
    // An offering marked unavailable is out of capacity: kwok has no other limit to hit.
    const choice = allowed.find((c) => c.offering.available);
    if (choice === undefined) throw insufficientCapacity(nodeClaim, allowed);
    try {
      const node = await this.#store.create(kwokNode(nodeClaim, choice, this.#clock.now()));
      return launchedClaim(nodeClaim, node);
    } catch (error) {
      // Another launch of the same claim got there first (a retry racing a slow write).
      if (!(error instanceof ConflictError)) throw error;
      const raced = await this.#store.get("Node", name);
      if (raced === undefined) throw error;
      return launchedClaim(nodeClaim, this.#madeFor(name, raced));
    }
  }

  async delete(nodeClaim: NodeClaim): Promise<void> {
    const providerID = nodeClaim.status?.providerID ?? "";
    const node = await this.#instance(providerID);
    try {
      await this.#store.delete({ kind: "Node", name: node.metadata.name ?? "" });
    } catch (error) {
      if (error instanceof NotFoundError) throw new NodeClaimNotFoundError(providerID);
      throw error;
    }
  }

  async get(providerID: string): Promise<NodeClaim> {
    return instanceClaim(await this.#instance(providerID));
  }

  async list(): Promise<NodeClaim[]> {
    return (await this.#store.list("Node")).filter(isKwokInstance).map(instanceClaim);
  }

  async instanceTypes(): Promise<readonly InstanceType[]> {
    return this.#catalog.instanceTypes();
  }

  async isDrifted(): Promise<string | undefined> {
    return undefined;
  }

  async #instance(providerID: string): Promise<Node> {
    const name = nodeNameOf(providerID);
    const node = name === undefined ? undefined : await this.#store.get("Node", name);
    if (node === undefined || !isKwokInstance(node) || node.spec?.providerID !== providerID)
      throw new NodeClaimNotFoundError(providerID);
    return node;
  }

  /** The Node named for a claim, if this provider made it for that claim; an error otherwise. */
  #madeFor(claimName: string, node: Node): Node {
    if (node.metadata.deletionTimestamp !== undefined)
      throw new Error(`Node/${claimName} is being deleted; NodeClaim/${claimName} cannot reuse it`);
    if (isKwokInstance(node) && node.metadata.annotations?.[KwokKeys.nodeClaim] === claimName)
      return node;
    throw new Error(
      `Node/${claimName} exists and was not made by the kwok provider for NodeClaim/${claimName}`,
    );
  }
}
