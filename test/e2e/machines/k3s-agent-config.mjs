// What a machine booting carpool's k3s user data would find in it: the agent's config.yaml (server,
// token, node name, labels, taints, kubelet args), and the Node its kubelet would register from it.
// Shared by every machine of the end-to-end tests (agent.mjs, the exec cloud, the join-token check).
import { parse } from "yaml";

/** The k3s agent's config.yaml out of a cloud-config's write_files, or a shell script's heredoc. */
export function agentConfig(userData) {
  if (userData?.format === "cloud-config") {
    const cloud = parse(userData.content);
    const file = (cloud.write_files ?? []).find((f) => f.path === "/etc/rancher/k3s/config.yaml");
    if (file === undefined) throw new Error("no /etc/rancher/k3s/config.yaml in the cloud-config");
    return parse(file.content);
  }
  const match = /<<\s*'([A-Z0-9_]+)'\n([\s\S]*?)\n\1\n/.exec(userData?.content ?? "");
  if (match === null) throw new Error("no quoted heredoc with the k3s config in the script");
  return parse(match[2]);
}

/**
 * The Node a k3s agent registers from its config on hardware of this capacity, marked for kwok
 * (kwok.x-k8s.io/node=fake), which plays the kubelet's heartbeats and runs the pods.
 */
export function agentNode(config, hardware) {
  const name = config["node-name"];
  const pairs = (entries) =>
    Object.fromEntries(
      (entries ?? []).map((entry) => {
        const at = entry.indexOf("=");
        return [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  const kubeletArgs = pairs(config["kubelet-arg"]);
  const taints = (config["node-taint"] ?? []).map((entry) => {
    const [keyValue, effect] = entry.split(":");
    const [key, value] = keyValue.split("=");
    return { key, ...(value !== undefined && value !== "" && { value }), effect };
  });
  const capacity = { ...hardware };
  if (kubeletArgs["max-pods"] !== undefined) capacity.pods = kubeletArgs["max-pods"];
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        ...pairs(config["node-label"]),
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
      },
      annotations: { "kwok.x-k8s.io/node": "fake" },
    },
    spec: { providerID: kubeletArgs["provider-id"] ?? `k3s://${name}`, taints },
    status: { capacity, allocatable: capacity },
  };
}
