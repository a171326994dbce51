import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BootstrapError, type BootstrapInput } from "../../ports/bootstrap.ts";
import { eksBootstrap } from "./eks-bootstrap.ts";
import { ContentTypes } from "./mime-archive.ts";
import type { EksBootstrapSettings } from "./settings.ts";
import {
  exampleCA,
  exampleInput,
  exampleSettings,
  readAL2023,
  readBottlerocket,
} from "./testing.ts";
import { isTomlTable, type TomlTable } from "./toml-writer.ts";

const bare: BootstrapInput = { nodeName: "n1", labels: {}, taints: [] };
const al2023 = (userData?: string) =>
  eksBootstrap({ ...exampleSettings, ...(userData !== undefined && { userData }) });
const bottlerocket = (userData?: string) =>
  eksBootstrap({
    ...exampleSettings,
    family: "Bottlerocket",
    ...(userData !== undefined && { userData }),
  });

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof BootstrapError, String(error));
    return error.issues.map((issue) => issue.path);
  }
  assert.fail("expected a BootstrapError");
}

describe("AL2023: the nodeadm NodeConfig (Karpenter nodeadm.go getNodeConfigYAML)", () => {
  const userData = al2023().userData(exampleInput);
  const { parts, nodeConfig } = readAL2023(userData.content);
  it("is a MIME archive of one part, carpool's NodeConfig, with no secret", () => {
    assert.equal(userData.format, "mime-multipart");
    assert.equal(parts.length, 1);
    assert.deepEqual(userData.secrets, []);
    assert.match(
      userData.content,
      /^MIME-Version: 1\.0\nContent-Type: multipart\/mixed; boundary="/,
    );
  });
  it("carries the cluster's facts in spec.cluster (base64 CA as DescribeCluster gives it)", () => {
    assert.deepEqual(nodeConfig.spec.cluster, {
      name: "prod-eu_1",
      apiServerEndpoint: "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
      certificateAuthority: exampleCA,
      cidr: "10.100.0.0/16",
    });
    assert.equal(nodeConfig.apiVersion, "node.eks.aws/v1alpha1");
    assert.equal(nodeConfig.kind, "NodeConfig");
  });
  it("puts the kubelet settings, clusterDNS and registerWithTaints in the inline KubeletConfiguration", () => {
    assert.deepEqual(nodeConfig.spec.kubelet.config, {
      maxPods: 58,
      systemReserved: { cpu: "100m", memory: "500Mi" },
      kubeReserved: { cpu: "200m", memory: "1Gi" },
      evictionHard: { "memory.available": "100Mi", "nodefs.available": "10%" },
      evictionSoft: { "memory.available": "500Mi" },
      evictionSoftGracePeriod: { "memory.available": "1m30s" },
      evictionMaxPodGracePeriod: 60,
      clusterDNS: ["10.100.0.10"],
      // The claim's taints, then karpenter.sh/unregistered (amifamily/resolver.go).
      registerWithTaints: [
        { key: "dedicated", value: "gpu", effect: "NoSchedule" },
        { key: "example.com/warming", effect: "NoExecute" },
        { key: "karpenter.sh/unregistered", effect: "NoExecute" },
      ],
    });
  });
  it("passes only labels the kubelet may set, sorted, as one --node-labels flag", () => {
    // node-role.kubernetes.io/worker is left to the lifecycle controller (NodeRestriction).
    assert.deepEqual(nodeConfig.spec.kubelet.flags, [
      "--node-labels=example.com/team=yes,karpenter.sh/capacity-type=spot,karpenter.sh/nodepool=general,node.kubernetes.io/instance-type=m7i.large,topology.kubernetes.io/zone=eu-west-1a",
    ]);
  });
  it("sets no providerID: nodeadm takes it from IMDS", () => {
    assert.doesNotMatch(userData.content, /providerID|i-0123456789abcdef0/);
  });
  it("a claim without labels, taints or kubelet settings: no flags, only the unregistered taint", () => {
    const { nodeConfig: bareConfig } = readAL2023(al2023().userData(bare).content);
    assert.equal(bareConfig.spec.kubelet.flags, undefined);
    assert.deepEqual(bareConfig.spec.kubelet.config, {
      clusterDNS: ["10.100.0.10"],
      registerWithTaints: [{ key: "karpenter.sh/unregistered", effect: "NoExecute" }],
    });
  });
  it("the same input renders the same bytes", () => {
    assert.equal(al2023().userData(exampleInput).content, userData.content);
  });
});

