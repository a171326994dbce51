import type { Logger } from "pino";
import type { BootstrapSpec } from "../api/hooks.ts";
import type { NodeClaim } from "../api/nodeclaim.ts";
import { k3sBootstrap } from "../bootstrap/k3s/k3s-bootstrap.ts";
import { bufferScalableKinds, snapshotKinds } from "../controllers/context.ts";
import type { UnavailableOfferings } from "../controllers/lifecycle/unavailable-offerings.ts";
import type { NodeClassKind } from "../controllers/nodepool/status.ts";
import type { KubeRest } from "../kube/rest.ts";
import { readSecretKey } from "../kube/secrets.ts";
import type { ProviderController } from "../operator/operator.ts";
import type { Clock } from "../ports/clock.ts";
import type { CloudProvider } from "../ports/cloud-provider.ts";
import type { ClusterStore, StoredObject } from "../ports/cluster-store.ts";
import type { EventRecorder } from "../ports/event-recorder.ts";
import { ExecCloudProvider } from "../providers/exec/cloud-provider.ts";
import { KwokCloudProvider } from "../providers/kwok/cloud-provider.ts";
import { StaticCloudProvider } from "../providers/static/cloud-provider.ts";

export const CloudProviders = ["kwok", "static", "exec", "aws"] as const;
export type CloudProviderName = (typeof CloudProviders)[number];

export interface ProviderPorts {
  readonly store: ClusterStore;
  readonly clock: Clock;
  readonly rest: KubeRest;
  readonly region: string;
  readonly events: EventRecorder;
  readonly log: Logger;
  readonly settings: ProviderSettings;
  /** Offerings recently out of capacity, shared with the lifecycle controller. */
  readonly unavailable: UnavailableOfferings;
}

/** The controller's flags a provider reads (Karpenter's names). */
export interface ProviderSettings {
  readonly clusterName?: string;
  /** CLUSTER_ENDPOINT: the API server nodes join (aws; else EKS DescribeCluster). */
  readonly clusterEndpoint?: string;
  /** CLUSTER_CA_BUNDLE: the CA nodes trust it with (aws; else DescribeCluster, then the controller's). */
  readonly clusterCABundle?: string;
}

/** A provider and the controllers it brings (the AWS provider's EC2NodeClass status). */
export interface ProviderParts {
  readonly cloud: CloudProvider;
  readonly controllers?: readonly ProviderController[];
}

/** What `--cloud-provider` wires: the provider, its node class kind, and what it must watch. */
export interface ProviderWiring {
  readonly nodeClass: NodeClassKind;
  readonly make: (ports: ProviderPorts) => Promise<ProviderParts>;
}

export const providerWirings: Readonly<Record<CloudProviderName, ProviderWiring>> = {
  kwok: {
    nodeClass: { group: "carpool.dev", kind: "KwokNodeClass" },
    make: async ({ store, clock, region }) => ({
      cloud: new KwokCloudProvider({ store, clock, region }),
    }),
  },
  static: {
    nodeClass: { group: "carpool.dev", kind: "StaticNodeClass" },
    make: async ({ store, clock, rest }) => ({
      cloud: new StaticCloudProvider({
        store,
        clock,
        userData: async (claim, nodeClass) => {
          const rendered = await k3sUserData(rest, claim, nodeClass.spec.bootstrap);
          if (rendered === undefined)
            throw new Error(`StaticNodeClass ${nodeClass.metadata.name}: spec.bootstrap needs k3s`);
          return rendered;
        },
      }),
    }),
  },
  exec: {
    nodeClass: { group: "carpool.dev", kind: "ExecNodeClass" },
    make: async ({ store, clock, rest }) => ({
      cloud: new ExecCloudProvider({
        store,
        clock,
        userData: (claim, nodeClass) => k3sUserData(rest, claim, nodeClass.spec.bootstrap),
      }),
    }),
  },
  aws: {
    nodeClass: { group: "karpenter.k8s.aws", kind: "EC2NodeClass" },
    // The AWS SDK loads only for this provider, so the others start fast.
    make: async (ports) => (await import("./aws-wiring.ts")).awsProvider(ports),
  },
};

/**
 * The k3s user data that joins a claim's machine as Node `<claim>`, with provider ID
 * `k3s://<claim>` (k3s's own convention, which the kubelet is given so registration matches the
 * claim), the claim's labels (the kubelet's own; the lifecycle sets the rest) and taints. The join
 * token is read from its Secret each time and handed back as a secret to redact.
 */
async function k3sUserData(rest: KubeRest, claim: NodeClaim, bootstrap: BootstrapSpec | undefined) {
  const k3s = bootstrap?.k3s;
  if (k3s === undefined) return undefined;
  const token = await readSecretKey(rest, k3s.tokenSecretRef);
  const name = claim.metadata.name ?? "";
  const userData = k3sBootstrap({
    serverURL: k3s.serverURL,
    token,
    format: k3s.format ?? "cloud-config",
    ...(k3s.version !== undefined && { version: k3s.version }),
    ...(k3s.airGapped !== undefined && { airGapped: k3s.airGapped }),
  }).userData({
    nodeName: name,
    labels: claim.metadata.labels ?? {},
    taints: [...(claim.spec.taints ?? []), ...(claim.spec.startupTaints ?? [])],
    providerID: `k3s://${name}`,
  });
  // k3s renders only these two; the exec and static hooks' protocol carries no other format.
  const { format } = userData;
  if (format !== "cloud-config" && format !== "shell")
    throw new Error(`k3s bootstrap rendered ${format} user data`);
  // The provider reports the same provider ID, so the registered Node matches its claim.
  return { ...userData, format, secrets: [token], providerID: `k3s://${name}` };
}

/**
 * What the controller watches: the kinds a snapshot is built from (another provider's node
 * class left out: it is neither read nor granted), the InstanceType objects, and the chosen
 * provider's node class.
 */
export function watchedKinds(provider: CloudProviderName): StoredObject["kind"][] {
  return [
    ...snapshotKinds.filter((kind) => kind !== "EC2NodeClass"),
    ...bufferScalableKinds,
    "InstanceType",
    providerWirings[provider].nodeClass.kind,
  ];
}
