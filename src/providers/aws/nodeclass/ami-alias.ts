import { Labels } from "../../../api/wellknown.ts";

/** A node selector requirement as `status.amis[].requirements` records it. */
export interface AmiRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: readonly string[];
}

/** Karpenter's AMI variants (amifamily/types.go) and what each asks of an instance type. */
export type Variant = "standard" | "nvidia" | "neuron";

const acceleratorCount = "karpenter.k8s.aws/instance-accelerator-count";

export function variantRequirements(variant: Variant): AmiRequirement[] {
  switch (variant) {
    case "standard":
      return [
        { key: acceleratorCount, operator: "DoesNotExist" },
        { key: Labels.awsInstanceGpuCount, operator: "DoesNotExist" },
      ];
    case "nvidia":
      return [{ key: Labels.awsInstanceGpuCount, operator: "Exists" }];
    case "neuron":
      return [{ key: acceleratorCount, operator: "Exists" }];
  }
}

/** An SSM parameter naming an image, and the variants that image serves. */
export interface AliasParameter {
  readonly path: string;
  readonly variants: readonly Variant[];
  /** `latest` parameters move with each release; pinned ones never change. */
  readonly mutable: boolean;
}

export type AliasResolution =
  | { readonly ok: true; readonly family: string; readonly parameters: readonly AliasParameter[] }
  | { readonly ok: false; readonly message: string };

/**
 * The SSM parameters an `amiSelectorTerms[].alias` reads, as Karpenter's AL2023 and Bottlerocket
 * families build them: `family@latest` reads the recommended image, `family@<version>` the
 * release the version pins; for the Kubernetes version the cluster runs.
 */
export function aliasParameters(alias: string, kubernetesVersion: string): AliasResolution {
  const at = alias.indexOf("@");
  const family = alias.slice(0, at).toLowerCase();
  const version = alias.slice(at + 1);
  if (at <= 0 || version === "")
    return { ok: false, message: `alias ${alias} must have the form family@version` };
  const latest = version === "latest";
  const k8s = kubernetesVersion;
  if (family === "al2023") {
    const path = (arch: string, variant: Variant) =>
      `/aws/service/eks/optimized-ami/${k8s}/amazon-linux-2023/${arch}/${variant}/${
        latest ? "recommended" : `amazon-eks-node-al2023-${arch}-${variant}-${k8s}-${version}`
      }/image_id`;
    const paths: [string, Variant][] = [
      ["x86_64", "standard"],
      ["x86_64", "nvidia"],
      ["x86_64", "neuron"],
      ["arm64", "standard"],
      ["arm64", "nvidia"],
    ];
    return {
      ok: true,
      family: "AL2023",
      parameters: paths.map(([arch, variant]) => ({
        path: path(arch, variant),
        variants: [variant],
        mutable: latest,
      })),
    };
  }
  if (family === "bottlerocket") {
    // Bottlerocket releases are tagged v1.2.3 but the SSM path has no "v": both are accepted.
    const release = latest ? "latest" : version.replace(/^v+/, "");
    const path = (flavour: string, arch: string) =>
      `/aws/service/bottlerocket/aws-k8s-${k8s}${flavour}/${arch}/${release}/image_id`;
    return {
      ok: true,
      family: "Bottlerocket",
      parameters: [
        // The standard x86_64 image carries the Neuron driver too.
        { path: path("", "x86_64"), variants: ["standard", "neuron"], mutable: latest },
        { path: path("", "arm64"), variants: ["standard"], mutable: latest },
        { path: path("-nvidia", "x86_64"), variants: ["nvidia"], mutable: latest },
        { path: path("-nvidia", "arm64"), variants: ["nvidia"], mutable: latest },
      ],
    };
  }
  return {
    ok: false,
    message: `alias family ${family} is not supported (carpool resolves al2023 and bottlerocket aliases)`,
  };
}

/** `x86_64` → `amd64`, `arm64` → `arm64`; other architectures are not launched. */
export function kubeArchitecture(ec2Architecture: string | undefined): string | undefined {
  if (ec2Architecture === "x86_64") return "amd64";
  if (ec2Architecture === "arm64") return "arm64";
  return undefined;
}

/** Karpenter orders an AMI's requirements by key length, then key (controllers/nodeclass/ami.go). */
export function sortRequirements(requirements: readonly AmiRequirement[]): AmiRequirement[] {
  return [...requirements].sort(
    (a, b) => a.key.length - b.key.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}
