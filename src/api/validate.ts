import type { TSchema } from "@sinclair/typebox";
import {
  type CapacityBuffer,
  CapacityBufferSchema,
  type PodTemplate,
  PodTemplateSchema,
} from "./capacitybuffer.ts";
import { capacityBufferErrors } from "./capacitybuffer-rules.ts";
import { ec2NodeClassErrors } from "./ec2nodeclass-rules.ts";
import { type ExecNodeClass, ExecNodeClassSchema } from "./execnodeclass.ts";
import { type FieldError, structuralErrors } from "./field-errors.ts";
import { type InstanceTypeObject, InstanceTypeObjectSchema } from "./instancetype.ts";
import { type KwokNodeClass, KwokNodeClassSchema } from "./kwoknodeclass.ts";
import type { LabelSelector } from "./meta.ts";
import { metadataNameErrors, unreadKindNames } from "./names.ts";
import { type Node, NodeSchema } from "./node.ts";
import { type NodeClaim, NodeClaimSchema } from "./nodeclaim.ts";
import { type EC2NodeClass, EC2NodeClassSchema } from "./nodeclass.ts";
import { type NodeOverlay, NodeOverlaySchema } from "./nodeoverlay.ts";
import { nodeOverlayErrors } from "./nodeoverlay-rules.ts";
import { type NodePool, NodePoolSchema } from "./nodepool.ts";
import { type Pod, PodSchema } from "./pod.ts";
import { type PodDisruptionBudget, PodDisruptionBudgetSchema } from "./policy.ts";
import { type StaticNodeClass, StaticNodeClassSchema } from "./staticnodeclass.ts";
import {
  type PersistentVolume,
  type PersistentVolumeClaim,
  PersistentVolumeClaimSchema,
  PersistentVolumeSchema,
  type StorageClass,
  StorageClassSchema,
} from "./storage.ts";
import { unknownFieldPaths } from "./strict-fields.ts";
import { KubernetesUnreadFields } from "./strict-fields-kubernetes.ts";
import { labelSelectorErrors } from "./validate-label-selector.ts";
import { podValueErrors } from "./validate-pod-values.ts";
import {
  execNodeClassErrors,
  instanceTypeErrors,
  nodeClaimErrors,
  nodePoolErrors,
  podErrors,
  podSpecErrors,
  staticNodeClassErrors,
} from "./validate-rules.ts";
import {
  type DaemonSet,
  DaemonSetSchema,
  type Deployment,
  DeploymentSchema,
  type Job,
  JobSchema,
  type ReplicaSet,
  ReplicaSetSchema,
  type StatefulSet,
  StatefulSetSchema,
} from "./workloads.ts";

/** Every object kind carpool reads. */
export type KnownObject =
  | Pod
  | Node
  | Deployment
  | ReplicaSet
  | StatefulSet
  | DaemonSet
  | Job
  | PodDisruptionBudget
  | PersistentVolume
  | PersistentVolumeClaim
  | StorageClass
  | NodePool
  | NodeClaim
  | EC2NodeClass
  | KwokNodeClass
  | StaticNodeClass
  | ExecNodeClass
  | InstanceTypeObject
  | NodeOverlay
  | CapacityBuffer
  | PodTemplate;

/** The kinds carpool reads that live in a namespace (`default` when the manifest gives none). */
export const NamespacedKinds: ReadonlySet<KnownObject["kind"]> = new Set([
  "Pod",
  "Deployment",
  "ReplicaSet",
  "StatefulSet",
  "DaemonSet",
  "Job",
  "PodDisruptionBudget",
  "PersistentVolumeClaim",
  "CapacityBuffer",
  "PodTemplate",
]);

interface KindRules {
  readonly schema: TSchema;
  readonly rules: (object: never) => FieldError[];
}

const workloadRules = (object: {
  spec: { selector?: LabelSelector; template: { spec: Pod["spec"] } };
}) => [
  ...podSpecErrors(object.spec.template.spec, "spec.template.spec"),
  ...podValueErrors(object.spec.template.spec, "spec.template.spec"),
  ...labelSelectorErrors(object.spec.selector, "spec.selector"),
];

const podRules = (pod: Pod) => [...podErrors(pod), ...podValueErrors(pod.spec, "spec")];

const podDisruptionBudgetRules = (budget: PodDisruptionBudget) =>
  labelSelectorErrors(budget.spec.selector, "spec.selector");