const userArchive = [
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="//"',
  "",
  "--//",
  'Content-Type: text/x-shellscript; charset="us-ascii"',
  "",
  "#!/bin/bash",
  "echo --carpool-boundary",
  "--//",
  "Content-Type: application/node.eks.aws",
  "Content-Transfer-Encoding: 7bit",
  "",
  "apiVersion: node.eks.aws/v1alpha1",
  "kind: NodeConfig",
  "spec:",
  "  kubelet:",
  "    config:",
  "      shutdownGracePeriod: 30s",
  "--//--",
  "",
].join("\r\n");

describe("AL2023: the node class's user data is merged as Karpenter merges it (nodeadm.go parseUserData)", () => {
  const rows: [string, string, string[]][] = [
    [
      "a MIME archive gives its parts, in order",
      userArchive,
      [ContentTypes.shellScript, ContentTypes.nodeConfig],
    ],
    [
      "a bare shell script becomes a text/x-shellscript part",
      "#!/bin/bash\necho hi\n",
      [ContentTypes.shellScript],
    ],
    [
      "a script of comments only is still a script (YAML would read it as empty)",
      "#!/bin/sh\n# nothing\n",
      [ContentTypes.shellScript],
    ],
    ["a line that is no YAML mapping is a script", "echo hi\n", [ContentTypes.shellScript]],
    [
      "a bare NodeConfig YAML becomes an application/node.eks.aws part",
      "apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec: {}\n",
      [ContentTypes.nodeConfig],
    ],
    [
      "a #cloud-config becomes a text/cloud-config part",
      "#cloud-config\nruncmd: [[echo, hi]]\n",
      [ContentTypes.cloudConfig],
    ],
  ];
  for (const [name, userData, types] of rows) {
    it(`${name}; carpool's NodeConfig comes last, so nodeadm's merge lets it win`, () => {
      const { parts } = readAL2023(al2023(userData).userData(exampleInput).content);
      assert.deepEqual(
        parts.map((part) => part.contentType),
        [...types, ContentTypes.nodeConfig],
      );
    });
  }
  it("the user's parts keep their content and headers exactly (CRLF archives read as LF)", () => {
    const { parts } = readAL2023(al2023(userArchive).userData(bare).content);
    assert.equal(parts[0]?.content, "#!/bin/bash\necho --carpool-boundary");
    assert.deepEqual(parts[1]?.headers, ["Content-Transfer-Encoding: 7bit"]);
    assert.match(parts[1]?.content ?? "", /shutdownGracePeriod: 30s$/);
  });
  it("a bare document is its part's content byte for byte", () => {
    const script = "#!/bin/bash\necho 'a  b'\n\n";
    const { parts } = readAL2023(al2023(script).userData(bare).content);
    assert.equal(parts[0]?.content, script);
  });
  it("the boundary occurs in no part: one the user's parts contain is skipped", () => {
    const content = al2023(userArchive).userData(bare).content;
    assert.match(content, /boundary="carpool-boundary-1"/);
  });
  const bad: [string, string][] = [
    [
      "a multipart archive without a boundary",
      "MIME-Version: 1.0\nContent-Type: multipart/mixed\n\nx\n",
    ],
    ["an archive that is not multipart", "Content-Type: text/plain\n\nhello\n"],
    ["an archive that never closes", 'Content-Type: multipart/mixed; boundary="b"\n\n--b\n\nx\n'],
    ["headers that never end", "MIME-Version: 1.0"],
  ];
  for (const [name, userData] of bad) {
    it(`refused when the bootstrap is made: ${name}`, () => {
      assert.deepEqual(
        issuesOf(() => al2023(userData)),
        ["userData"],
      );
    });
  }
});

