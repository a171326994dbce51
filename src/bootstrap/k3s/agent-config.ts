import { Document } from "yaml";
import { Taints } from "../../api/wellknown.ts";
import type { BootstrapInput, KubeletSettings } from "../../ports/bootstrap.ts";
import { partitionLabels } from "../kubelet-labels.ts";
import type { ResolvedK3sSettings } from "./settings.ts";

/** Where the agent reads its flags from (k3s docs/cli/agent.md `--config`, the default path). */
export const AgentConfigPath = "/etc/rancher/k3s/config.yaml";

/**
 * The agent's `/etc/rancher/k3s/config.yaml`: each key is an agent flag, a list repeats the flag
 * (k3s pkg/configfilearg/parser.go readConfigFile turns `node-label: [a, b]` into
 * `--node-label=a --node-label=b`).
 */
export interface K3sAgentConfig {
  readonly server: string;
  readonly token: string;
  readonly "node-name": string;
  /** Only labels the kubelet may set on itself; the rest come after registration. */
  readonly "node-label"?: readonly string[];
  readonly "node-taint": readonly string[];
  readonly "kubelet-arg"?: readonly string[];
}

/** The config of a validated input: labels sorted by key, taints in order, the unregistered taint last. */
export function agentConfig(settings: ResolvedK3sSettings, input: BootstrapInput): K3sAgentConfig {
  const kubeletLabels = partitionLabels(input.labels).kubelet;
  const labels = Object.keys(kubeletLabels)
    .sort()
    .map((key) => `${key}=${kubeletLabels[key]}`);
  const kubeletArgs = kubeletArguments(input.kubelet, input.providerID);
  return {
    server: settings.serverURL,
    token: settings.token,
    "node-name": input.nodeName,
    ...(labels.length > 0 ? { "node-label": labels } : {}),
    "node-taint": registerTaints(input.taints),
    ...(kubeletArgs.length > 0 ? { "kubelet-arg": kubeletArgs } : {}),
  };
}

/**
 * Taints in the kubelet's --register-with-taints form (`key=value:Effect`, `key:Effect`): the pool's
 * and startup taints, then karpenter.sh/unregistered:NoExecute, which Karpenter's bootstraps add to
 * every node (karpenter-provider-aws amifamily/resolver.go) and the lifecycle controller removes.
 */
function registerTaints(taints: BootstrapInput["taints"]): string[] {
  const unregistered = Taints.unregistered;
  const rendered = taints.map((t) =>
    t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`,
  );
  const hasUnregistered = taints.some(
    (t) => t.key === unregistered.key && t.effect === unregistered.effect,
  );
  return hasUnregistered ? rendered : [...rendered, `${unregistered.key}:${unregistered.effect}`];
}

/**
 * Kubelet flags as k3s `--kubelet-arg` values (`name=value`, one flag each). Maps use the kubelet's
 * own syntax: `cpu=100m,memory=1Gi` (cliflag MapStringString) and `memory.available<100Mi`
 * (LangleSeparatedMapStringString, cmd/kubelet/app/options/options.go), keys sorted.
 */
function kubeletArguments(
  kubelet: KubeletSettings | undefined,
  providerID: string | undefined,
): string[] {
  const args: string[] = [];
  if (kubelet?.maxPods !== undefined) args.push(`max-pods=${kubelet.maxPods}`);
  const map = (
    name: string,
    entries: Readonly<Record<string, string>> | undefined,
    separator: string,
  ) => {
    const keys = Object.keys(entries ?? {}).sort();
    if (keys.length > 0)
      args.push(`${name}=${keys.map((key) => `${key}${separator}${entries?.[key]}`).join(",")}`);
  };
  map("system-reserved", kubelet?.systemReserved, "=");
  map("kube-reserved", kubelet?.kubeReserved, "=");
  map("eviction-hard", kubelet?.evictionHard, "<");
  if (providerID !== undefined) args.push(`provider-id=${providerID}`);
  return args;
}

/**
 * The config as YAML. k3s reads it with gopkg.in/yaml.v2, a YAML 1.1 parser, where `yes`, `0600`
 * or `1e3` are not strings; every string is therefore double-quoted, which both YAML versions read
 * as the string itself. No line folding, so a long token stays on one line.
 */
export function agentConfigYAML(config: K3sAgentConfig): string {
  return new Document(config).toString(YAMLStyle);
}

export const YAMLStyle = {
  defaultStringType: "QUOTE_DOUBLE",
  defaultKeyType: "PLAIN",
  lineWidth: 0,
} as const;
