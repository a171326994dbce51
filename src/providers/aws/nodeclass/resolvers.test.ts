import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { aliasParameters } from "./ami-alias.ts";
import { AmiResolver, AmiSelectorError } from "./amis.ts";
import { type FakeGroup, type FakeSubnet, fakeEc2, fakeSsm } from "./fake-world.test-helpers.ts";
import { TestClock } from "./scripted-client.test-helpers.ts";
import { resolveSecurityGroups } from "./security-groups.ts";
import { resolveSubnets } from "./subnets.ts";

const subnets: FakeSubnet[] = [
  {
    id: "subnet-b",
    zone: "us-west-2b",
    zoneId: "usw2-az1",
    freeIps: 100,
    tags: { team: "a", env: "prod" },
  },
  {
    id: "subnet-a",
    zone: "us-west-2a",
    zoneId: "usw2-az2",
    freeIps: 100,
    tags: { team: "a", env: "dev" },
  },
  { id: "subnet-c", zone: "us-west-2c", zoneId: "usw2-az3", freeIps: 900, tags: { team: "b" } },
  { id: "subnet-d", zone: "us-west-2d", zoneId: "usw2-az4", freeIps: 5 },
];

describe("subnet selector terms (Karpenter v1 SubnetSelectorTerm, subnet provider)", () => {
  const cases: { name: string; terms: object[]; want: string[] }[] = [
    {
      name: "a term's tags are ANDed",
      terms: [{ tags: { team: "a", env: "prod" } }],
      want: ["subnet-b"],
    },
    {
      name: "terms are ORed, each subnet once",
      terms: [{ tags: { team: "a" } }, { id: "subnet-b" }],
      want: ["subnet-a", "subnet-b"],
    },
    {
      name: "'*' selects every subnet carrying the key (tag-key filter)",
      terms: [{ tags: { team: "*" } }],
      want: ["subnet-c", "subnet-a", "subnet-b"],
    },
    { name: "an id term selects that subnet", terms: [{ id: "subnet-d" }], want: ["subnet-d"] },
    { name: "nothing matches: an empty list", terms: [{ tags: { team: "z" } }], want: [] },
  ];
  for (const c of cases)
    it(`${c.name}; ordered by free IPv4 addresses, most first, then ID (controllers/nodeclass/subnet.go)`, async () => {
      const got = await resolveSubnets(fakeEc2({ subnets }), c.terms);
      assert.deepEqual(
        got.map((s) => s.id),
        c.want,
      );
    });
  it("records zone and zone ID; '*' is sent as tag-key, other values as tag:KEY", async () => {
    const ec2 = fakeEc2({ subnets });
    const [first] = await resolveSubnets(ec2, [{ tags: { team: "*", env: "prod" } }]);
    assert.deepEqual(first, {
      id: "subnet-b",
      zone: "us-west-2b",
      zoneID: "usw2-az1",
      availableIpAddressCount: 100,
    });
    assert.deepEqual(ec2.sent[0]?.input.Filters, [
      { Name: "tag:env", Values: ["prod"] },
      { Name: "tag-key", Values: ["team"] },
    ]);
  });
});

describe("security group selector terms (Karpenter v1 SecurityGroupSelectorTerm)", () => {
  const groups: FakeGroup[] = [
    { id: "sg-2", name: "nodes", tags: { "karpenter.sh/discovery": "c1" } },
    { id: "sg-1", name: "extra", tags: { Name: "nodes" } },
  ];
  it("name selects by the group's name (group-name), not its Name tag", async () => {
    const ec2 = fakeEc2({ groups });
    const got = await resolveSecurityGroups(ec2, [{ name: "nodes" }]);
    assert.deepEqual(got, [{ id: "sg-2", name: "nodes" }]);
    assert.deepEqual(ec2.sent[0]?.input.Filters, [{ Name: "group-name", Values: ["nodes"] }]);
  });
  it("terms ORed and ordered by ID (controllers/nodeclass/securitygroup.go)", async () => {
    const got = await resolveSecurityGroups(fakeEc2({ groups }), [
      { tags: { "karpenter.sh/discovery": "c1" } },
      { id: "sg-1" },
    ]);
    assert.deepEqual(
      got.map((g) => g.id),
      ["sg-1", "sg-2"],
    );
  });
});

