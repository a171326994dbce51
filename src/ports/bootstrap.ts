import type { FieldError } from "../api/field-errors.ts";
import type { Taint } from "../api/pod.ts";

/**
 * How a machine joins the cluster: user data rendered from what the node must look like. A
 * provider asks the node class's bootstrap for it and passes the document to the machine as it is;
 * a provider never renders user data itself. Implementations: `src/bootstrap/k3s/` (k3s agent);
 * eks (AL2023 nodeadm, Bottlerocket) comes with the AWS provider.
 */
export interface Bootstrap {
  /**
   * The user data that makes a machine register as `input.nodeName` with the labels and taints it
   * may set on itself. Pure: the same input gives the same document. Throws BootstrapError, listing
   * every problem, on a value that cannot be rendered safely; nothing is rendered then.
   */
  userData(input: BootstrapInput): UserData;
}

export interface BootstrapInput {
  /** The Node name the machine must register as (a DNS-1123 subdomain). */
  readonly nodeName: string;
  /**
   * Every label the node should carry (the claim's). The bootstrap passes on only those a kubelet
   * may set on itself; the lifecycle controller puts the rest on the Node after registration.
   */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * The pool's taints and startup taints. The bootstrap adds `karpenter.sh/unregistered:NoExecute`
   * itself; the lifecycle controller removes it once the Node is registered.
   */
  readonly taints: readonly Taint[];
  readonly kubelet?: KubeletSettings;
  /** Passed as the kubelet's provider ID when set (`aws:///us-east-1a/i-…`). */
  readonly providerID?: string;
}

/** Kubelet settings a node class may carry (the subset of Karpenter's `spec.kubelet` bootstrap renders). */
export interface KubeletSettings {
  readonly maxPods?: number;
  /** cpu, memory, ephemeral-storage, pid → quantity. */
  readonly systemReserved?: Readonly<Record<string, string>>;
  readonly kubeReserved?: Readonly<Record<string, string>>;
  /** Eviction signal (memory.available, nodefs.available, …) → quantity or percentage. */
  readonly evictionHard?: Readonly<Record<string, string>>;
}

/**
 * `mime-multipart`: a MIME multipart/mixed archive (EKS AL2023, nodeadm and cloud-init read it);
 * `toml`: Bottlerocket settings; `custom`: the node class's own user data, passed on unchanged.
 */
export type UserDataFormat = "cloud-config" | "shell" | "mime-multipart" | "toml" | "custom";

/**
 * A document for the machine: a `#cloud-config` for cloud-init, a `#!/bin/sh` script, a MIME
 * archive, Bottlerocket TOML, or the node class's own user data.
 */
export interface UserData {
  readonly format: UserDataFormat;
  readonly content: string;
  /**
   * The values in `content` that are credentials (the join token): whoever carries the document
   * (a provider, a hook) redacts them from every log line, error and Event.
   */
  readonly secrets: readonly string[];
}

/**
 * A bootstrap was given something it cannot render safely: every problem, each with the field
 * path (`labels["a b"]`, `taints[1].effect`, `token`) and the reason. Messages never include a
 * secret (the join token), only what is wrong with it.
 */
export class BootstrapError extends Error {
  readonly issues: readonly FieldError[];
  constructor(issues: readonly FieldError[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join("; "));
    this.name = "BootstrapError";
    this.issues = issues;
  }
}
