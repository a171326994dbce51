import type { EC2NodeClass } from "../api/ec2nodeclass.ts";
import type { NodeClassReference } from "../api/nodepool.ts";
import { nodeCostModelOf } from "./ec2-node-cost.ts";
import { type NodeExtras, NoExtras, nodeExtrasPerHour } from "./node-cost.ts";

/** What decides the extras of a pool's nodes, gathered once per solve. */
export interface NodeExtrasSource {
  /** The catalog's region; a user catalog has none, and its prices are taken as whole. */
  readonly region: string | undefined;
  /** The EC2NodeClasses of the snapshot, validated. */
  readonly nodeClasses: readonly EC2NodeClass[];
  /**
   * By EC2NodeClass name: whether its subnets give instances a public IPv4 address
   * (MapPublicIpOnLaunch), when the provider knows; unknown counts as no.
   */
  readonly subnetsAssignPublicIPv4?: ReadonlyMap<string, boolean>;
}

export type NodeExtrasOf = (ref: NodeClassReference | undefined) => NodeExtras;

/**
 * The hourly extras of a node of each node class. Only EC2NodeClasses priced from the built-in
 * AWS catalog have any: kwok, static and exec classes and user catalogs state whole prices. A
 * referenced EC2NodeClass missing from the snapshot gets Karpenter's defaults (AL2023: one 20Gi
 * gp3 root), since every EC2 node has a root volume.
 */
export function nodeExtrasOf(source: NodeExtrasSource): NodeExtrasOf {
  const { region } = source;
  if (region === undefined) return () => NoExtras;
  const classes = new Map(source.nodeClasses.map((c) => [c.metadata.name ?? "", c]));
  const computed = new Map<string, NodeExtras>();
  return (ref) => {
    if (ref === undefined || ref.group !== "karpenter.k8s.aws" || ref.kind !== "EC2NodeClass")
      return NoExtras;
    let extras = computed.get(ref.name);
    if (extras === undefined) {
      const model = nodeCostModelOf(
        classes.get(ref.name) ?? {},
        source.subnetsAssignPublicIPv4?.get(ref.name) ?? false,
      );
      extras = nodeExtrasPerHour(model, region);
      computed.set(ref.name, extras);
    }
    return extras;
  };
}
