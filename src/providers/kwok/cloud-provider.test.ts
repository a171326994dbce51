import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { InstanceTypeObject } from "../../api/instancetype.ts";
import type { KwokNodeClass } from "../../api/kwoknodeclass.ts";
import type { Node } from "../../api/node.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import { cloudProviderContract } from "../../ports/cloud-provider.contract.ts";
import { NodeClaimNotFoundError, NodeClassNotReadyError } from "../../ports/cloud-provider.ts";
import { Engine } from "../../sim/engine.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { instanceType } from "../../solver/fixtures.test-helpers.ts";
import { KwokCloudProvider } from "./cloud-provider.ts";

const nodeClassRef = { group: "carpool.dev", kind: "KwokNodeClass", name: "default" };

const kwokNodeClass = (status?: KwokNodeClass["status"]): KwokNodeClass => ({
  apiVersion: "carpool.dev/v1alpha1",
  kind: "KwokNodeClass",
  metadata: { name: "default" },
  spec: {},
  ...(status && { status }),
});

async function cluster(
  instanceTypes: InstanceTypeObject[],
  nodeClass: KwokNodeClass | null = kwokNodeClass(),
) {
  const clock = new Engine(new Date("2026-01-01T00:00:00Z"));
  const store = new InMemoryClusterStore(() => clock.now());
  if (nodeClass) await store.create(nodeClass);
  for (const type of instanceTypes) await store.create(type);
  return { store, provider: new KwokCloudProvider({ store, clock }) };
}

/** The kwok provider's capacity switch: an InstanceType's offerings marked unavailable. */
async function exhaust(store: InMemoryClusterStore, name: string): Promise<void> {
  const type = await store.get("InstanceType", name);
  assert.ok(type);
  await store.update({
    ...type,
    spec: {
      ...type.spec,
      offerings: type.spec.offerings.map((o) => ({ ...o, available: false })),
    },
  });
}

const claim = (
  name: string,
  requirements: NodeClaim["spec"]["requirements"],
  labels: Record<string, string> = {},
): NodeClaim => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodeClaim",
  metadata: { name, labels },
  spec: {
    nodeClassRef,
    requirements,
    taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" }],
  },
});

const cheapAndDear = () => [
  instanceType("cheap", 2, 4, 0.05, { zones: ["z1"] }),
  instanceType("dear", 4, 8, 0.1, { zones: ["z1"], labels: { "example.com/gpu": "true" } }),
];

const foreignNode = (name: string, providerID: string, annotations = {}): Node => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, annotations },
  spec: { providerID },
});

describe("CloudProvider contract: the kwok provider", () => {
  cloudProviderContract(async () => {
    const { store, provider } = await cluster(cheapAndDear());
    return { provider, nodeClassRef, exhaust: (type) => exhaust(store, type) };
  });
});

