/**
 * The CEL rules (x-kubernetes-validations) of Karpenter's v1 EC2NodeClass CRD
 * (aws/karpenter-provider-aws pkg/apis/v1/ec2nodeclass.go markers and its generated
 * karpenter.k8s.aws_ec2nodeclasses.yaml). Each rule is stated once: the CRD carries `rule`, and
 * carpool's own check (ec2nodeclass-rules.ts) reports the same `message` at the same field, so
 * `carpool plan -f` and the API server refuse an object with the same words.
 */
export interface CelRule {
  readonly rule: string;
  readonly message: string;
}

/** The AMI families an alias may name (`al2023@latest`), lower-case as written in aliases. */
export const AliasFamilies = [
  "al2",
  "al2023",
  "bottlerocket",
  "windows2019",
  "windows2022",
  "windows2025",
] as const;
export const WindowsAliasFamilies = ["windows2019", "windows2022", "windows2025"] as const;

const quoted = (words: readonly string[]) => words.map((w) => `'${w}'`).join(",");
const quotedSpaced = (words: readonly string[]) => words.map((w) => `'${w}'`).join(", ");

/** Tags of a selector term: keys and values both non-empty. */
export const selectorTagsNotEmpty: CelRule = {
  rule: "self.all(k, k != '' && self[k] != '')",
  message: "empty tag keys or values aren't supported",
};

export const subnetTermRules = {
  notEmpty: { rule: "self.size() != 0", message: "subnetSelectorTerms cannot be empty" },
  oneField: {
    rule: "self.all(x, has(x.tags) || has(x.id))",
    message: "expected at least one, got none, ['tags', 'id']",
  },
  // Karpenter writes `!self.all(...)`: refused only when every term combines id with tags.
  idExclusive: {
    rule: "!self.all(x, has(x.id) && has(x.tags))",
    message:
      "'id' is mutually exclusive, cannot be set with a combination of other fields in a subnet selector term",
  },
} as const satisfies Record<string, CelRule>;

export const securityGroupTermRules = {
  notEmpty: { rule: "self.size() != 0", message: "securityGroupSelectorTerms cannot be empty" },
  oneField: {
    rule: "self.all(x, has(x.tags) || has(x.id) || has(x.name))",
    message: "expected at least one, got none, ['tags', 'id', 'name']",
  },
  idExclusive: {
    rule: "!self.all(x, has(x.id) && (has(x.tags) || has(x.name)))",
    message:
      "'id' is mutually exclusive, cannot be set with a combination of other fields in a security group selector term",
  },
  nameExclusive: {
    rule: "!self.all(x, has(x.name) && (has(x.tags) || has(x.id)))",
    message:
      "'name' is mutually exclusive, cannot be set with a combination of other fields in a security group selector term",
  },
} as const satisfies Record<string, CelRule>;

export const capacityReservationTermRules = {
  oneField: {
    rule: "self.all(x, has(x.tags) || has(x.id) || has(x.instanceMatchCriteria))",
    message: "expected at least one, got none, ['tags', 'id', 'instanceMatchCriteria']",
  },
  idExclusive: {
    rule: "!self.all(x, has(x.id) && (has(x.tags) || has(x.ownerID) || has(x.instanceMatchCriteria)))",
    message:
      "'id' is mutually exclusive, cannot be set along with other fields in a capacity reservation selector term",
  },
} as const satisfies Record<string, CelRule>;

export const amiTermRules = {
  oneField: {
    rule: "self.all(x, has(x.tags) || has(x.id) || has(x.name) || has(x.alias) || has(x.ssmParameter))",
    message: "expected at least one, got none, ['tags', 'id', 'name', 'alias', 'ssmParameter']",
  },
  idExclusive: {
    rule: "!self.exists(x, has(x.id) && (has(x.alias) || has(x.tags) || has(x.name) || has(x.owner)))",
    message:
      "'id' is mutually exclusive, cannot be set with a combination of other fields in amiSelectorTerms",
  },
  aliasExclusiveFields: {
    rule: "!self.exists(x, has(x.alias) && (has(x.id) || has(x.tags) || has(x.name) || has(x.owner)))",
    message:
      "'alias' is mutually exclusive, cannot be set with a combination of other fields in amiSelectorTerms",
  },
  aliasExclusiveTerms: {
    rule: "!(self.exists(x, has(x.alias)) && self.size() != 1)",
    message:
      "'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms",
  },
} as const satisfies Record<string, CelRule>;

export const aliasRules = {
  format: {
    rule: "self.matches('^[a-zA-Z0-9]+@.+$')",
    message: "'alias' is improperly formatted, must match the format 'family@version'",
  },
  family: {
    rule: `self.split('@')[0] in [${quoted(AliasFamilies)}]`,
    message: `family is not supported, must be one of the following: ${quotedSpaced(AliasFamilies)}`,
  },
  windowsLatest: {
    rule: `self.split('@')[0] in [${quoted(WindowsAliasFamilies)}] ? self.split('@')[1] == 'latest' : true`,
    message: "windows families may only specify version 'latest'",
  },
} as const satisfies Record<string, CelRule>;