const kinds: Readonly<Record<string, KindRules>> = {
  "v1/Pod": { schema: PodSchema, rules: podRules },
  "v1/Node": { schema: NodeSchema, rules: () => [] },
  "apps/v1/Deployment": { schema: DeploymentSchema, rules: workloadRules },
  "apps/v1/ReplicaSet": { schema: ReplicaSetSchema, rules: workloadRules },
  "apps/v1/StatefulSet": { schema: StatefulSetSchema, rules: workloadRules },
  "apps/v1/DaemonSet": { schema: DaemonSetSchema, rules: workloadRules },
  "batch/v1/Job": { schema: JobSchema, rules: workloadRules },
  "policy/v1/PodDisruptionBudget": {
    schema: PodDisruptionBudgetSchema,
    rules: podDisruptionBudgetRules,
  },
  "v1/PersistentVolume": { schema: PersistentVolumeSchema, rules: () => [] },
  "v1/PersistentVolumeClaim": { schema: PersistentVolumeClaimSchema, rules: () => [] },
  "storage.k8s.io/v1/StorageClass": { schema: StorageClassSchema, rules: () => [] },
  "karpenter.sh/v1/NodePool": { schema: NodePoolSchema, rules: nodePoolErrors },
  "karpenter.sh/v1/NodeClaim": { schema: NodeClaimSchema, rules: nodeClaimErrors },
  "karpenter.k8s.aws/v1/EC2NodeClass": { schema: EC2NodeClassSchema, rules: ec2NodeClassErrors },
  "carpool.dev/v1alpha1/KwokNodeClass": { schema: KwokNodeClassSchema, rules: () => [] },
  "carpool.dev/v1alpha1/StaticNodeClass": {
    schema: StaticNodeClassSchema,
    rules: staticNodeClassErrors,
  },
  "carpool.dev/v1alpha1/ExecNodeClass": { schema: ExecNodeClassSchema, rules: execNodeClassErrors },
  "carpool.dev/v1alpha1/InstanceType": {
    schema: InstanceTypeObjectSchema,
    rules: instanceTypeErrors,
  },
  "karpenter.sh/v1alpha1/NodeOverlay": { schema: NodeOverlaySchema, rules: nodeOverlayErrors },
  "autoscaling.x-k8s.io/v1alpha1/CapacityBuffer": {
    schema: CapacityBufferSchema,
    rules: capacityBufferErrors,
  },
  "v1/PodTemplate": { schema: PodTemplateSchema, rules: () => [] },
};

export type Validation =
  | {
      readonly ok: true;
      readonly object: KnownObject;
      /** Fields the kind does not have (`spec.template.spec.taint`): kubectl warns of them. */
      readonly unknownFields: readonly string[];
    }
  | {
      readonly ok: false;
      readonly unknownKind: boolean;
      readonly errors: readonly FieldError[];
      readonly unknownFields: readonly string[];
    };

/**
 * Checks an object's name, structure and the rules of its kind, and reports every error in one
 * go; fields the kind does not have are listed apart, as strict field validation lists them.
 */
export function validateObject(object: unknown): Validation {
  if (typeof object !== "object" || object === null || Array.isArray(object)) {
    const found =
      object === null ? "null" : Array.isArray(object) ? "a list" : `a ${typeof object}`;
    return {
      ok: false,
      unknownKind: false,
      errors: [
        {
          path: "",
          message: `must be a Kubernetes object (a map with apiVersion, kind, metadata), not ${found}`,
        },
      ],
      unknownFields: [],
    };
  }
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  // Without both, the decoder cannot tell what the object is (apimachinery: "Object 'Kind' is
  // missing"): an error, not an unknown kind to skip.
  if (
    typeof kind !== "string" ||
    typeof apiVersion !== "string" ||
    kind === "" ||
    apiVersion === ""
  ) {
    const errors: FieldError[] = [];
    if (typeof apiVersion !== "string" || apiVersion === "")
      errors.push({ path: "apiVersion", message: "Object 'apiVersion' is missing" });
    if (typeof kind !== "string" || kind === "")
      errors.push({ path: "kind", message: "Object 'Kind' is missing" });
    return { ok: false, unknownKind: false, errors, unknownFields: [] };
  }
  const rules = kinds[`${apiVersion}/${kind}`];
  if (rules === undefined) {
    const naming = unreadKindNames[`${apiVersion}/${kind}`];
    const nameErrors = naming
      ? metadataNameErrors((object as { metadata?: unknown }).metadata, naming)
      : [];
    if (nameErrors.length > 0)
      return { ok: false, unknownKind: false, errors: nameErrors, unknownFields: [] };
    return {
      ok: false,
      unknownKind: true,
      errors: [
        {
          path: "kind",
          message: `${String(apiVersion)} ${String(kind)} is not a kind carpool reads; ignored`,
        },
      ],
      unknownFields: [],
    };
  }
  const unknownFields = unknownFieldPaths(rules.schema, object, KubernetesUnreadFields);
  const structural = structuralErrors(rules.schema, object);
  const errors = [
    // Every kind carpool reads is named as a DNS-1123 subdomain (NameIsDNSSubdomain).
    ...metadataNameErrors((object as { metadata?: unknown }).metadata, {
      nameRule: "dns1123Subdomain",
      namespaced: NamespacedKinds.has(String(kind) as KnownObject["kind"]),
    }),
    ...structural,
    ...kindRuleErrors(rules, object, structural),
  ];
  if (errors.length > 0) return { ok: false, unknownKind: false, errors, unknownFields };
  return { ok: true, object: object as KnownObject, unknownFields };
}

/**
 * The kind's rules run even when the structure is wrong, so one run reports every error rather
 * than the structural ones first and the rest after they are fixed. A rule meeting a field of
 * the wrong type may throw; its findings under a field already reported are left out.
 */
function kindRuleErrors(
  rules: KindRules,
  object: object,
  structural: readonly FieldError[],
): FieldError[] {
  let semantic: FieldError[];
  try {
    semantic = rules.rules(object as never);
  } catch (error) {
    if (structural.length === 0) throw error;
    return [];
  }
  if (structural.length === 0) return semantic;
  const broken = structural.map((e) => e.path);
  return semantic.filter(
    (e) =>
      !broken.some(
        (path) =>
          path === "" ||
          e.path === path ||
          e.path.startsWith(`${path}.`) ||
          e.path.startsWith(`${path}[`),
      ),
  );
}
