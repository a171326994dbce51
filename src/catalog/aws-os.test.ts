import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plan } from "../plan.ts";
import { awsCatalog } from "./aws-catalog.ts";
import { forAmiFamily } from "./aws-os.ts";

// Karpenter's AWS provider decides a type's OS from the node class's AMI family
// (pkg/providers/instancetype/types.go getOS): Windows families on amd64 only, with their
// node.kubernetes.io/windows-build; every other family Linux.
describe("the OS of an EC2 instance type comes from the AMI family", () => {
  const types = new Map(awsCatalog().instanceTypes.map((t) => [t.name, t]));
  const m5 = types.get("m5.large");
  const m6g = types.get("m6g.large");
  assert.ok(m5 && m6g);
  const cases: [string, string, Record<string, string> | undefined][] = [
    ["AL2023 on amd64 is Linux", "AL2023", { os: "linux" }],
    ["Bottlerocket on arm64 is Linux", "Bottlerocket", { os: "linux" }],
    [
      "Windows2019 on amd64 is Windows build 10.0.17763",
      "Windows2019",
      { os: "windows", build: "10.0.17763" },
    ],
    [
      "Windows2022 on amd64 is Windows build 10.0.20348",
      "Windows2022",
      { os: "windows", build: "10.0.20348" },
    ],
    [
      "Windows2025 on amd64 is Windows build 10.0.26100",
      "Windows2025",
      { os: "windows", build: "10.0.26100" },
    ],
  ];
  for (const [name, family, expected] of cases) {
    it(name, () => {
      const type = forAmiFamily(family === "Bottlerocket" ? m6g : m5, family);
      assert.equal(type?.labels["kubernetes.io/os"], expected?.os);
      assert.equal(type?.labels["node.kubernetes.io/windows-build"], expected?.build);
    });
  }
  it("Windows does not run on arm64: the type is left out", () => {
    assert.equal(forAmiFamily(m6g, "Windows2022"), undefined);
  });

  const windowsPool = [
    {
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: "windows" },
      spec: {
        amiSelectorTerms: [{ alias: "windows2022@latest" }],
        role: "KarpenterNodeRole",
        subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "demo" } }],
        securityGroupSelectorTerms: [{ tags: { "karpenter.sh/discovery": "demo" } }],
      },
    },
    {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: "windows" },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "windows" },
            requirements: [{ key: "kubernetes.io/os", operator: "In", values: ["windows"] }],
          },
        },
      },
    },
  ];
  const windowsPod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "iis", namespace: "default" },
    spec: {
      nodeSelector: { "kubernetes.io/os": "windows" },
      containers: [{ name: "c", image: "i", resources: { requests: { cpu: "1", memory: "1Gi" } } }],
    },
  };
  it("Karpenter's Windows example pool plans Windows nodes for Windows pods", () => {
    const result = plan([...windowsPool, windowsPod]);
    assert.equal(result.nodeClaims.length, 1);
    const claim = result.nodeClaims[0];
    assert.equal(claim?.nodePool, "windows");
    assert.equal(claim?.labels["kubernetes.io/os"], "windows");
    assert.equal(claim?.labels["node.kubernetes.io/windows-build"], "10.0.20348");
    assert.equal(claim?.labels["kubernetes.io/arch"], "amd64");
  });
  it("a Linux pod does not land on the Windows pool", () => {
    const linuxPod = {
      ...windowsPod,
      metadata: { name: "web", namespace: "default" },
      spec: { ...windowsPod.spec, nodeSelector: { "kubernetes.io/os": "linux" } },
    };
    const result = plan([...windowsPool, linuxPod]);
    assert.equal(result.nodeClaims.length, 0);
  });
});
