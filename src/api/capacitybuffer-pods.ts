import {
  BufferNameLabel,
  type CapacityBuffer,
  type PodTemplate,
  VirtualPodAnnotation,
  VirtualPodPriority,
} from "./capacitybuffer.ts";
import { bufferReplicas } from "./capacitybuffer-replicas.ts";
import type { Pod, PodSpec } from "./pod.ts";
import type { Deployment, ReplicaSet, StatefulSet } from "./workloads.ts";

/** What a buffer's references may name, in its namespace. */
export interface BufferSources {
  readonly podTemplates: readonly PodTemplate[];
  readonly scalables: readonly (Deployment | ReplicaSet | StatefulSet)[];
}

export type BufferResolution =
  | {
      readonly ok: true;
      readonly podSpec: PodSpec;
      readonly replicas: number;
      /** The PodTemplate used, for status.podTemplateRef; absent for a scalableRef. */
      readonly podTemplate?: PodTemplate;
    }
  | {
      readonly ok: false;
      readonly reason: "PodTemplateNotFound" | "ScalableRefNotFound" | "ResolutionFailed";
      readonly message: string;
    };

/**
 * A buffer's chunk shape and count, as Karpenter's capacitybuffer controller resolves them
 * (pkg/controllers/capacitybuffer, pkg/utils/apps resolve.go): a PodTemplate by name, or an apps
 * Deployment, StatefulSet or ReplicaSet (`apiGroup` empty or "apps"; replicas unset count as 1).
 */
export function resolveBuffer(buffer: CapacityBuffer, sources: BufferSources): BufferResolution {
  const namespace = buffer.metadata.namespace ?? "default";
  const inNamespace = (o: { metadata: { namespace?: string | undefined } }) =>
    (o.metadata.namespace ?? "default") === namespace;
  const { podTemplateRef, scalableRef } = buffer.spec;
  if (podTemplateRef !== undefined) {
    const podTemplate = sources.podTemplates.find(
      (t) => inNamespace(t) && t.metadata.name === podTemplateRef.name,
    );
    if (podTemplate === undefined)
      return {
        ok: false,
        reason: "PodTemplateNotFound",
        message: `podtemplates "${podTemplateRef.name}" not found`,
      };
    const podSpec = podTemplate.template.spec;
    return { ok: true, podSpec, replicas: bufferReplicas(buffer, podSpec, undefined), podTemplate };
  }
  if (scalableRef !== undefined) {
    const group = scalableRef.apiGroup || "apps";
    if (group !== "apps")
      return {
        ok: false,
        reason: "ResolutionFailed",
        message: `unsupported scalableRef API group "${scalableRef.apiGroup}"`,
      };
    if (!["Deployment", "StatefulSet", "ReplicaSet"].includes(scalableRef.kind))
      return {
        ok: false,
        reason: "ResolutionFailed",
        message: `unsupported kind "${scalableRef.kind}"`,
      };
    const workload = sources.scalables.find(
      (w) => w.kind === scalableRef.kind && inNamespace(w) && w.metadata.name === scalableRef.name,
    );
    if (workload === undefined)
      return {
        ok: false,
        reason: "ScalableRefNotFound",
        message: `${scalableRef.kind.toLowerCase()}s.apps "${scalableRef.name}" not found`,
      };
    const podSpec = workload.spec.template.spec;
    const replicas = bufferReplicas(buffer, podSpec, workload.spec.replicas ?? 1);
    return { ok: true, podSpec, replicas };
  }
  return {
    ok: false,
    reason: "ResolutionFailed",
    message: "Neither podTemplateRef nor scalableRef is set",
  };
}

/**
 * The virtual pods of a buffer, as Karpenter's provisioner builds them (provisioning/buffers.go
 * buildVirtualPods): `capacity-buffer-<name>-<i>` in the buffer's namespace, marked by the fake-pod
 * annotation and the buffer's name, at priority -1000, without a node name and without
 * PersistentVolumeClaim volumes (there is no claim whose topology could be read).
 */
export function virtualPods(buffer: CapacityBuffer, podSpec: PodSpec, replicas: number): Pod[] {
  const name = buffer.metadata.name ?? "";
  const dropped = new Set(
    (podSpec.volumes ?? []).filter((v) => v.persistentVolumeClaim !== undefined).map((v) => v.name),
  );
  const { nodeName: _nodeName, ...rest } = podSpec;
  const spec: PodSpec = {
    ...rest,
    priority: VirtualPodPriority,
    ...(podSpec.volumes !== undefined && {
      volumes: podSpec.volumes.filter((v) => !dropped.has(v.name)),
    }),
  };
  return Array.from({ length: replicas }, (_, i) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `capacity-buffer-${name}-${i + 1}`,
      namespace: buffer.metadata.namespace ?? "default",
      ...(buffer.metadata.uid !== undefined && { uid: `${buffer.metadata.uid}-${i + 1}` }),
      annotations: { [VirtualPodAnnotation]: "true" },
      labels: { [BufferNameLabel]: name },
    },
    spec,
    status: {
      conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }],
    },
  }));
}

/** Every active buffer's virtual pods; a buffer that does not resolve has none. */
export function bufferPods(buffers: readonly CapacityBuffer[], sources: BufferSources): Pod[] {
  return buffers.flatMap((buffer) => {
    const resolved = resolveBuffer(buffer, sources);
    return resolved.ok ? virtualPods(buffer, resolved.podSpec, resolved.replicas) : [];
  });
}

export function isVirtualPod(pod: Pod): boolean {
  return pod.metadata.annotations?.[VirtualPodAnnotation] === "true";
}