function kubernetesOf(document: TomlTable): TomlTable {
  const settings = document.settings;
  assert.ok(isTomlTable(settings) && isTomlTable(settings.kubernetes));
  return settings.kubernetes;
}

describe("Bottlerocket: settings.kubernetes (Karpenter bottlerocket.go Script)", () => {
  const userData = bottlerocket().userData(exampleInput);
  const kubernetes = kubernetesOf(readBottlerocket(userData.content));
  it("is TOML with the cluster's facts, kubelet settings and provider ID", () => {
    assert.equal(userData.format, "toml");
    assert.deepEqual(userData.secrets, []);
    assert.equal(kubernetes["cluster-name"], "prod-eu_1");
    assert.equal(kubernetes["api-server"], exampleSettings.apiServerEndpoint);
    assert.equal(kubernetes["cluster-certificate"], exampleCA);
    assert.equal(kubernetes["max-pods"], 58n);
    assert.deepEqual(
      { ...(kubernetes["kube-reserved"] as TomlTable) },
      { cpu: "200m", memory: "1Gi" },
    );
    assert.deepEqual(
      { ...(kubernetes["system-reserved"] as TomlTable) },
      { cpu: "100m", memory: "500Mi" },
    );
    assert.deepEqual(
      { ...(kubernetes["eviction-hard"] as TomlTable) },
      { "memory.available": "100Mi", "nodefs.available": "10%" },
    );
    assert.equal(kubernetes["eviction-max-pod-grace-period"], 60n);
    assert.equal(kubernetes["cluster-dns-ip"], "10.100.0.10");
    assert.equal(kubernetes["provider-id"], "aws:///eu-west-1a/i-0123456789abcdef0");
  });
  it("labels the kubelet may set go in node-labels under quoted keys", () => {
    assert.deepEqual(
      { ...(kubernetes["node-labels"] as TomlTable) },
      {
        "example.com/team": "yes",
        "karpenter.sh/capacity-type": "spot",
        "karpenter.sh/nodepool": "general",
        "node.kubernetes.io/instance-type": "m7i.large",
        "topology.kubernetes.io/zone": "eu-west-1a",
      },
    );
    assert.match(userData.content, /^"karpenter\.sh\/nodepool" = "general"$/m);
  });
  it('taints in Bottlerocket\'s form key = ["value:Effect"], ":Effect" without a value', () => {
    assert.deepEqual(
      { ...(kubernetes["node-taints"] as TomlTable) },
      {
        dedicated: ["gpu:NoSchedule"],
        "example.com/warming": [":NoExecute"],
        "karpenter.sh/unregistered": [":NoExecute"],
      },
    );
  });
  it("a claim without kubelet settings or provider ID leaves those keys out", () => {
    const bareKubernetes = kubernetesOf(readBottlerocket(bottlerocket().userData(bare).content));
    assert.deepEqual(Object.keys(bareKubernetes).sort(), [
      "api-server",
      "cluster-certificate",
      "cluster-dns-ip",
      "cluster-name",
      "node-taints",
    ]);
  });
});

const userToml = `
[settings.kubernetes]
cluster-name = "someone-else"
api-server = "https://elsewhere.example"
max-pods = 110
cluster-dns-ip = "172.20.0.10"
image-gc-high-threshold-percent = "85"
"node-labels" = { "example.com/team" = "no", "example.com/own" = "kept" }
"node-taints" = { "user/taint" = ["x:NoSchedule"] }

[settings.autoscaling]
should-wait = true

[settings.host-containers.admin]
enabled = true

[[settings.container-registry.mirrors]]
registry = "docker.io"
endpoint = ["https://mirror.example"]
`;

