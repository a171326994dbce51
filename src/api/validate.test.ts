import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { validateObject } from "./validate.ts";

const nodePool = (spec: Record<string, unknown> = {}, template: Record<string, unknown> = {}) => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodePool",
  metadata: { name: "gpu" },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
        requirements: [],
        ...template,
      },
    },
    ...spec,
  },
});

const errorsOf = (object: unknown) => {
  const result = validateObject(object);
  return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
};

describe("NodePool validation (Karpenter v1 CRD schema and CEL rules)", () => {
  const rows: [string, unknown, string[]][] = [
    ["a minimal NodePool is valid", nodePool(), []],
    [
      "taint effect must be one of the three (core/v1 TaintEffect)",
      nodePool(
        {},
        {
          taints: [
            { key: "a", effect: "NoSchedule" },
            { key: "b", effect: "Sometimes" },
          ],
        },
      ),
      ["spec.template.spec.taints[1].effect: must be NoSchedule, PreferNoSchedule or NoExecute"],
    ],
    [
      "nodeClassRef is required",
      { ...nodePool(), spec: { template: { spec: { requirements: [] } } } },
      ["spec.template.spec.nodeClassRef: is required"],
    ],
    [
      "In needs at least one value (ValidateNodeSelectorRequirement)",
      nodePool({}, { requirements: [{ key: "team", operator: "In" }] }),
      [
        "spec.template.spec.requirements: requirements with operator 'In' must have a value defined",
        "spec.template.spec.requirements[0].values: must be non-empty when operator is In",
      ],
    ],
    [
      "Exists takes no values",
      nodePool({}, { requirements: [{ key: "team", operator: "Exists", values: ["a"] }] }),
      ["spec.template.spec.requirements[0].values: must be empty when operator is Exists"],
    ],
    [
      "Gt needs a single non-negative integer (CEL: single positive integer value)",
      nodePool(
        {},
        {
          requirements: [
            { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["-1"] },
          ],
        },
      ),
      [
        // The CRD's CEL rule on the list, then Karpenter's runtime validation on the item.
        "spec.template.spec.requirements: requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value",
        "spec.template.spec.requirements[0].values: key karpenter.k8s.aws/instance-generation with operator Gt must have a single positive integer value",
      ],
    ],
    [
      "Lt with a non-integer value is rejected",
      nodePool(
        {},
        {
          requirements: [
            { key: "karpenter.k8s.aws/instance-cpu", operator: "Lt", values: ["four"] },
          ],
        },
      ),
      [
        "spec.template.spec.requirements: requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value",
        "spec.template.spec.requirements[0].values: key karpenter.k8s.aws/instance-cpu with operator Lt must have a single positive integer value",
      ],
    ],
    [
      "minValues must not exceed the In values (CEL)",
      nodePool(
        {},
        {
          requirements: [
            {
              key: "node.kubernetes.io/instance-type",
              operator: "In",
              values: ["a"],
              minValues: 2,
            },
          ],
        },
      ),
      [
        "spec.template.spec.requirements: requirements with 'minValues' must have at least that many values specified in the 'values' field",
        "spec.template.spec.requirements[0].minValues: requirements with 'minValues' must have at least that many values specified in the 'values' field",
      ],
    ],
    [
      "kubernetes.io keys are allowed since Karpenter v1.9.0 (kubernetes-sigs/karpenter#2586)",
      nodePool({}, { requirements: [{ key: "example.kubernetes.io/x", operator: "Exists" }] }),
      [],
    ],
    [
      "node.kubernetes.io is an allowed exception (LabelDomainExceptions)",
      nodePool({}, { requirements: [{ key: "node.kubernetes.io/pool", operator: "Exists" }] }),
      [],
    ],
    [
      "well-known labels are allowed",
      nodePool(
        {},
        { requirements: [{ key: "topology.kubernetes.io/zone", operator: "In", values: ["a"] }] },
      ),
      [],
    ],
    [
      "karpenter.sh/nodepool may not be required (CEL)",
      nodePool({}, { requirements: [{ key: "karpenter.sh/nodepool", operator: "Exists" }] }),
      ['spec.template.spec.requirements[0].key: label "karpenter.sh/nodepool" is restricted'],
    ],
    [
      "kubernetes.io/hostname is restricted",
      nodePool({}, { requirements: [{ key: "kubernetes.io/hostname", operator: "Exists" }] }),
      ['spec.template.spec.requirements[0].key: label "kubernetes.io/hostname" is restricted'],
    ],
    [
      "k8s.io template labels are allowed since v1.9.0 (kubernetes-sigs/karpenter#2586)",
      {
        ...nodePool(),
        spec: {
          ...nodePool().spec,
          template: { ...nodePool().spec.template, metadata: { labels: { "x.k8s.io/a": "b" } } },
        },
      },
      [],
    ],
    [
      "label values follow IsValidLabelValue",
      nodePool({}, { requirements: [{ key: "team", operator: "In", values: ["-bad"] }] }),
      [
        "spec.template.spec.requirements[0].values[0]: must be empty or consist of alphanumeric characters, '-', '_' or '.', and start and end with an alphanumeric character",
      ],
    ],
    [
      "expireAfter must be a duration or Never",
      nodePool({}, { expireAfter: "30 days" }),
      ['spec.template.spec.expireAfter: "30 days" must match ^(([0-9]+(s|m|h))+|Never)$'],
    ],
    [
      "budget nodes must be a count or percentage",
      nodePool({ disruption: { consolidateAfter: "0s", budgets: [{ nodes: "150%" }] } }),
      ['spec.disruption.budgets[0].nodes: "150%" must match ^((100|[0-9]{1,2})%|[0-9]+)$'],
    ],
    [
      "a budget schedule needs a duration (CEL)",
      nodePool({
        disruption: { consolidateAfter: "0s", budgets: [{ nodes: "0", schedule: "@daily" }] },
      }),
      ["spec.disruption.budgets: 'schedule' must be set with 'duration'"],
    ],
    [
      "weight is 1..100",
      nodePool({ weight: 0 }),
      ["spec.weight: Invalid value: 0: must be greater than or equal to 1"],
    ],
    [
      "consolidationPolicy is an enum",
      nodePool({ disruption: { consolidateAfter: "0s", consolidationPolicy: "Always" } }),
      [
        "spec.disruption.consolidationPolicy: must be WhenEmpty, WhenEmptyOrUnderutilized or Balanced",
      ],
    ],
    [
      "limits are quantities",
      nodePool({ limits: { cpu: "lots" } }),
      [
        `spec.limits.cpu: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "lots"`,
      ],
    ],
  ];
  for (const [rule, object, expected] of rows) {
    it(rule, () => assert.deepEqual(errorsOf(object), expected));
  }
});

