import { existsSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";

export interface KubeConfigOptions {
  /** `--kubeconfig`: a file, before `KUBECONFIG`. */
  readonly kubeconfig?: string | undefined;
  /** `--context`: a context of the kubeconfig other than its current one. */
  readonly context?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * How kubectl and client-go find the cluster: `--kubeconfig`, else `KUBECONFIG` (a list of files,
 * merged), else the pod's service account when running in a cluster, else `~/.kube/config`.
 */
export function loadKubeConfig(options: KubeConfigOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const config = new KubeConfig();
  if (options.kubeconfig !== undefined && options.kubeconfig !== "") {
    if (!existsSync(options.kubeconfig))
      throw new Error(`--kubeconfig ${options.kubeconfig}: no such file`);
    config.loadFromFile(options.kubeconfig);
  } else if (env.KUBECONFIG === undefined && env.KUBERNETES_SERVICE_HOST !== undefined) {
    config.loadFromCluster();
  } else {
    config.loadFromDefault();
  }
  if (options.context !== undefined && options.context !== "") {
    if (config.getContextObject(options.context) === null)
      throw new Error(
        `--context ${options.context}: not in the kubeconfig (contexts: ${config
          .getContexts()
          .map((c) => c.name)
          .join(", ")})`,
      );
    config.setCurrentContext(options.context);
  }
  if (config.getCurrentCluster() === null)
    throw new Error("no cluster found: give --kubeconfig, set KUBECONFIG, or run in a cluster");
  return config;
}