describe("Bottlerocket: the node class's TOML is merged as Karpenter merges it", () => {
  const merged = readBottlerocket(
    bottlerocket(userToml).userData({ ...exampleInput, kubelet: {} }).content,
  );
  const kubernetes = kubernetesOf(merged);
  const settings = merged.settings as TomlTable;
  const rows: [string, () => void][] = [
    [
      "cluster-name and api-server are carpool's",
      () => {
        assert.equal(kubernetes["cluster-name"], "prod-eu_1");
        assert.equal(kubernetes["api-server"], exampleSettings.apiServerEndpoint);
      },
    ],
    [
      "node-labels: the user's kept, carpool's win on a shared key (mergo.MergeWithOverwrite)",
      () => {
        const labels = kubernetes["node-labels"] as TomlTable;
        assert.equal(labels["example.com/own"], "kept");
        assert.equal(labels["example.com/team"], "yes");
      },
    ],
    [
      "node-taints are carpool's alone (Karpenter replaces the map)",
      () => {
        assert.equal((kubernetes["node-taints"] as TomlTable)["user/taint"], undefined);
      },
    ],
    [
      "max-pods and cluster-dns-ip: the user's stay when carpool has none... ",
      () => {
        assert.equal(kubernetes["max-pods"], 110n);
      },
    ],
    [
      "...and carpool's clusterDNS replaces the user's",
      () => {
        assert.equal(kubernetes["cluster-dns-ip"], "10.100.0.10");
      },
    ],
    [
      "settings Karpenter does not own stay as written",
      () => {
        assert.equal(kubernetes["image-gc-high-threshold-percent"], "85");
        assert.deepEqual(
          { ...((settings["host-containers"] as TomlTable).admin as TomlTable) },
          { enabled: true },
        );
        const mirrors = (settings["container-registry"] as TomlTable).mirrors as TomlTable[];
        assert.equal(mirrors[0]?.registry, "docker.io");
      },
    ],
    [
      "autoscaling.should-wait is turned off (Karpenter's nodes join no Auto Scaling group)",
      () => {
        assert.equal((settings.autoscaling as TomlTable)["should-wait"], false);
      },
    ],
  ];
  for (const [name, check] of rows) it(name, check);

  it("the user's max-pods is replaced when the claim has one", () => {
    const k = kubernetesOf(readBottlerocket(bottlerocket(userToml).userData(exampleInput).content));
    assert.equal(k["max-pods"], 58n);
  });
  const bad: [string, string, string][] = [
    ["not TOML", "[settings\n", "userData"],
    ["settings not a table", "settings = 1\n", "userData.settings"],
    [
      "settings.kubernetes not a table",
      "[settings]\nkubernetes = [1]\n",
      "userData.settings.kubernetes",
    ],
    [
      "node-labels not a table",
      '[settings.kubernetes]\nnode-labels = "a=b"\n',
      'userData.settings.kubernetes."node-labels"',
    ],
  ];
  for (const [name, userData, path] of bad) {
    it(`refused when the bootstrap is made: ${name}`, () => {
      assert.deepEqual(
        issuesOf(() => bottlerocket(userData)),
        [path],
      );
    });
  }
});

describe("Custom: the node class's user data as it is (Karpenter custom.go, without templating)", () => {
  it("renders exactly the user data, format custom, whatever the claim", () => {
    const userData = "#!/bin/bash\n/etc/eks/bootstrap.sh my-cluster\n";
    const custom = eksBootstrap({ ...exampleSettings, family: "Custom", userData });
    assert.deepEqual(custom.userData(exampleInput), {
      format: "custom",
      content: userData,
      secrets: [],
    });
    assert.equal(custom.userData(bare).content, userData);
  });
  it("is refused without user data: nothing else would join the machine", () => {
    assert.deepEqual(
      issuesOf(() => eksBootstrap({ ...exampleSettings, family: "Custom" })),
      ["userData"],
    );
  });
});