describe("Pod validation (core/v1 rules carpool relies on)", () => {
  const pod = (spec: Record<string, unknown>) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: { containers: [{ name: "c" }], ...spec },
  });
  it("a toleration with operator Exists must have no value", () => {
    assert.deepEqual(
      errorsOf(pod({ tolerations: [{ key: "a", operator: "Exists", value: "b" }] })),
      ["spec.tolerations[0].value: must be empty when operator is Exists"],
    );
  });
  it("an empty toleration key needs operator Exists", () => {
    assert.deepEqual(errorsOf(pod({ tolerations: [{ operator: "Equal", value: "b" }] })), [
      "spec.tolerations[0].operator: must be Exists when key is empty",
    ]);
  });
  it("invalid resource quantities name the container field", () => {
    const errors = errorsOf(
      pod({ containers: [{ name: "c", resources: { requests: { memory: "1gb" } } }] }),
    );
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? "", /^spec\.containers\[0\]\.resources\.requests\.memory: .*"1gb"/);
  });
  it("an unknown kind is flagged as such, not as invalid", () => {
    const result = validateObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } });
    assert.ok(!result.ok && result.unknownKind);
  });
});

describe("KwokNodeClass validation (carpool.dev/v1alpha1, an empty spec)", () => {
  const kwokNodeClass = (extra: Record<string, unknown> = {}) => ({
    apiVersion: "carpool.dev/v1alpha1",
    kind: "KwokNodeClass",
    metadata: { name: "default" },
    ...extra,
  });
  const rows: [string, unknown, string[]][] = [
    ["without a spec it is valid", kwokNodeClass(), []],
    ["an empty spec is valid", kwokNodeClass({ spec: {} }), []],
    [
      "a Ready condition in status is valid",
      kwokNodeClass({ spec: {}, status: { conditions: [{ type: "Ready", status: "True" }] } }),
      [],
    ],
    [
      "a field in spec is refused, not ignored (Karpenter's KWOKNodeClass fields are not read)",
      kwokNodeClass({ spec: { nodeRegistrationDelay: "5s" } }),
      ["spec.nodeRegistrationDelay: is not a field of this kind"],
    ],
    [
      "a condition needs its type and status (metav1.Condition)",
      kwokNodeClass({ status: { conditions: [{ type: "Ready" }] } }),
      ["status.conditions[0].status: is required"],
    ],
  ];
  for (const [rule, object, expected] of rows) {
    it(rule, () => assert.deepEqual(errorsOf(object), expected));
  }
});

