import { type Static, Type } from "@sinclair/typebox";
import { evictionSignalRule, kubeletRules, reservedRules } from "./ec2nodeclass-cel.ts";

/**
 * `spec.kubelet` of a Karpenter v1 EC2NodeClass: the subset of the kubelet's configuration
 * (k8s.io/kubelet/config/v1beta1 names) Karpenter passes to the node and accounts for when it
 * computes an instance type's capacity and allocatable (src/catalog/kubelet-allocatable.ts).
 */

// resource.Quantity's text form, as Karpenter's CRD states it for reserved resources.
const quantityPattern =
  "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";
// An eviction threshold: a percentage up to 100% or a quantity (Karpenter's hack/validation/kubelet.sh).
const evictionPattern =
  "^((\\d{1,2}(\\.\\d{1,2})?|100(\\.0{1,2})?)%||(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?)$";

const reserved = (field: "kubeReserved" | "systemReserved") =>
  Type.Record(Type.String(), Type.String({ pattern: quantityPattern }), {
    "x-kubernetes-validations": reservedRules(field),
  });

const eviction = (field: "evictionHard" | "evictionSoft") =>
  Type.Record(Type.String(), Type.String({ pattern: evictionPattern }), {
    "x-kubernetes-validations": [evictionSignalRule(field)],
  });

export const KubeletConfigurationSchema = Type.Object(
  {
    clusterDNS: Type.Optional(Type.Array(Type.String())),
    /** Overrides the ENI-limited (or 110) pod count. */
    maxPods: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Caps pods at podsPerCore × vCPUs (not on Bottlerocket). */
    podsPerCore: Type.Optional(Type.Integer({ minimum: 0 })),
    systemReserved: Type.Optional(reserved("systemReserved")),
    kubeReserved: Type.Optional(reserved("kubeReserved")),
    evictionHard: Type.Optional(eviction("evictionHard")),
    evictionSoft: Type.Optional(eviction("evictionSoft")),
    /** Durations (`1m30s`) per signal of evictionSoft. */
    evictionSoftGracePeriod: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        "x-kubernetes-validations": [evictionSignalRule("evictionSoftGracePeriod")],
      }),
    ),
    /** Seconds. */
    evictionMaxPodGracePeriod: Type.Optional(Type.Integer()),
    imageGCHighThresholdPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    imageGCLowThresholdPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    cpuCFSQuota: Type.Optional(Type.Boolean()),
  },
  { "x-kubernetes-validations": Object.values(kubeletRules) },
);
export type KubeletConfiguration = Static<typeof KubeletConfigurationSchema>;
