import { Document } from "yaml";
import type { BootstrapInput } from "../../ports/bootstrap.ts";
import { partitionLabels } from "../kubelet-labels.ts";
import { eksKubelet } from "./eks-kubelet.ts";
import { registerTaints } from "./register-taints.ts";
import type { EksBootstrapSettings } from "./settings.ts";

/**
 * The nodeadm NodeConfig (node.eks.aws/v1alpha1) Karpenter renders for AL2023
 * (amifamily/bootstrap/nodeadm.go getNodeConfigYAML): the cluster's facts, an inline
 * KubeletConfiguration with the claim's kubelet settings and registerWithTaints, and the labels as
 * `--node-labels` (NodeConfig has no field for them). No providerID: nodeadm sets it from IMDS
 * (`aws:///<zone>/<instance-id>`), and anything else would not match the instance.
 */
export interface NodeConfig {
  readonly apiVersion: "node.eks.aws/v1alpha1";
  readonly kind: "NodeConfig";
  readonly spec: {
    readonly cluster: {
      readonly name: string;
      readonly apiServerEndpoint: string;
      readonly certificateAuthority: string;
      readonly cidr: string;
    };
    readonly kubelet: {
      readonly config: Readonly<Record<string, unknown>>;
      readonly flags?: readonly string[];
    };
  };
}

export function nodeConfig(settings: EksBootstrapSettings, input: BootstrapInput): NodeConfig {
  const flag = nodeLabelsFlag(partitionLabels(input.labels).kubelet);
  return {
    apiVersion: "node.eks.aws/v1alpha1",
    kind: "NodeConfig",
    spec: {
      cluster: {
        name: settings.clusterName,
        apiServerEndpoint: settings.apiServerEndpoint,
        certificateAuthority: settings.certificateAuthority,
        cidr: settings.serviceCIDR ?? "",
      },
      kubelet: {
        config: kubeletConfiguration(settings, input),
        ...(flag !== undefined ? { flags: [flag] } : {}),
      },
    },
  };
}

/**
 * KubeletConfiguration (kubelet.config.k8s.io/v1beta1) fields, named as Karpenter's
 * KubeletConfiguration marshals them; registerWithTaints always, as Karpenter always sets it.
 */
function kubeletConfiguration(
  settings: EksBootstrapSettings,
  input: BootstrapInput,
): Record<string, unknown> {
  const kubelet = eksKubelet(input);
  const sorted = (map: Readonly<Record<string, string>> | undefined) =>
    map === undefined
      ? undefined
      : Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : 1)));
  const fields: Record<string, unknown> = {
    maxPods: kubelet?.maxPods,
    systemReserved: sorted(kubelet?.systemReserved),
    kubeReserved: sorted(kubelet?.kubeReserved),
    evictionHard: sorted(kubelet?.evictionHard),
    evictionSoft: sorted(kubelet?.evictionSoft),
    evictionSoftGracePeriod: sorted(kubelet?.evictionSoftGracePeriod),
    evictionMaxPodGracePeriod: kubelet?.evictionMaxPodGracePeriod,
    clusterDNS: settings.clusterDNS === undefined ? undefined : [...settings.clusterDNS],
    registerWithTaints: registerTaints(input.taints),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/**
 * `--node-labels=k1=v1,k2=v2`, keys sorted. Unambiguous without quoting: a qualified name holds no
 * `=` or `,`, nor does a label value (`[A-Za-z0-9_.-]`), and neither holds whitespace or quotes that
 * nodeadm's kubelet environment file would split or strip. Karpenter wraps the list in Go quotes
 * (`%q`); with these characters that changes nothing but the bytes.
 */
export function nodeLabelsFlag(labels: Readonly<Record<string, string>>): string | undefined {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return undefined;
  return `--node-labels=${keys.map((key) => `${key}=${labels[key]}`).join(",")}`;
}

/**
 * The NodeConfig as YAML. nodeadm reads it with sigs.k8s.io/yaml (go-yaml, YAML 1.1 rules), where
 * `yes` or `0600` are not strings; every string is double-quoted so both YAML versions read it the same.
 */
export function nodeConfigYAML(config: NodeConfig): string {
  return new Document(config).toString({
    defaultStringType: "QUOTE_DOUBLE",
    defaultKeyType: "PLAIN",
    lineWidth: 0,
  });
}