describe("EC2NodeClass validation (Karpenter v1 EC2NodeClass CRD schema and CEL rules)", () => {
  const ec2NodeClass = (spec: Record<string, unknown> = {}, drop: string[] = []) => {
    const base: Record<string, unknown> = {
      amiSelectorTerms: [{ alias: "al2023@latest" }],
      role: "KarpenterNodeRole",
      subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "demo" } }],
      securityGroupSelectorTerms: [{ tags: { "karpenter.sh/discovery": "demo" } }],
      ...spec,
    };
    for (const field of drop) delete base[field];
    return {
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: "default" },
      spec: base,
    };
  };
  const rows: [string, unknown, string[]][] = [
    ["an alias, a role and tag selectors are valid", ec2NodeClass(), []],
    [
      "every field Karpenter v1 defines is accepted",
      ec2NodeClass({
        amiFamily: "AL2023",
        amiSelectorTerms: [{ alias: "al2023@v20240807" }],
        capacityReservationSelectorTerms: [{ id: "cr-0123456789abcdef0" }],
        associatePublicIPAddress: false,
        userData: "#!/bin/bash\n",
        tags: { team: "web" },
        kubelet: {
          maxPods: 58,
          podsPerCore: 10,
          systemReserved: { cpu: "100m", memory: "100Mi" },
          kubeReserved: { cpu: "200m", "ephemeral-storage": "1Gi" },
          evictionHard: { "memory.available": "5%", "nodefs.available": "10%" },
          evictionSoft: { "memory.available": "500Mi" },
          evictionSoftGracePeriod: { "memory.available": "1m30s" },
          evictionMaxPodGracePeriod: 60,
          imageGCHighThresholdPercent: 85,
          imageGCLowThresholdPercent: 80,
          cpuCFSQuota: true,
          clusterDNS: ["10.0.0.10"],
        },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            rootVolume: true,
            ebs: {
              volumeSize: "100Gi",
              volumeType: "gp3",
              iops: 3000,
              throughput: 125,
              encrypted: true,
              kmsKeyID: "alias/ebs",
              deleteOnTermination: true,
            },
          },
          {
            deviceName: "/dev/xvdb",
            ebs: { snapshotID: "snap-0123", volumeInitializationRate: 200 },
          },
        ],
        instanceStorePolicy: "RAID0",
        metadataOptions: {
          httpEndpoint: "enabled",
          httpProtocolIPv6: "disabled",
          httpPutResponseHopLimit: 2,
          httpTokens: "required",
        },
        detailedMonitoring: true,
        context: "ctx",
      }),
      [],
    ],
    [
      "subnetSelectorTerms is required (Karpenter CRD required)",
      ec2NodeClass({}, ["subnetSelectorTerms"]),
      ["spec.subnetSelectorTerms: is required"],
    ],
    [
      "amiFamily is one of Karpenter's families (Ubuntu was dropped in v1)",
      ec2NodeClass({ amiFamily: "Ubuntu", amiSelectorTerms: [{ id: "ami-0123" }] }),
      [
        "spec.amiFamily: must be AL2, AL2023, Bottlerocket, Custom, Windows2019, Windows2022 or Windows2025",
      ],
    ],
    [
      "a subnet id has the subnet- form (CRD pattern)",
      ec2NodeClass({ subnetSelectorTerms: [{ id: "sn-1" }] }),
      ['spec.subnetSelectorTerms[0].id: "sn-1" must match subnet-[0-9a-z]+'],
    ],
    [
      "subnetSelectorTerms cannot be empty (CEL self.size() != 0)",
      ec2NodeClass({ subnetSelectorTerms: [] }),
      [
        "spec.subnetSelectorTerms: subnetSelectorTerms cannot be empty",
        "spec.subnetSelectorTerms: 'id' is mutually exclusive, cannot be set with a combination of other fields in a subnet selector term",
      ],
    ],
    [
      "a subnet term names tags or an id (CEL)",
      ec2NodeClass({ subnetSelectorTerms: [{ tags: { a: "b" } }, {}] }),
      ["spec.subnetSelectorTerms: expected at least one, got none, ['tags', 'id']"],
    ],
    [
      "a subnet term with id and tags is refused when all terms do (CEL !self.all)",
      ec2NodeClass({ subnetSelectorTerms: [{ id: "subnet-1", tags: { a: "b" } }] }),
      [
        "spec.subnetSelectorTerms: 'id' is mutually exclusive, cannot be set with a combination of other fields in a subnet selector term",
      ],
    ],
    [
      "selector tags have no empty key or value (CEL)",
      ec2NodeClass({ securityGroupSelectorTerms: [{ tags: { team: "" } }] }),
      ["spec.securityGroupSelectorTerms[0].tags: empty tag keys or values aren't supported"],
    ],
    [
      "a security group term's name excludes tags (CEL)",
      ec2NodeClass({ securityGroupSelectorTerms: [{ name: "web", tags: { a: "b" } }] }),
      [
        "spec.securityGroupSelectorTerms: 'name' is mutually exclusive, cannot be set with a combination of other fields in a security group selector term",
      ],
    ],
    [
      "an alias is family@version (CEL)",
      ec2NodeClass({ amiSelectorTerms: [{ alias: "al2023" }] }),
      [
        "spec.amiSelectorTerms[0].alias: 'alias' is improperly formatted, must match the format 'family@version'",
      ],
    ],
    [
      "an alias family is one Karpenter knows (CEL)",
      ec2NodeClass({ amiFamily: "Custom", amiSelectorTerms: [{ alias: "ubuntu@latest" }] }),
      [
        "spec.amiSelectorTerms[0].alias: family is not supported, must be one of the following: 'al2', 'al2023', 'bottlerocket', 'windows2019', 'windows2022', 'windows2025'",
      ],
    ],
    [
      "Windows aliases take only latest (CEL)",
      ec2NodeClass({ amiSelectorTerms: [{ alias: "windows2022@v1" }] }),
      ["spec.amiSelectorTerms[0].alias: windows families may only specify version 'latest'"],
    ],
    [
      "a pinned Bottlerocket alias is valid",
      ec2NodeClass({ amiSelectorTerms: [{ alias: "bottlerocket@v1.20.3" }] }),
      [],
    ],
    [
      "an alias is the only term (CEL)",
      ec2NodeClass({ amiSelectorTerms: [{ alias: "al2023@latest" }, { id: "ami-1" }] }),
      [
        "spec.amiSelectorTerms: 'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms",
      ],
    ],
    [
      "an alias term has no other field (CEL)",
      ec2NodeClass({ amiSelectorTerms: [{ alias: "al2023@latest", owner: "amazon" }] }),
      [
        "spec.amiSelectorTerms: 'alias' is mutually exclusive, cannot be set with a combination of other fields in amiSelectorTerms",
      ],
    ],
    [
      "an AMI id term has no other field (CEL)",
      ec2NodeClass({ amiFamily: "AL2023", amiSelectorTerms: [{ id: "ami-1", name: "x" }] }),
      [
        "spec.amiSelectorTerms: 'id' is mutually exclusive, cannot be set with a combination of other fields in amiSelectorTerms",
      ],
    ],
    [
      "amiSelectorTerms has at least one term (CRD minItems)",
      ec2NodeClass({ amiFamily: "AL2023", amiSelectorTerms: [] }),
      ["spec.amiSelectorTerms: must have at least 1 item(s)"],
    ],
    [
      "amiFamily is required without an alias (CEL)",
      ec2NodeClass({ amiSelectorTerms: [{ ssmParameter: "/my/ami" }] }),
      ["spec: must specify amiFamily if amiSelectorTerms does not contain an alias"],
    ],
    [
      "amiFamily matches the alias or is Custom (CEL)",
      ec2NodeClass({ amiFamily: "Bottlerocket" }),
      ["spec: if set, amiFamily must be 'AL2023' or 'Custom' when using an AL2023 alias"],
    ],
    ["amiFamily Custom with an alias is valid", ec2NodeClass({ amiFamily: "Custom" }), []],
    [
      "role and instanceProfile are exclusive (CEL)",
      ec2NodeClass({ instanceProfile: "KarpenterNodeInstanceProfile" }),
      ["spec: must specify exactly one of ['role', 'instanceProfile']"],
    ],
    [
      "one of role and instanceProfile is required (CEL)",
      ec2NodeClass({}, ["role"]),
      ["spec: must specify exactly one of ['role', 'instanceProfile']"],
    ],
    ["role cannot be empty (CEL)", ec2NodeClass({ role: "" }), ["spec.role: role cannot be empty"]],
    [
      "tags may not name the keys Karpenter sets (CEL restricted tags)",
      ec2NodeClass({
        tags: {
          "kubernetes.io/cluster/demo": "owned",
          "karpenter.sh/nodepool": "x",
          "karpenter.sh/custom": "ok",
        },
      }),
      [
        "spec.tags: tag contains a restricted tag matching kubernetes.io/cluster/",
        "spec.tags: tag contains a restricted tag matching karpenter.sh/nodepool",
      ],
    ],
    [
      "tags may not set eks:eks-cluster-name or karpenter.k8s.aws/ec2nodeclass (CEL)",
      ec2NodeClass({
        tags: {
          "eks:eks-cluster-name": "x",
          "karpenter.k8s.aws/ec2nodeclass": "y",
          "karpenter.sh/nodeclaim": "z",
        },
      }),
      [
        "spec.tags: tag contains a restricted tag matching eks:eks-cluster-name",
        "spec.tags: tag contains a restricted tag matching karpenter.sh/nodeclaim",
        "spec.tags: tag contains a restricted tag matching karpenter.k8s.aws/ec2nodeclass",
      ],
    ],
    [
      "at most one root volume (CEL)",
      ec2NodeClass({
        blockDeviceMappings: [
          { deviceName: "/dev/xvda", rootVolume: true, ebs: { volumeSize: "20Gi" } },
          { deviceName: "/dev/xvdb", rootVolume: true, ebs: { volumeSize: "20Gi" } },
        ],
      }),
      ["spec.blockDeviceMappings: must have only one blockDeviceMappings with rootVolume"],
    ],
    [
      "an EBS volume has a size or a snapshot (CEL)",
      ec2NodeClass({
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp3" } }],
      }),
      ["spec.blockDeviceMappings[0].ebs: snapshotID or volumeSize must be defined"],
    ],
    [
      "a volume size is Gi, G, Ti or T within EBS limits (CRD pattern)",
      ec2NodeClass({ blockDeviceMappings: [{ ebs: { volumeSize: "20Mi" } }] }),
      [
        'spec.blockDeviceMappings[0].ebs.volumeSize: "20Mi" must match ^((?:[1-9][0-9]{0,3}|[1-4][0-9]{4}|[5][0-8][0-9]{3}|59000)Gi|(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|[6][0-3][0-9]{3}|64000)G|([1-9]||[1-5][0-7]|58)Ti|([1-9]||[1-5][0-9]|6[0-3]|64)T)$',
      ],
    ],
    [
      "the hop limit is 1 to 64 (CRD)",
      ec2NodeClass({ metadataOptions: { httpPutResponseHopLimit: 65 } }),
      [
        "spec.metadataOptions.httpPutResponseHopLimit: Invalid value: 65: must be less than or equal to 64",
      ],
    ],
    [
      "kubeReserved names only cpu, memory, ephemeral-storage, pid (CEL)",
      ec2NodeClass({ kubelet: { kubeReserved: { "nvidia.com/gpu": "1" } } }),
      [
        "spec.kubelet.kubeReserved: valid keys for kubeReserved are ['cpu','memory','ephemeral-storage','pid']",
      ],
    ],
    [
      "systemReserved is not negative (CEL)",
      ec2NodeClass({ kubelet: { systemReserved: { memory: "-1Gi" } } }),
      ["spec.kubelet.systemReserved: systemReserved value cannot be a negative resource quantity"],
    ],
    [
      "evictionHard names only kubelet eviction signals (CEL)",
      ec2NodeClass({ kubelet: { evictionHard: { "memory.free": "100Mi" } } }),
      [
        "spec.kubelet.evictionHard: valid keys for evictionHard are ['memory.available','nodefs.available','nodefs.inodesFree','imagefs.available','imagefs.inodesFree','pid.available']",
      ],
    ],
    [
      "an eviction threshold is a percentage or a quantity (CRD pattern)",
      ec2NodeClass({ kubelet: { evictionHard: { "memory.available": "lots" } } }),
      [
        'spec.kubelet.evictionHard.memory.available: "lots" must match ^((\\d{1,2}(\\.\\d{1,2})?|100(\\.0{1,2})?)%||(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?)$',
      ],
    ],
    [
      "each evictionSoft signal has a grace period and back (CEL)",
      ec2NodeClass({
        kubelet: {
          evictionSoft: { "memory.available": "1Gi" },
          evictionSoftGracePeriod: { "nodefs.available": "1m" },
        },
      }),
      [
        "spec.kubelet: evictionSoft OwnerKey does not have a matching evictionSoftGracePeriod",
        "spec.kubelet: evictionSoftGracePeriod OwnerKey does not have a matching evictionSoft",
      ],
    ],
    [
      "imageGCHighThresholdPercent is above imageGCLowThresholdPercent (CEL)",
      ec2NodeClass({
        kubelet: { imageGCHighThresholdPercent: 50, imageGCLowThresholdPercent: 50 },
      }),
      ["spec.kubelet: imageGCHighThresholdPercent must be greater than imageGCLowThresholdPercent"],
    ],
    [
      "a capacity reservation id has the cr- form (CRD pattern)",
      ec2NodeClass({ capacityReservationSelectorTerms: [{ id: "r-1" }] }),
      ['spec.capacityReservationSelectorTerms[0].id: "r-1" must match ^cr-[0-9a-z]+$'],
    ],
    [
      "a resolved AMI in status carries its requirements (CRD required)",
      { ...ec2NodeClass(), status: { amis: [{ id: "ami-1" }] } },
      ["status.amis[0].requirements: is required"],
    ],
    [
      "a status as the node class controller writes it is valid",
      {
        ...ec2NodeClass(),
        status: {
          subnets: [{ id: "subnet-1", zone: "us-east-1a", zoneID: "use1-az1" }],
          securityGroups: [{ id: "sg-1", name: "nodes" }],
          amis: [
            {
              id: "ami-1",
              name: "al2023",
              requirements: [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }],
            },
          ],
          instanceProfile: "demo_123",
          conditions: [{ type: "Ready", status: "True", reason: "Ready", observedGeneration: 1 }],
        },
      },
      [],
    ],
  ];
  for (const [rule, object, expected] of rows) {
    it(rule, () => assert.deepEqual(errorsOf(object), expected));
  }
});
