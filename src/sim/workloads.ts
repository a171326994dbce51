import type { Pod } from "../api/pod.ts";
import type { DaemonSet, Deployment, Job, ReplicaSet, StatefulSet } from "../api/workloads.ts";
import { daemonPodFor, type PodSource, podFromTemplate } from "../cluster/workloads.ts";
import { nodeAffinityReasons } from "../scheduling/node-affinity.ts";
import { untoleratedTaints } from "../scheduling/taints.ts";
import type { InMemoryClusterStore } from "./store.ts";

/** How long a Job's pod runs once bound, from its template's annotation (e.g. `30m`). */
export const PodDurationAnnotation = "carpool.dev/duration";

/**
 * The workload controllers the simulator needs: Deployments and ReplicaSets keep `replicas` live
 * pods (new ones get fresh names; scale-down removes pending pods first, then the newest),
 * StatefulSets keep ordinals 0…n-1, Jobs run `parallelism` pods until `completions` succeed, and
 * DaemonSets put a pod on every node that pod tolerates and selects.
 */
export class WorkloadControllers {
  readonly #store: InMemoryClusterStore;
  readonly #serial = new Map<string, number>();
  /** Each Job's succeeded pods, remembered as the Job's status does after the pods are gone. */
  readonly #succeeded = new Map<string, Set<string>>();

  constructor(store: InMemoryClusterStore) {
    this.#store = store;
  }

