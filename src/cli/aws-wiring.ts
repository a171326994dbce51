import { EC2Client } from "@aws-sdk/client-ec2";
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { PricingClient } from "@aws-sdk/client-pricing";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { EC2NodeClass } from "../api/ec2nodeclass.ts";
import { amiFamilyOf } from "../api/ec2nodeclass-defaults.ts";
import type { NodeClaim } from "../api/nodeclaim.ts";
import { eksBootstrap } from "../bootstrap/eks/eks-bootstrap.ts";
import type { EksKubeletSettings } from "../bootstrap/eks/eks-kubelet.ts";
import type { EksFamily } from "../bootstrap/eks/settings.ts";
import { typesForNodeClass } from "../catalog/aws-os.ts";
import type { InstanceType, Offering } from "../catalog/instance-type.ts";
import type { ProviderController } from "../operator/operator.ts";
import type { UserData } from "../ports/bootstrap.ts";
import { AwsCloudProvider } from "../providers/aws/cloud-provider.ts";
import {
  type EksCluster,
  kubernetesMinorVersion,
  resolveEksCluster,
} from "../providers/aws/cluster.ts";
import { LiveInstanceTypes } from "../providers/aws/instance-types/live-instance-types.ts";
import { forNodeClass } from "../providers/aws/instance-types/node-class-allocatable.ts";
import { CapacityBlockExpirationController } from "../providers/aws/nodeclass/capacity-block-expiration.ts";
import { CapacityReservations } from "../providers/aws/nodeclass/capacity-reservations.ts";
import { EC2NodeClassController } from "../providers/aws/nodeclass/controller.ts";
import { ReservedCapacityTypeController } from "../providers/aws/nodeclass/reserved-capacity-type.ts";
import type { ProviderParts, ProviderPorts } from "./controller-providers.ts";

/** Launch templates no launch has used for this long are deleted (they are made again when needed). */
const IdleLaunchTemplateMs = 60 * 60_000;
const LaunchTemplateSweepMs = 5 * 60_000;

/**
 * `--cloud-provider aws`: EC2 through the AWS SDK (region from `--region`, endpoint and
 * credentials from the SDK's own chain: AWS_ENDPOINT_URL, IRSA, Pod Identity, …), nodes joined
 * by the EKS bootstrap of their EC2NodeClass's AMI family, and the EC2NodeClass controller that
 * resolves each class's subnets, security groups, AMIs and instance profile into its status.
 */
export async function awsProvider(ports: ProviderPorts): Promise<ProviderParts> {
  const { store, clock, rest, region, events, log, settings } = ports;
  const clusterName = settings.clusterName;
  if (clusterName === undefined || clusterName === "")
    throw new Error("--cloud-provider aws needs --cluster-name (CLUSTER_NAME)");
  const ec2 = new EC2Client({ region });
  const eks = new EKSClient({ region });
  // The Pricing API answers in a few regions only; Karpenter asks us-east-1 for the commercial partition.
  const pricing = new PricingClient({ region: pricingRegion(region) });
  const cluster = await resolveEksCluster(
    {
      name: clusterName,
      ...(settings.clusterEndpoint && { endpoint: settings.clusterEndpoint }),
      ...(settings.clusterCABundle && { certificateAuthority: settings.clusterCABundle }),
      ...(rest.certificateAuthority && {
        controllerCertificateAuthority: rest.certificateAuthority,
      }),
    },
    eks,
    (error) => log.warn({ error: error.message }, "eks:DescribeCluster failed; using the flags"),
  );
  const version = kubernetesMinorVersion(
    await rest.request<{ major?: string; minor?: string }>("GET", "/version"),
  );
  log.info({ cluster: cluster.name, endpoint: cluster.endpoint, version }, "EKS cluster");
  // One reservations provider: the class controller syncs it; offerings and launches count on it.
  const reservations = new CapacityReservations(ec2, clock);
  const live = new LiveInstanceTypes({ ec2, pricing, clock, region, log, reservations });
  let cloud: AwsCloudProvider | undefined;
  const nodeClasses = new EC2NodeClassController({
    store,
    events,
    clock,
    ec2,
    ssm: new SSMClient({ region }),
    iam: new IAMClient({ region }),
    clusterName,
    region,
    kubernetesVersion: version,
    log,
    capacityReservations: reservations,
    onFinalize: async (name) => {
      await cloud?.deleteLaunchTemplates(name);
    },
  });
  cloud = new AwsCloudProvider({
    store,
    clock,
    ec2,
    clusterName,
    region,
    instanceTypes: async (nodeClass) => {
      const ofClass = async (c: EC2NodeClass) =>
        typesForNodeClass(
          (await live.instanceTypesFor(c)).map((type) => forNodeClass(type, c)),
          c,
        );
      return nodeClass === undefined
        ? mergedInstanceTypes(await Promise.all((await readyClasses(ports)).map(ofClass)))
        : ofClass(nodeClass);
    },
    userData: async (claim, nodeClass) => eksUserData(cluster, claim, nodeClass),
    log,
    reservations,
    onUnavailable: (offerings) => {
      for (const offering of offerings) ports.unavailable.mark(offering, clock.now().getTime());
    },
  });
  let sweptAt = clock.now().getTime();
  const launchTemplates: ProviderController = {
    name: "launchtemplates",
    reconcile: async () => {
      const now = clock.now().getTime();
      if (now - sweptAt < LaunchTemplateSweepMs) return;
      sweptAt = now;
      await cloud.deleteIdleLaunchTemplates(IdleLaunchTemplateMs);
    },
  };
  const expiration = new CapacityBlockExpirationController({ store, clock, reservations, log });
  const demotion = new ReservedCapacityTypeController({ store, cloud, clock, log });
  return { cloud, controllers: [nodeClasses, launchTemplates, expiration, demotion] };
}

