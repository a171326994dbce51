import type { EC2NodeClass } from "../api/ec2nodeclass.ts";
import { amiFamilyOf } from "../api/ec2nodeclass-defaults.ts";
import type { NodePool } from "../api/nodepool.ts";
import { Labels } from "../api/wellknown.ts";
import type { Catalog, InstanceType } from "./instance-type.ts";

/**
 * An EC2 instance type is not Linux or Windows by itself: the AMI family of the node class decides
 * (Karpenter's AWS provider, pkg/providers/instancetype/types.go getOS and the windows-build
 * label). Windows families run on amd64 types only and carry their build; every other family is
 * Linux.
 */
const WindowsBuilds: Readonly<Record<string, string>> = {
  Windows2019: "10.0.17763",
  Windows2022: "10.0.20348",
  Windows2025: "10.0.26100",
};

/** The type as a node of this AMI family is; undefined where the family cannot run on it. */
export function forAmiFamily(type: InstanceType, amiFamily: string): InstanceType | undefined {
  const build = WindowsBuilds[amiFamily];
  if (build === undefined) {
    if (type.labels[Labels.os] === "linux" && type.labels[Labels.windowsBuild] === undefined)
      return type;
    const { [Labels.windowsBuild]: _build, ...labels } = type.labels;
    return { ...type, labels: { ...labels, [Labels.os]: "linux" } };
  }
  if (type.labels[Labels.arch] !== "amd64") return undefined;
  return {
    ...type,
    labels: { ...type.labels, [Labels.os]: "windows", [Labels.windowsBuild]: build },
  };
}

/** The types a node class's nodes can be: Linux or Windows by its AMI family. */
export function typesForNodeClass(
  types: readonly InstanceType[],
  nodeClass: EC2NodeClass,
): InstanceType[] {
  if (nodeClass.spec === undefined) return [...types];
  const family = amiFamilyOf(nodeClass.spec);
  return types.flatMap((type) => forAmiFamily(type, family) ?? []);
}

/**
 * The catalog as the pools of Windows EC2NodeClasses see it: their types become Windows nodes
 * (`kubernetes.io/os: windows`, `node.kubernetes.io/windows-build`), arm64 ones left out. Pools of
 * other classes see the catalog as it is. Only EC2NodeClasses given with the input are read.
 */
export function withNodeClassOS(
  catalog: Catalog,
  nodePools: readonly NodePool[],
  nodeClasses: readonly EC2NodeClass[],
): Catalog {
  const windows = new Map(
    nodeClasses
      .filter((c) => c.spec !== undefined && amiFamilyOf(c.spec) in WindowsBuilds)
      .map((c) => [c.metadata.name ?? "", c]),
  );
  if (windows.size === 0) return catalog;
  const byPool = new Map(catalog.byPool);
  for (const pool of nodePools) {
    const ref = pool.spec.template.spec.nodeClassRef;
    const nodeClass = ref.kind === "EC2NodeClass" ? windows.get(ref.name) : undefined;
    if (nodeClass === undefined) continue;
    const name = pool.metadata.name ?? "";
    byPool.set(name, typesForNodeClass(byPool.get(name) ?? catalog.instanceTypes, nodeClass));
  }
  return { ...catalog, byPool };
}
