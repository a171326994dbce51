import type { ClusterSnapshot } from "../cluster/snapshot.ts";
import type { SolverInput } from "./solve.ts";

/** The solver's view of a snapshot (volumes indexed by name), without the catalog. */
export function solverInput(snapshot: ClusterSnapshot): Omit<SolverInput, "catalog"> {
  return {
    pendingPods: snapshot.pendingPods,
    boundPods: snapshot.boundPods,
    nodes: snapshot.nodes,
    nodeClaims: snapshot.nodeClaims,
    nodePools: snapshot.nodePools,
    daemonSets: snapshot.daemonSets,
    nodeClasses: snapshot.nodeClasses,
    volumes: {
      claims: new Map(
        snapshot.persistentVolumeClaims.map((c) => [
          `${c.metadata.namespace ?? "default"}/${c.metadata.name}`,
          c,
        ]),
      ),
      volumes: new Map(snapshot.persistentVolumes.map((v) => [v.metadata.name ?? "", v])),
      storageClasses: new Map(snapshot.storageClasses.map((c) => [c.metadata.name ?? "", c])),
    },
  };
}