/** The user data of a claim's instance: its class's AMI family, cluster facts and kubelet settings. */
export function eksUserData(
  cluster: EksCluster,
  claim: NodeClaim,
  nodeClass: EC2NodeClass,
): UserData {
  const spec = nodeClass.spec;
  if (spec === undefined) throw new Error(`EC2NodeClass ${nodeClass.metadata.name} has no spec`);
  const family = amiFamilyOf(spec);
  if (family === "AL2023" && cluster.serviceCIDR === undefined)
    throw new Error(
      `EC2NodeClass ${nodeClass.metadata.name}: AL2023 nodes need the cluster's Service CIDR (nodeadm's spec.cluster.cidr), which comes from eks:DescribeCluster; it failed when the controller started (see its log)`,
    );
  const kubelet = spec.kubelet;
  const bootstrap = eksBootstrap({
    family: bootstrapFamily(family, nodeClass),
    clusterName: cluster.name,
    apiServerEndpoint: cluster.endpoint,
    certificateAuthority: cluster.certificateAuthority,
    ...(cluster.serviceCIDR !== undefined && { serviceCIDR: cluster.serviceCIDR }),
    ...(kubelet?.clusterDNS !== undefined && { clusterDNS: kubelet.clusterDNS }),
    ...(spec.userData !== undefined && { userData: spec.userData }),
  });
  const settings: EksKubeletSettings | undefined =
    kubelet === undefined
      ? undefined
      : {
          ...(kubelet.maxPods !== undefined && { maxPods: kubelet.maxPods }),
          ...(kubelet.systemReserved !== undefined && { systemReserved: kubelet.systemReserved }),
          ...(kubelet.kubeReserved !== undefined && { kubeReserved: kubelet.kubeReserved }),
          ...(kubelet.evictionHard !== undefined && { evictionHard: kubelet.evictionHard }),
          ...(kubelet.evictionSoft !== undefined && { evictionSoft: kubelet.evictionSoft }),
          ...(kubelet.evictionSoftGracePeriod !== undefined && {
            evictionSoftGracePeriod: kubelet.evictionSoftGracePeriod,
          }),
          ...(kubelet.evictionMaxPodGracePeriod !== undefined && {
            evictionMaxPodGracePeriod: kubelet.evictionMaxPodGracePeriod,
          }),
        };
  return bootstrap.userData({
    nodeName: claim.metadata.name ?? "",
    labels: claim.metadata.labels ?? {},
    taints: [...(claim.spec.taints ?? []), ...(claim.spec.startupTaints ?? [])],
    ...(settings !== undefined && { kubelet: settings }),
  });
}

/** The bootstraps carpool renders; AL2 and Windows are refused with the class named. */
function bootstrapFamily(family: string, nodeClass: EC2NodeClass): EksFamily {
  if (family === "AL2023" || family === "Bottlerocket" || family === "Custom") return family;
  throw new Error(
    `EC2NodeClass ${nodeClass.metadata.name}: amiFamily ${family} is not supported by carpool (AL2023, Bottlerocket, Custom)`,
  );
}

async function readyClasses({ store }: ProviderPorts): Promise<EC2NodeClass[]> {
  return (await store.list("EC2NodeClass"))
    .filter(
      (c) =>
        c.metadata.deletionTimestamp === undefined &&
        c.status?.conditions?.some((k) => k.type === "Ready" && k.status === "True"),
    )
    .sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1));
}

/**
 * One catalog for the solver out of each class's types: a type is offered wherever some class can
 * launch it. The launch itself asks the claim's own class again (its zones, its kubelet's
 * allocatable), so a claim is never launched where its class cannot go.
 */
function mergedInstanceTypes(perClass: readonly (readonly InstanceType[])[]): InstanceType[] {
  const byName = new Map<string, InstanceType>();
  for (const types of perClass)
    for (const type of types) {
      const known = byName.get(type.name);
      if (known === undefined) {
        byName.set(type.name, type);
        continue;
      }
      const key = (o: Offering) =>
        `${o.zone}/${o.capacityType}/${o.labels?.["karpenter.k8s.aws/capacity-reservation-id"] ?? ""}`;
      const seen = new Set(known.offerings.map(key));
      byName.set(type.name, {
        ...known,
        offerings: [...known.offerings, ...type.offerings.filter((o) => !seen.has(key(o)))],
      });
    }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}

function pricingRegion(region: string): string {
  if (region.startsWith("cn-")) return "cn-northwest-1";
  if (region.startsWith("ap-")) return "ap-south-1";
  if (region.startsWith("eu-")) return "eu-central-1";
  return "us-east-1";
}
