import type { FieldError } from "../../api/field-errors.ts";
import { isCIDR, isIP } from "./ip-address.ts";

/** The AMI families carpool renders EKS user data for (EC2NodeClass spec.amiFamily / amiSelectorTerms alias). */
export type EksFamily = "AL2023" | "Bottlerocket" | "Custom";

/**
 * How EKS nodes join: the cluster's facts (EKS DescribeCluster: name, endpoint, certificateAuthority.data,
 * kubernetesNetworkConfig.serviceIpv4Cidr) and the EC2NodeClass's own user data, merged as Karpenter
 * merges it.
 */
export interface EksBootstrapSettings {
  readonly family: EksFamily;
  /** The EKS cluster's name: 1–100 of A-Za-z0-9-_, starting with a letter or digit. */
  readonly clusterName: string;
  /** The API server: `https://host[:port]`. */
  readonly apiServerEndpoint: string;
  /** The cluster CA bundle: base64 of one or more PEM certificates, as DescribeCluster gives it. */
  readonly certificateAuthority: string;
  /** The service CIDR, nodeadm's `spec.cluster.cidr`; AL2023 needs it (nodeadm derives cluster DNS from it). */
  readonly serviceCIDR?: string;
  /** Cluster DNS addresses for the kubelet; Bottlerocket takes the first (as Karpenter does). */
  readonly clusterDNS?: readonly string[];
  /** The EC2NodeClass's spec.userData: MIME, NodeConfig or shell on AL2023, TOML on Bottlerocket, anything on Custom. */
  readonly userData?: string;
}

const families: readonly string[] = ["AL2023", "Bottlerocket", "Custom"];

/** Every problem with the settings' own fields; each family checks `userData` itself. */
export function eksSettingsErrors(settings: EksBootstrapSettings): FieldError[] {
  const errors: FieldError[] = [];
  if (!families.includes(settings.family))
    errors.push({
      path: "family",
      message: `${JSON.stringify(settings.family)}: must be AL2023, Bottlerocket or Custom`,
    });
  errors.push(...clusterNameErrors(settings.clusterName));
  errors.push(...endpointErrors(settings.apiServerEndpoint));
  errors.push(...certificateAuthorityErrors(settings.certificateAuthority));
  errors.push(...serviceCIDRErrors(settings));
  errors.push(...clusterDNSErrors(settings.clusterDNS));
  if (settings.userData !== undefined && typeof settings.userData !== "string")
    errors.push({ path: "userData", message: "must be a string" });
  if (settings.family === "Custom" && (settings.userData ?? "") === "")
    errors.push({
      path: "userData",
      message:
        "required for family Custom: carpool adds nothing to it, so without it the machine cannot join",
    });
  return errors;
}

/** EKS CreateCluster: "can contain only alphanumeric characters (case-sensitive), hyphens, and underscores", 1–100. */
const clusterNamePattern = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

function clusterNameErrors(name: unknown): FieldError[] {
  if (typeof name === "string" && clusterNamePattern.test(name)) return [];
  return [
    {
      path: "clusterName",
      message: `${JSON.stringify(name)}: must be 1 to 100 letters, digits, '-' or '_', starting with a letter or digit (EKS cluster names)`,
    },
  ];
}

/** A host name, an IPv4 or bracketed IPv6 address, an optional port, no path, query or credentials. */
const endpointPattern =
  /^https:\/\/([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(:(\d{1,5}))?\/?$/;

function endpointErrors(endpoint: unknown): FieldError[] {
  const match = typeof endpoint === "string" ? endpointPattern.exec(endpoint) : null;
  const port = match?.[4];
  if (match !== null && (port === undefined || (Number(port) >= 1 && Number(port) <= 65535)))
    return [];
  return [
    {
      path: "apiServerEndpoint",
      message: `${JSON.stringify(endpoint)}: must be https://<host>[:<port>] (no credentials, path, query or whitespace)`,
    },
  ];
}

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const pemCertificate =
  /-----BEGIN CERTIFICATE-----\r?\n[A-Za-z0-9+/=\r\n]+-----END CERTIFICATE-----/;

/**
 * Standard base64 with padding (Karpenter decodes it with base64.StdEncoding before nodeadm's
 * NodeConfig re-encodes it), decoding to at least one PEM certificate.
 */
function certificateAuthorityErrors(data: unknown): FieldError[] {
  const path = "certificateAuthority";
  if (typeof data !== "string" || data === "" || !base64Pattern.test(data))
    return [{ path, message: "must be the CA bundle in standard base64 (padded, no line breaks)" }];
  const decoded = Buffer.from(data, "base64").toString("latin1");
  if (!pemCertificate.test(decoded))
    return [{ path, message: "must decode to PEM certificates (-----BEGIN CERTIFICATE-----)" }];
  return [];
}

function serviceCIDRErrors(settings: EksBootstrapSettings): FieldError[] {
  const { serviceCIDR, family } = settings;
  if (serviceCIDR === undefined) {
    // nodeadm refuses a NodeConfig without spec.cluster.cidr, and Karpenter will not render AL2023
    // user data without it (nodeadm.go: "resolving cluster CIDR").
    return family === "AL2023"
      ? [{ path: "serviceCIDR", message: "required for AL2023: nodeadm needs spec.cluster.cidr" }]
      : [];
  }
  if (typeof serviceCIDR === "string" && isCIDR(serviceCIDR)) return [];
  return [
    {
      path: "serviceCIDR",
      message: `${JSON.stringify(serviceCIDR)}: must be an IPv4 or IPv6 CIDR block such as 10.100.0.0/16`,
    },
  ];
}

function clusterDNSErrors(clusterDNS: unknown): FieldError[] {
  if (clusterDNS === undefined) return [];
  if (!Array.isArray(clusterDNS))
    return [{ path: "clusterDNS", message: "must be a list of IP addresses" }];
  const errors: FieldError[] = [];
  clusterDNS.forEach((address: unknown, index) => {
    if (typeof address !== "string" || !isIP(address))
      errors.push({
        path: `clusterDNS[${index}]`,
        message: `${JSON.stringify(address)}: must be an IPv4 or IPv6 address`,
      });
  });
  return errors;
}