/** Tag keys Karpenter sets itself on what it launches: a node class may not set them. */
export const restrictedTagRules = {
  emptyKey: { rule: "self.all(k, k != '')", message: "empty tag keys aren't supported" },
  eksClusterName: {
    rule: "self.all(k, k !='eks:eks-cluster-name')",
    message: "tag contains a restricted tag matching eks:eks-cluster-name",
  },
  kubernetesCluster: {
    rule: "self.all(k, !k.startsWith('kubernetes.io/cluster') )",
    message: "tag contains a restricted tag matching kubernetes.io/cluster/",
  },
  nodePool: {
    rule: "self.all(k, k != 'karpenter.sh/nodepool')",
    message: "tag contains a restricted tag matching karpenter.sh/nodepool",
  },
  nodeClaim: {
    rule: "self.all(k, k !='karpenter.sh/nodeclaim')",
    message: "tag contains a restricted tag matching karpenter.sh/nodeclaim",
  },
  nodeClass: {
    rule: "self.all(k, k !='karpenter.k8s.aws/ec2nodeclass')",
    message: "tag contains a restricted tag matching karpenter.k8s.aws/ec2nodeclass",
  },
} as const satisfies Record<string, CelRule>;

export const ReservedResourceKeys = ["cpu", "memory", "ephemeral-storage", "pid"] as const;
export const EvictionSignals = [
  "memory.available",
  "nodefs.available",
  "nodefs.inodesFree",
  "imagefs.available",
  "imagefs.inodesFree",
  "pid.available",
] as const;

/** kubeReserved / systemReserved: only the four resources the kubelet reserves, none negative. */
export function reservedRules(field: "kubeReserved" | "systemReserved"): readonly CelRule[] {
  return [
    {
      rule: `self.all(x, ${ReservedResourceKeys.map((k) => `x=='${k}'`).join(" || ")})`,
      message: `valid keys for ${field} are [${quoted(ReservedResourceKeys)}]`,
    },
    {
      rule: "self.all(x, !self[x].startsWith('-'))",
      message: `${field} value cannot be a negative resource quantity`,
    },
  ];
}

/** evictionHard / evictionSoft / evictionSoftGracePeriod: only the kubelet's eviction signals. */
export function evictionSignalRule(
  field: "evictionHard" | "evictionSoft" | "evictionSoftGracePeriod",
): CelRule {
  return {
    rule: `self.all(x, x in [${quoted(EvictionSignals)}])`,
    message: `valid keys for ${field} are [${quoted(EvictionSignals)}]`,
  };
}

export const kubeletRules = {
  imageGC: {
    rule: "has(self.imageGCHighThresholdPercent) && has(self.imageGCLowThresholdPercent) ?  self.imageGCHighThresholdPercent > self.imageGCLowThresholdPercent  : true",
    message: "imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent",
  },
  softHasGracePeriod: {
    rule: "has(self.evictionSoft) ? self.evictionSoft.all(e, (e in self.evictionSoftGracePeriod)):true",
    message: "evictionSoft OwnerKey does not have a matching evictionSoftGracePeriod",
  },
  gracePeriodHasSoft: {
    rule: "has(self.evictionSoftGracePeriod) ? self.evictionSoftGracePeriod.all(e, (e in self.evictionSoft)):true",
    message: "evictionSoftGracePeriod OwnerKey does not have a matching evictionSoft",
  },
} as const satisfies Record<string, CelRule>;

export const blockDeviceRules = {
  oneRootVolume: {
    rule: "self.filter(x, has(x.rootVolume)?x.rootVolume==true:false).size() <= 1",
    message: "must have only one blockDeviceMappings with rootVolume",
  },
  sizeOrSnapshot: {
    rule: "has(self.snapshotID) || has(self.volumeSize)",
    message: "snapshotID or volumeSize must be defined",
  },
  initializationRateNeedsSnapshot: {
    rule: "!has(self.volumeInitializationRate) || (has(self.snapshotID) && self.snapshotID != '')",
    message: "snapshotID must be set when volumeInitializationRate is set",
  },
} as const satisfies Record<string, CelRule>;

export const emptyRole: CelRule = { rule: "self != ''", message: "role cannot be empty" };
export const emptyInstanceProfile: CelRule = {
  rule: "self != ''",
  message: "instanceProfile cannot be empty",
};

/** The AMI families amiFamily may name, as written in `spec.amiFamily`. */
export const AMIFamilies = [
  "AL2",
  "AL2023",
  "Bottlerocket",
  "Custom",
  "Windows2019",
  "Windows2022",
  "Windows2025",
] as const;
export type AMIFamily = (typeof AMIFamilies)[number];

/** The amiFamily an alias family stands for (`al2023` → `AL2023`). */
export function familyOfAlias(aliasFamily: string): AMIFamily | undefined {
  return AMIFamilies.find((family) => family !== "Custom" && family.toLowerCase() === aliasFamily);
}

/** Rules across fields of spec. */
export function specRules(): readonly CelRule[] {
  const aliasFamilyRules = AliasFamilies.map((alias) => {
    const family = familyOfAlias(alias) ?? alias;
    const article = family === "AL2" || family === "AL2023" ? "an" : "a";
    return {
      rule: `!has(self.amiFamily) || (self.amiSelectorTerms.exists(x, has(x.alias) && x.alias.find('^[^@]+') == '${alias}') ? (self.amiFamily == 'Custom' || self.amiFamily == '${family}') : true)`,
      message: `if set, amiFamily must be '${family}' or 'Custom' when using ${article} ${family} alias`,
    };
  });
  return [roleXorInstanceProfile, ...aliasFamilyRules, amiFamilyRequired];
}

export const roleXorInstanceProfile: CelRule = {
  rule: "(has(self.role) && !has(self.instanceProfile)) || (!has(self.role) && has(self.instanceProfile))",
  message: "must specify exactly one of ['role', 'instanceProfile']",
};

export const amiFamilyRequired: CelRule = {
  rule: "self.amiSelectorTerms.exists(x, has(x.alias)) ? true : has(self.amiFamily)",
  message: "must specify amiFamily if amiSelectorTerms does not contain an alias",
};