  async reconcile(): Promise<void> {
    const pods = this.#store.listNow("Pod");
    const owned = new Map<string, Pod[]>();
    for (const pod of pods) {
      for (const owner of pod.metadata.ownerReferences ?? []) {
        const key = `${owner.kind}/${pod.metadata.namespace ?? "default"}/${owner.name}`;
        const list = owned.get(key) ?? [];
        list.push(pod);
        owned.set(key, list);
      }
    }
    const of = (kind: string, w: { metadata: { namespace?: string; name?: string } }) =>
      owned.get(`${kind}/${w.metadata.namespace ?? "default"}/${w.metadata.name ?? ""}`) ?? [];
    for (const w of [...this.#store.listNow("Deployment"), ...this.#store.listNow("ReplicaSet")])
      await this.#replicas(w, of(w.kind, w));
    for (const w of this.#store.listNow("StatefulSet"))
      await this.#ordinals(w, of("StatefulSet", w));
    for (const w of this.#store.listNow("Job")) await this.#job(w, of("Job", w));
    for (const w of this.#store.listNow("DaemonSet")) await this.#daemons(w, of("DaemonSet", w));
    await this.#orphans(pods);
  }

  async #replicas(w: Deployment | ReplicaSet, pods: Pod[]): Promise<void> {
    const live = pods.filter(isLive);
    const want = w.spec.replicas ?? 1;
    const name = w.metadata.name ?? "";
    for (let i = live.length; i < want; i++) {
      const key = `${w.kind}/${w.metadata.namespace ?? "default"}/${name}`;
      const serial = this.#serial.get(key) ?? 0;
      this.#serial.set(key, serial + 1);
      await this.#create(source(w, want), `${name}-${serial.toString(36).padStart(5, "0")}`);
    }
    const extra = [...live]
      .sort(
        (a, b) =>
          Number(Boolean(a.spec.nodeName)) - Number(Boolean(b.spec.nodeName)) ||
          compareNewest(a, b),
      )
      .slice(0, Math.max(0, live.length - want));
    for (const pod of extra) await this.#delete(pod);
  }

  async #ordinals(w: StatefulSet, pods: Pod[]): Promise<void> {
    const want = w.spec.replicas ?? 1;
    const name = w.metadata.name ?? "";
    const present = new Set(pods.filter(isLive).map((p) => p.metadata.name));
    for (let i = 0; i < want; i++)
      if (!present.has(`${name}-${i}`)) await this.#create(source(w, want), `${name}-${i}`);
    for (const pod of pods.filter(isLive)) {
      const ordinal = Number((pod.metadata.name ?? "").slice(name.length + 1));
      if (ordinal >= want) await this.#delete(pod);
    }
  }

  async #job(w: Job, pods: Pod[]): Promise<void> {
    const parallelism = w.spec.parallelism ?? 1;
    const completions = w.spec.completions ?? parallelism;
    const jobKey = `${w.metadata.namespace ?? "default"}/${w.metadata.name ?? ""}`;
    const done = this.#succeeded.get(jobKey) ?? new Set<string>();
    for (const p of pods) if (p.status?.phase === "Succeeded") done.add(p.metadata.name ?? "");
    this.#succeeded.set(jobKey, done);
    const succeeded = done.size;
    const active = pods.filter(isLive).length;
    const want = Math.min(parallelism, completions - succeeded) - active;
    const name = w.metadata.name ?? "";
    for (let i = 0; i < want; i++) {
      const key = `Job/${w.metadata.namespace ?? "default"}/${name}`;
      const serial = this.#serial.get(key) ?? 0;
      this.#serial.set(key, serial + 1);
      await this.#create(source(w, parallelism), `${name}-${serial}`);
    }
  }

  async #daemons(w: DaemonSet, pods: Pod[]): Promise<void> {
    const present = new Set(pods.filter(isLive).map((p) => p.spec.nodeName));
    for (const node of this.#store.listNow("Node")) {
      const name = node.metadata.name ?? "";
      if (present.has(name) || node.metadata.deletionTimestamp !== undefined) continue;
      const pod = daemonPodFor(w, name);
      const target = {
        name,
        labels: { "kubernetes.io/hostname": name, ...node.metadata.labels },
        taints: node.spec?.taints ?? [],
      };
      // The DaemonSet controller schedules its own pods: taints and node affinity decide.
      if (
        untoleratedTaints(target.taints, pod.spec.tolerations, { preferNoScheduleBlocks: false })
          .length > 0
      )
        continue;
      if (nodeAffinityReasons(pod, target).length > 0) continue;
      await this.#store.create({
        ...pod,
        status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
      });
    }
  }

  /** Pods whose workload is gone are deleted (garbage collection of owned objects). */
  async #orphans(pods: readonly Pod[]): Promise<void> {
    for (const pod of pods) {
      const owner = pod.metadata.ownerReferences?.[0];
      if (owner === undefined) continue;
      const kind = owner.kind as "Deployment" | "ReplicaSet" | "StatefulSet" | "Job" | "DaemonSet";
      if (!["Deployment", "ReplicaSet", "StatefulSet", "Job", "DaemonSet"].includes(kind)) continue;
      if (this.#store.getNow(kind, owner.name, pod.metadata.namespace ?? "default") === undefined)
        await this.#delete(pod);
    }
  }

  async #create(from: PodSource, name: string): Promise<void> {
    const pod = podFromTemplate(from, name, from.metadata.namespace ?? "default");
    await this.#store.create({ ...pod, status: { phase: "Pending" } });
  }

  async #delete(pod: Pod): Promise<void> {
    await this.#store.delete({
      kind: "Pod",
      name: pod.metadata.name ?? "",
      namespace: pod.metadata.namespace,
    });
  }
}

function source(w: Deployment | ReplicaSet | StatefulSet | Job, replicas: number): PodSource {
  return {
    kind: w.kind,
    metadata: w.metadata,
    replicas,
    selector: w.spec.selector,
    template: w.spec.template,
  };
}

function isLive(pod: Pod): boolean {
  return (
    pod.metadata.deletionTimestamp === undefined &&
    pod.status?.phase !== "Succeeded" &&
    pod.status?.phase !== "Failed"
  );
}

function compareNewest(a: Pod, b: Pod): number {
  const ta = a.metadata.creationTimestamp ?? "";
  const tb = b.metadata.creationTimestamp ?? "";
  return ta !== tb
    ? ta < tb
      ? 1
      : -1
    : (a.metadata.name ?? "") < (b.metadata.name ?? "")
      ? 1
      : -1;
}