describe("the kwok provider launches Nodes as API objects", () => {
  it("the Node carries the claim's labels, its single-value requirements, the offering's labels, kwok's marks and the unregistered taint (Karpenter's kwok provider)", async () => {
    const { store, provider } = await cluster(cheapAndDear());
    await provider.create(
      claim(
        "general-abc",
        [
          { key: "karpenter.sh/nodepool", operator: "In", values: ["general"] },
          { key: "node.kubernetes.io/instance-type", operator: "In", values: ["cheap", "dear"] },
          { key: "kubernetes.io/arch", operator: "NotIn", values: ["arm64"] },
        ],
        { team: "a" },
      ),
    );
    const node = await store.get("Node", "general-abc");
    assert.deepEqual(node?.metadata.labels, {
      team: "a",
      "karpenter.sh/nodepool": "general",
      "kubernetes.io/arch": "amd64",
      "kubernetes.io/os": "linux",
      "node.kubernetes.io/instance-type": "cheap",
      "topology.kubernetes.io/zone": "z1",
      "karpenter.sh/capacity-type": "on-demand",
      "kubernetes.io/hostname": "general-abc",
      "kwok.x-k8s.io/node": "fake",
    });
    assert.deepEqual(node?.metadata.annotations, {
      "kwok.x-k8s.io/node": "fake",
      "carpool.dev/nodeclaim": "general-abc",
      "carpool.dev/kwoknodeclass": "default",
    });
    assert.equal(node?.spec?.providerID, "kwok://general-abc");
    // The claim's own taints come at registration (lifecycle), as a kubelet's would.
    assert.deepEqual(node?.spec?.taints, [
      { key: "karpenter.sh/unregistered", effect: "NoExecute" },
    ]);
    assert.deepEqual(node?.status?.capacity, { cpu: "2", memory: "4Gi", pods: "110" });
    assert.deepEqual(node?.status?.allocatable, { cpu: "2", memory: "4Gi", pods: "110" });
  });
  it("the launched claim says what it got, without the Node's own hostname and kwok labels", async () => {
    const { provider } = await cluster(cheapAndDear());
    const launched = await provider.create(claim("a", []));
    assert.equal(launched.status?.providerID, "kwok://a");
    assert.deepEqual(launched.status?.allocatable, { cpu: "2", memory: "4Gi", pods: "110" });
    assert.equal(launched.metadata.labels?.["node.kubernetes.io/instance-type"], "cheap");
    assert.equal(launched.metadata.labels?.["karpenter.sh/capacity-type"], "on-demand");
    assert.equal(launched.metadata.labels?.["kubernetes.io/hostname"], undefined);
    assert.equal(launched.metadata.labels?.["kwok.x-k8s.io/node"], undefined);
  });
  it("a type that names no architecture or OS makes nodes labelled as a kubelet would (amd64, linux)", async () => {
    const bare: InstanceTypeObject = {
      apiVersion: "carpool.dev/v1alpha1",
      kind: "InstanceType",
      metadata: { name: "bare" },
      spec: {
        capacity: { cpu: "1", memory: "1Gi" },
        offerings: [{ zone: "z1", capacityType: "on-demand", price: 0.01 }],
      },
    };
    const { store, provider } = await cluster([bare]);
    await provider.create(claim("a", []));
    const labels = (await store.get("Node", "a"))?.metadata.labels;
    assert.equal(labels?.["kubernetes.io/arch"], "amd64");
    assert.equal(labels?.["kubernetes.io/os"], "linux");
  });
  it("a requirement on a type's own label picks the type that has it, though dearer", async () => {
    const { provider } = await cluster(cheapAndDear());
    const launched = await provider.create(
      claim("gpu", [{ key: "example.com/gpu", operator: "In", values: ["true"] }]),
    );
    assert.equal(launched.metadata.labels?.["node.kubernetes.io/instance-type"], "dear");
  });
  it("launching the same claim again returns the Node it already has, even if the catalog changed", async () => {
    const { store, provider } = await cluster(cheapAndDear());
    const first = await provider.create(claim("a", []));
    await exhaust(store, "cheap");
    const again = await provider.create(claim("a", []));
    assert.deepEqual(again, first);
    assert.deepEqual(
      (await store.list("Node")).map((n) => n.metadata.name),
      ["a"],
    );
  });
  it("a Node of the claim's name that the provider did not make is not taken over", async () => {
    const { store, provider } = await cluster(cheapAndDear());
    await store.create(foreignNode("a", "aws:///z1/i-1"));
    await assert.rejects(provider.create(claim("a", [])), /Node\/a exists and was not made/);
    assert.equal((await store.get("Node", "a"))?.spec?.providerID, "aws:///z1/i-1");
  });
});