describe("AMI aliases → SSM parameters (amifamily/al2023.go, bottlerocket.go)", () => {
  const paths = (alias: string) => {
    const r = aliasParameters(alias, "1.36");
    assert.ok(r.ok);
    return r.parameters.map((p) => `${p.path} ${p.variants.join("+")}`);
  };
  it("al2023@latest reads the recommended image of each architecture and variant", () => {
    assert.deepEqual(paths("al2023@latest"), [
      "/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/standard/recommended/image_id standard",
      "/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/nvidia/recommended/image_id nvidia",
      "/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/neuron/recommended/image_id neuron",
      "/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/arm64/standard/recommended/image_id standard",
      "/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/arm64/nvidia/recommended/image_id nvidia",
    ]);
  });
  it("al2023@v20240807 reads the release's own parameter", () => {
    assert.equal(
      paths("al2023@v20240807")[0],
      "/aws/service/eks/optimized-ami/1.36/amazon-linux-2023/x86_64/standard/amazon-eks-node-al2023-x86_64-standard-1.36-v20240807/image_id standard",
    );
  });
  it("bottlerocket: latest and a pinned version with or without its v; the nvidia flavour", () => {
    assert.deepEqual(paths("bottlerocket@latest"), [
      "/aws/service/bottlerocket/aws-k8s-1.36/x86_64/latest/image_id standard+neuron",
      "/aws/service/bottlerocket/aws-k8s-1.36/arm64/latest/image_id standard",
      "/aws/service/bottlerocket/aws-k8s-1.36-nvidia/x86_64/latest/image_id nvidia",
      "/aws/service/bottlerocket/aws-k8s-1.36-nvidia/arm64/latest/image_id nvidia",
    ]);
    assert.equal(
      paths("bottlerocket@v1.20.1")[0],
      "/aws/service/bottlerocket/aws-k8s-1.36/x86_64/1.20.1/image_id standard+neuron",
    );
    assert.deepEqual(paths("bottlerocket@1.20.1"), paths("bottlerocket@v1.20.1"));
  });
  it("an unsupported family is refused with the reason", () => {
    const r = aliasParameters("windows2022@latest", "1.36");
    assert.equal(r.ok, false);
  });
});