describe("settings are validated with field paths when the bootstrap is made", () => {
  const rows: [string, Partial<EksBootstrapSettings>, string[]][] = [
    ["an unknown family", { family: "AL2" as EksBootstrapSettings["family"] }, ["family"]],
    [
      "a cluster name with a dot (EKS: letters, digits, - and _)",
      { clusterName: "prod.eu" },
      ["clusterName"],
    ],
    ["a cluster name starting with -", { clusterName: "-prod" }, ["clusterName"]],
    ["a cluster name of 101 characters", { clusterName: "a".repeat(101) }, ["clusterName"]],
    ["an http endpoint", { apiServerEndpoint: "http://api.example" }, ["apiServerEndpoint"]],
    [
      "an endpoint with a path",
      { apiServerEndpoint: "https://api.example/x" },
      ["apiServerEndpoint"],
    ],
    [
      "an endpoint with port 0",
      { apiServerEndpoint: "https://api.example:0" },
      ["apiServerEndpoint"],
    ],
    ["a CA that is not base64", { certificateAuthority: "not base64!" }, ["certificateAuthority"]],
    [
      "a CA with a line break",
      { certificateAuthority: `${exampleCA.slice(0, 8)}\n${exampleCA.slice(8)}` },
      ["certificateAuthority"],
    ],
    [
      "a CA that is base64 of something else",
      { certificateAuthority: Buffer.from("hello").toString("base64") },
      ["certificateAuthority"],
    ],
    [
      "AL2023 without serviceCIDR (nodeadm needs spec.cluster.cidr)",
      { serviceCIDR: undefined },
      ["serviceCIDR"],
    ],
    ["a serviceCIDR without prefix", { serviceCIDR: "10.100.0.0" }, ["serviceCIDR"]],
    ["a cluster DNS that is no IP", { clusterDNS: ["10.100.0.10", "kube-dns"] }, ["clusterDNS[1]"]],
    [
      "everything wrong at once",
      { clusterName: "", apiServerEndpoint: "", certificateAuthority: "" },
      ["clusterName", "apiServerEndpoint", "certificateAuthority"],
    ],
  ];
  for (const [name, change, paths] of rows) {
    it(`refused: ${name}`, () => {
      assert.deepEqual(
        issuesOf(() => eksBootstrap({ ...exampleSettings, ...change })),
        paths,
      );
    });
  }
  it("Bottlerocket needs no serviceCIDR, and takes an IPv6 cluster DNS", () => {
    const { serviceCIDR: _, ...rest } = exampleSettings;
    eksBootstrap({ ...rest, family: "Bottlerocket", clusterDNS: ["fd00:10:96::a"] });
  });
});

describe("inputs are validated with field paths on every render", () => {
  const rows: [string, BootstrapInput, string[]][] = [
    [
      "a label value with a comma (it would split --node-labels)",
      { ...bare, labels: { a: "x,b=y" } },
      ['labels["a"]'],
    ],
    [
      "a taint effect that does not exist",
      { ...bare, taints: [{ key: "a", effect: "Sometimes" as "NoSchedule" }] },
      ["taints[0].effect"],
    ],
    [
      "evictionSoft without a grace period",
      {
        ...bare,
        kubelet: { evictionSoft: { "memory.available": "1Gi" } } as BootstrapInput["kubelet"],
      },
      ['kubelet.evictionSoft["memory.available"]'],
    ],
    [
      "a grace period that is no duration",
      {
        ...bare,
        kubelet: {
          evictionSoft: { "memory.available": "1Gi" },
          evictionSoftGracePeriod: { "memory.available": "soon" },
        } as BootstrapInput["kubelet"],
      },
      ['kubelet.evictionSoftGracePeriod["memory.available"]'],
    ],
    [
      "a negative evictionMaxPodGracePeriod",
      { ...bare, kubelet: { evictionMaxPodGracePeriod: -1 } as BootstrapInput["kubelet"] },
      ["kubelet.evictionMaxPodGracePeriod"],
    ],
  ];
  for (const [name, input, paths] of rows) {
    for (const family of ["AL2023", "Bottlerocket"] as const) {
      it(`${family} refuses ${name}`, () => {
        const bootstrap = eksBootstrap({ ...exampleSettings, family });
        assert.deepEqual(
          issuesOf(() => bootstrap.userData(input)),
          paths,
        );
      });
    }
  }
});