describe("the kwok provider refuses claims whose node class cannot launch", () => {
  const rows: [string, KwokNodeClass | null, NodeClaim["spec"]["nodeClassRef"], RegExp][] = [
    [
      "a missing KwokNodeClass",
      null,
      nodeClassRef,
      /KwokNodeClass\/default is not ready: not found/,
    ],
    [
      "a KwokNodeClass whose Ready condition is False",
      kwokNodeClass({ conditions: [{ type: "Ready", status: "False", reason: "Broken" }] }),
      nodeClassRef,
      /KwokNodeClass\/default is not ready: Ready is False \(Broken\)/,
    ],
    [
      "a node class of another provider (EC2NodeClass)",
      kwokNodeClass(),
      { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
      /EC2NodeClass\/default is not ready: the kwok provider serves KwokNodeClass/,
    ],
  ];
  for (const [rule, nodeClass, ref, message] of rows) {
    it(`${rule} is a NodeClassNotReadyError naming the class, and no Node is made`, async () => {
      const { store, provider } = await cluster(cheapAndDear(), nodeClass);
      const refused = { ...claim("a", []), spec: { ...claim("a", []).spec, nodeClassRef: ref } };
      await assert.rejects(provider.create(refused), (error: unknown) => {
        assert.ok(error instanceof NodeClassNotReadyError);
        assert.deepEqual(error.nodeClassRef, ref);
        assert.match(error.message, message);
        return true;
      });
      assert.deepEqual(await store.list("Node"), []);
    });
  }
  it("a KwokNodeClass without conditions is ready: there is nothing for it to resolve", async () => {
    const { provider } = await cluster(cheapAndDear(), kwokNodeClass());
    assert.equal((await provider.create(claim("a", []))).status?.providerID, "kwok://a");
  });
});

describe("the kwok provider only ever sees the Nodes it made", () => {
  it("nodes without carpool's claim annotation or a kwok:// provider ID are not listed, got or deleted", async () => {
    const { store, provider } = await cluster(cheapAndDear());
    await store.create(foreignNode("kwok-by-hand", "kwok://kwok-by-hand"));
    await store.create(foreignNode("real", "aws:///z1/i-1", { "carpool.dev/nodeclaim": "real" }));
    const ours = await provider.create(claim("ours", []));
    assert.deepEqual(
      (await provider.list()).map((c) => [c.metadata.name, c.status?.providerID]),
      [["ours", "kwok://ours"]],
    );
    for (const providerID of ["kwok://kwok-by-hand", "aws:///z1/i-1"]) {
      await assert.rejects(provider.get(providerID), NodeClaimNotFoundError);
      await assert.rejects(
        provider.delete({ ...ours, status: { providerID } }),
        NodeClaimNotFoundError,
      );
    }
    assert.deepEqual((await store.list("Node")).map((n) => n.metadata.name).sort(), [
      "kwok-by-hand",
      "ours",
      "real",
    ]);
  });
  it("an instance is reported as the claim it was made for, with its node class and what it got", async () => {
    const { provider } = await cluster(cheapAndDear());
    await provider.create(claim("a", []));
    const instance = await provider.get("kwok://a");
    assert.equal(instance.metadata.name, "a");
    assert.deepEqual(instance.spec.nodeClassRef, nodeClassRef);
    assert.deepEqual(instance.spec.requirements, [
      { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
      { key: "node.kubernetes.io/instance-type", operator: "In", values: ["cheap"] },
      { key: "topology.kubernetes.io/zone", operator: "In", values: ["z1"] },
    ]);
    assert.deepEqual(instance.status?.capacity, { cpu: "2", memory: "4Gi", pods: "110" });
  });
});

describe("the kwok provider's instance types", () => {
  it("without InstanceType objects they are the built-in AWS catalog of the region, read once", async () => {
    const { store } = await cluster([]);
    const provider = new KwokCloudProvider({
      store,
      clock: new Engine(new Date(0)),
      region: "us-east-1",
    });
    const types = await provider.instanceTypes();
    assert.ok(types.some((t) => t.name === "m5.large"));
    assert.equal(await provider.instanceTypes(), types);
    const launched = await provider.create(
      claim("a", [
        { key: "node.kubernetes.io/instance-type", operator: "In", values: ["m5.large"] },
        { key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] },
      ]),
    );
    assert.equal(launched.metadata.labels?.["topology.kubernetes.io/region"], "us-east-1");
    assert.match(
      launched.metadata.labels?.["topology.kubernetes.io/zone"] ?? "",
      /^us-east-1[a-f]$/,
    );
  });
  it("InstanceType objects are the whole catalog, converted again only when one changes", async () => {
    const { store, provider } = await cluster(cheapAndDear());
    const types = await provider.instanceTypes();
    assert.deepEqual(
      types.map((t) => t.name),
      ["cheap", "dear"],
    );
    assert.equal(await provider.instanceTypes(), types);
    await exhaust(store, "cheap");
    const changed = await provider.instanceTypes();
    assert.notEqual(changed, types);
    assert.equal(changed.find((t) => t.name === "cheap")?.offerings[0]?.available, false);
  });
});