describe("AMI resolution (amifamily provider: requirements, newest per requirement set)", () => {
  const images = [
    {
      id: "ami-x86-old",
      name: "custom-1",
      arch: "x86_64" as const,
      created: "2026-01-01T00:00:00Z",
      tags: { role: "node" },
    },
    {
      id: "ami-x86-new",
      name: "custom-2",
      arch: "x86_64" as const,
      created: "2026-03-01T00:00:00Z",
      tags: { role: "node" },
    },
    {
      id: "ami-arm",
      name: "custom-arm",
      arch: "arm64" as const,
      created: "2026-02-01T00:00:00Z",
      tags: { role: "node" },
    },
    {
      id: "ami-std",
      name: "al2023-std",
      arch: "x86_64" as const,
      created: "2026-04-01T00:00:00Z",
      owner: "amazon",
    },
    {
      id: "ami-gpu",
      name: "al2023-nvidia",
      arch: "x86_64" as const,
      created: "2026-04-01T00:00:00Z",
      owner: "amazon",
    },
    {
      id: "ami-arm-std",
      name: "al2023-arm",
      arch: "arm64" as const,
      created: "2026-04-01T00:00:00Z",
      owner: "amazon",
    },
  ];
  const arch = (a: string) => ({ key: "kubernetes.io/arch", operator: "In", values: [a] });
  it("tag terms: the newest image of each architecture; owners default to self and amazon", async () => {
    const ec2 = fakeEc2({ images });
    const resolver = new AmiResolver({ ec2, ssm: fakeSsm({}), clock: new TestClock() });
    const got = await resolver.resolve([{ tags: { role: "node" } }], "1.36");
    assert.deepEqual(got, [
      { id: "ami-x86-new", name: "custom-2", requirements: [arch("amd64")] },
      { id: "ami-arm", name: "custom-arm", requirements: [arch("arm64")] },
    ]);
    assert.deepEqual(ec2.sent[0]?.input.Owners, ["self", "amazon"]);
  });
  it("an id term sends no owners; a name term filters by name", async () => {
    const ec2 = fakeEc2({ images });
    const resolver = new AmiResolver({ ec2, ssm: fakeSsm({}), clock: new TestClock() });
    assert.deepEqual(
      (await resolver.resolve([{ id: "ami-x86-old" }], "1.36")).map((a) => a.id),
      ["ami-x86-old"],
    );
    assert.equal(ec2.sent[0]?.input.Owners, undefined);
    assert.deepEqual(
      (await resolver.resolve([{ name: "custom-*" }], "1.36")).map((a) => a.id),
      ["ami-x86-new", "ami-arm"],
    );
  });
  it("al2023@latest: each SSM image with its variant's accelerator requirements; a missing parameter is skipped", async () => {
    const base = "/aws/service/eks/optimized-ami/1.36/amazon-linux-2023";
    const ssm = fakeSsm({
      [`${base}/x86_64/standard/recommended/image_id`]: "ami-std",
      [`${base}/x86_64/nvidia/recommended/image_id`]: "ami-gpu",
      [`${base}/arm64/standard/recommended/image_id`]: "ami-arm-std",
    });
    const resolver = new AmiResolver({ ec2: fakeEc2({ images }), ssm, clock: new TestClock() });
    const got = await resolver.resolve([{ alias: "al2023@latest" }], "1.36");
    const gpuCount = "karpenter.k8s.aws/instance-gpu-count";
    const accel = "karpenter.k8s.aws/instance-accelerator-count";
    assert.deepEqual(
      got.map((a) => [a.id, a.requirements]),
      [
        [
          "ami-arm-std",
          [
            arch("arm64"),
            { key: gpuCount, operator: "DoesNotExist" },
            { key: accel, operator: "DoesNotExist" },
          ],
        ],
        ["ami-gpu", [arch("amd64"), { key: gpuCount, operator: "Exists" }]],
        [
          "ami-std",
          [
            arch("amd64"),
            { key: gpuCount, operator: "DoesNotExist" },
            { key: accel, operator: "DoesNotExist" },
          ],
        ],
      ],
    );
    assert.equal(ssm.count("GetParameterCommand"), 5, "every architecture × variant is asked");
  });
  it("an alias none of whose parameters exist is an AmiSelectorError naming the term", async () => {
    const resolver = new AmiResolver({
      ec2: fakeEc2({ images }),
      ssm: fakeSsm({}),
      clock: new TestClock(),
    });
    await assert.rejects(
      resolver.resolve([{ alias: "al2023@latest" }], "1.36"),
      (e: unknown) => e instanceof AmiSelectorError && e.path === "spec.amiSelectorTerms[0].alias",
    );
  });
  it("DescribeImages answers are cached for a minute (Karpenter's DefaultTTL)", async () => {
    const ec2 = fakeEc2({ images });
    const clock = new TestClock();
    const resolver = new AmiResolver({ ec2, ssm: fakeSsm({}), clock });
    await resolver.resolve([{ tags: { role: "node" } }], "1.36");
    clock.advance(59_000);
    await resolver.resolve([{ tags: { role: "node" } }], "1.36");
    assert.equal(ec2.count("DescribeImagesCommand"), 1);
    clock.advance(2_000);
    await resolver.resolve([{ tags: { role: "node" } }], "1.36");
    assert.equal(ec2.count("DescribeImagesCommand"), 2);
  });
});
