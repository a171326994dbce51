import { DescribeClusterCommand, type DescribeClusterCommandOutput } from "@aws-sdk/client-eks";

/** What a node needs to know of its EKS cluster to join it (nodeadm's `spec.cluster`, Bottlerocket's settings). */
export interface EksCluster {
  readonly name: string;
  /** The API server nodes talk to (`https://…`). */
  readonly endpoint: string;
  /** The base64 PEM bundle nodes check the API server's certificate against. */
  readonly certificateAuthority: string;
  /** The Service CIDR (nodeadm's `cidr`, from which the kubelet's cluster DNS is derived). */
  readonly serviceCIDR?: string;
}

export interface EksClusterSettings {
  readonly name: string;
  /** `--cluster-endpoint`: when unset, EKS DescribeCluster tells. */
  readonly endpoint?: string;
  /** `--cluster-ca-bundle`: when unset, DescribeCluster, then the controller's own kubeconfig. */
  readonly certificateAuthority?: string;
  /** The CA the controller itself trusts the API server with (its kubeconfig). */
  readonly controllerCertificateAuthority?: string;
}

/**
 * The cluster as Karpenter finds it: `--cluster-endpoint` and `--cluster-ca-bundle` when given,
 * else EKS DescribeCluster; the CA falls back to the controller's own TLS configuration, as
 * Karpenter's does. DescribeCluster is also where the Service CIDR comes from; when it fails and
 * the flags say enough, the controller goes on without it (nodeadm then finds it itself).
 */
export async function resolveEksCluster(
  settings: EksClusterSettings,
  eks: { send(command: object): Promise<unknown> },
  onDescribeFailed: (error: Error) => void,
): Promise<EksCluster> {
  let described: DescribeClusterCommandOutput["cluster"];
  try {
    described = (
      (await eks.send(
        new DescribeClusterCommand({ name: settings.name }),
      )) as DescribeClusterCommandOutput
    ).cluster;
  } catch (error) {
    onDescribeFailed(error as Error);
  }
  const endpoint = settings.endpoint ?? described?.endpoint;
  const certificateAuthority =
    settings.certificateAuthority ??
    described?.certificateAuthority?.data ??
    settings.controllerCertificateAuthority;
  const serviceCIDR = described?.kubernetesNetworkConfig?.serviceIpv4Cidr;
  if (endpoint === undefined)
    throw new Error(
      `cluster ${settings.name}: no API endpoint for nodes; set --cluster-endpoint (CLUSTER_ENDPOINT) or allow eks:DescribeCluster`,
    );
  if (certificateAuthority === undefined)
    throw new Error(
      `cluster ${settings.name}: no certificate authority for nodes; set --cluster-ca-bundle (CLUSTER_CA_BUNDLE) or allow eks:DescribeCluster`,
    );
  return {
    name: settings.name,
    endpoint,
    certificateAuthority,
    ...(serviceCIDR !== undefined && { serviceCIDR }),
  };
}

/** `major.minor` of the API server (`/version`), which picks the EKS-optimized AMIs' SSM parameters. */
export function kubernetesMinorVersion(version: { major?: string; minor?: string }): string {
  const major = (version.major ?? "").replace(/\D+$/, "");
  const minor = (version.minor ?? "").replace(/\D+$/, "");
  if (!/^\d+$/.test(major) || !/^\d+$/.test(minor))
    throw new Error(
      `the API server's /version gives no usable version (${JSON.stringify(version)})`,
    );
  return `${major}.${minor}`;
}
