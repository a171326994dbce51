// Test support: example settings and inputs, and readers that take rendered EKS user data apart.
import assert from "node:assert/strict";
import { parse as parseToml } from "smol-toml";
import { parse as parseYAML } from "yaml";
import type { BootstrapInput } from "../../ports/bootstrap.ts";
import type { EksKubeletSettings } from "./eks-kubelet.ts";
import { ContentTypes, type MimePart, readMimeArchive } from "./mime-archive.ts";
import type { EksBootstrapSettings } from "./settings.ts";
import type { TomlTable } from "./toml-writer.ts";

/** A PEM-shaped bundle (not a real certificate: only its shape is checked), base64 as EKS gives it. */
export const exampleCA = Buffer.from(
  "-----BEGIN CERTIFICATE-----\nMIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\ncm5ldGVz\n-----END CERTIFICATE-----\n",
).toString("base64");

export const exampleSettings: EksBootstrapSettings = {
  family: "AL2023",
  clusterName: "prod-eu_1",
  apiServerEndpoint: "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
  certificateAuthority: exampleCA,
  serviceCIDR: "10.100.0.0/16",
  clusterDNS: ["10.100.0.10"],
};

const kubelet: EksKubeletSettings = {
  maxPods: 58,
  systemReserved: { memory: "500Mi", cpu: "100m" },
  kubeReserved: { cpu: "200m", memory: "1Gi" },
  evictionHard: { "memory.available": "100Mi", "nodefs.available": "10%" },
  evictionSoft: { "memory.available": "500Mi" },
  evictionSoftGracePeriod: { "memory.available": "1m30s" },
  evictionMaxPodGracePeriod: 60,
};

/** A claim with labels on both sides of the kubelet's rule, taints and kubelet settings. */
export const exampleInput: BootstrapInput = {
  nodeName: "ip-10-0-3-17.eu-west-1.compute.internal",
  labels: {
    "karpenter.sh/nodepool": "general",
    "karpenter.sh/capacity-type": "spot",
    "node.kubernetes.io/instance-type": "m7i.large",
    "topology.kubernetes.io/zone": "eu-west-1a",
    "node-role.kubernetes.io/worker": "",
    "example.com/team": "yes",
  },
  taints: [
    { key: "dedicated", value: "gpu", effect: "NoSchedule" },
    { key: "example.com/warming", effect: "NoExecute" },
  ],
  kubelet,
  providerID: "aws:///eu-west-1a/i-0123456789abcdef0",
};

export interface ReadNodeConfig {
  readonly apiVersion: string;
  readonly kind: string;
  readonly spec: {
    readonly cluster: Record<string, unknown>;
    readonly kubelet: { readonly config: Record<string, unknown>; readonly flags?: string[] };
  };
}

export interface ReadArchive {
  readonly parts: readonly MimePart[];
  /** carpool's NodeConfig: the last part, as YAML 1.1 and 1.2 both read it. */
  readonly nodeConfig: ReadNodeConfig;
}

export function readAL2023(content: string): ReadArchive {
  const read = readMimeArchive(content);
  assert.ok(read.ok, read.ok ? "" : read.message);
  const last = read.parts.at(-1);
  assert.equal(last?.contentType, ContentTypes.nodeConfig, "carpool's NodeConfig is the last part");
  const modern = parseYAML(last.content, { strict: true, uniqueKeys: true });
  const legacy = parseYAML(last.content, { version: "1.1", strict: true, uniqueKeys: true });
  assert.deepEqual(legacy, modern, "YAML 1.1 and 1.2 read the NodeConfig differently");
  return { parts: read.parts, nodeConfig: modern as ReadNodeConfig };
}

export function readBottlerocket(content: string): TomlTable {
  return parseToml(content, { integersAsBigInt: true }) as TomlTable;
}
