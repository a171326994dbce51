import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { structuralErrors } from "../../api/field-errors.ts";
import { cloudProviderContract } from "../../ports/cloud-provider.contract.ts";
import {
  InsufficientCapacityError,
  NodeClaimNotFoundError,
  NodeClassNotReadyError,
} from "../../ports/cloud-provider.ts";
import { instanceType } from "../../solver/fixtures.test-helpers.ts";
import {
  answering,
  claim,
  cluster,
  execNodeClass,
  exhaust,
  fakeCloud,
  fakeCloudHandler,
  nodeClassRef,
  stateFile,
  webhookServer,
} from "./fixtures.test-helpers.ts";
import { ExecMessageSchemas, type ExecRequest } from "./protocol.ts";

describe("CloudProvider contract: the exec provider through a command (examples/exec-provider/fake-cloud.mjs)", () => {
  cloudProviderContract(async () => {
    const { store, provider } = await cluster([
      execNodeClass(fakeCloud, { stateFile: stateFile() }),
    ]);
    return { provider, nodeClassRef, exhaust: (type) => exhaust(store, type) };
  });
});

describe("CloudProvider contract: the exec provider through a webhook (fake-cloud.mjs's handle)", async () => {
  const handle = await fakeCloudHandler();
  const server = await webhookServer(handle);
  after(() => server.close());
  cloudProviderContract(async () => {
    const { store, provider } = await cluster([
      execNodeClass({ webhook: { url: server.url } }, { stateFile: stateFile() }),
    ]);
    return { provider, nodeClassRef, exhaust: (type) => exhaust(store, type) };
  });
});

describe("the exec provider's requests", () => {
  let server: Awaited<ReturnType<typeof webhookServer>>;
  before(async () => {
    server = await webhookServer(await fakeCloudHandler());
  });
  after(() => server.close());

  it("every request it sends validates against the protocol: create, get, list, delete", async () => {
    const { provider } = await cluster(
      [execNodeClass({ webhook: { url: server.url } }, { stateFile: stateFile(), image: "x" })],
      {
        userData: async () => ({ format: "cloud-config", content: "#cloud-config\n", secrets: [] }),
      },
    );
    server.requests.length = 0;
    const launched = await provider.create(
      claim(
        "general-abc",
        ["cheap", "dear"],
        {
          taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }],
          startupTaints: [{ key: "cilium", effect: "NoExecute" }],
        },
        { "karpenter.sh/nodepool": "general" },
      ),
    );
    await provider.get(launched.status?.providerID ?? "");
    await provider.list();
    await provider.delete(launched);
    const requests = server.requests as ExecRequest[];
    assert.deepEqual(
      requests.map((r) => r.kind),
      ["CreateRequest", "GetRequest", "ListRequest", "DeleteRequest"],
    );
    for (const request of requests)
      assert.deepEqual(structuralErrors(ExecMessageSchemas[request.kind], request), []);
    const create = requests[0] as Extract<ExecRequest, { kind: "CreateRequest" }>;
    assert.equal(create.nodeClass.name, "fake");
    assert.equal(create.nodeClass.config.image, "x");
    assert.deepEqual(create.nodeClaim, {
      name: "general-abc",
      labels: { "karpenter.sh/nodepool": "general" },
      taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }],
      startupTaints: [{ key: "cilium", effect: "NoExecute" }],
      requirements: [
        { key: "node.kubernetes.io/instance-type", operator: "In", values: ["cheap", "dear"] },
        { key: "topology.kubernetes.io/zone", operator: "In", values: ["z1"] },
      ],
    });
    assert.deepEqual(create.userData, { format: "cloud-config", content: "#cloud-config\n" });
    const del = requests[3] as Extract<ExecRequest, { kind: "DeleteRequest" }>;
    assert.deepEqual(del.instance, {
      providerID: launched.status?.providerID,
      nodeClaim: "general-abc",
    });
  });

  it("offerings are the allowed and available ones, spot first, then cheapest first (Karpenter's AWS provider getCapacityType buys spot when allowed, then the cheapest compatible offering)", async () => {
    const { provider } = await cluster(
      [execNodeClass({ webhook: { url: server.url } }, { stateFile: stateFile() })],
      {},
      [
        instanceType("small", 2, 4, 0.04, { zones: ["z1", "z2"], unavailable: ["z2"] }),
        instanceType("large", 8, 32, 0.2, { zones: ["z1"] }),
        instanceType("medium", 4, 8, 0.08, { zones: ["z1"], capacityType: "spot" }),
        instanceType("arm", 4, 8, 0.01, {
          zones: ["z1"],
          labels: { "kubernetes.io/arch": "arm64" },
        }),
      ],
    );
    server.requests.length = 0;
    await provider.create(
      claim("a", ["small", "medium", "large", "arm"], {
        requirements: [
          {
            key: "node.kubernetes.io/instance-type",
            operator: "In",
            values: ["small", "medium", "large", "arm"],
          },
          { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
        ],
      }),
    );
    const create = server.requests[0] as Extract<ExecRequest, { kind: "CreateRequest" }>;
    assert.deepEqual(create.offerings, [
      { instanceType: "medium", zone: "z1", capacityType: "spot", price: 0.08 },
      { instanceType: "small", zone: "z1", capacityType: "on-demand", price: 0.04 },
      { instanceType: "large", zone: "z1", capacityType: "on-demand", price: 0.2 },
    ]);
    assert.equal(create.userData, undefined);
  });

  it("no available offering is an InsufficientCapacityError naming the allowed ones, without calling the user", async () => {
    const { provider } = await cluster(
      [execNodeClass({ exec: { command: ["/nonexistent/never-called"] } })],
      {},
      [instanceType("cheap", 2, 4, 0.05, { zones: ["z1"], unavailable: ["z1"] })],
    );
    await assert.rejects(provider.create(claim("a", ["cheap"])), (error: unknown) => {
      assert.ok(error instanceof InsufficientCapacityError);
      assert.deepEqual(error.offerings, [
        { instanceType: "cheap", zone: "z1", capacityType: "on-demand" },
      ]);
      return true;
    });
  });

  it("no InstanceType objects: nothing to launch (no built-in catalog for a user's cloud)", async () => {
    const { provider } = await cluster(
      [execNodeClass(fakeCloud, { stateFile: stateFile() })],
      {},
      [],
    );
    assert.deepEqual(await provider.instanceTypes(), []);
    await assert.rejects(provider.create(claim("a")), InsufficientCapacityError);
  });
});

describe("the exec provider's node classes", () => {
  it("a claim whose ExecNodeClass is missing, not Ready, being deleted or of another kind is NodeClassNotReadyError; nothing is called", async () => {
    const never = execNodeClass({ exec: { command: ["/nonexistent/never-called"] } });
    const rows = [
      { name: "missing", classes: [], ref: nodeClassRef, reason: /not found/ },
      {
        name: "Ready False",
        classes: [
          {
            ...never,
            status: { conditions: [{ type: "Ready", status: "False", reason: "NoImage" }] },
          },
        ],
        ref: nodeClassRef,
        reason: /Ready is False \(NoImage\)/,
      },
      {
        name: "being deleted",
        classes: [
          {
            ...never,
            metadata: {
              ...never.metadata,
              deletionTimestamp: "2026-01-01T00:00:00Z",
              finalizers: ["x"],
            },
          },
        ],
        ref: nodeClassRef,
        reason: /being deleted/,
      },
      {
        name: "another kind",
        classes: [never],
        ref: { group: "carpool.dev", kind: "KwokNodeClass", name: "fake" },
        reason: /serves ExecNodeClass.carpool.dev, not KwokNodeClass/,
      },
    ];
    for (const row of rows) {
      const { provider } = await cluster(row.classes);
      const c = claim("a");
      await assert.rejects(
        provider.create({ ...c, spec: { ...c.spec, nodeClassRef: row.ref } }),
        (error: unknown) => {
          assert.ok(error instanceof NodeClassNotReadyError, row.name);
          assert.match(error.message, row.reason, row.name);
          return true;
        },
      );
    }
  });
});

describe("the exec provider's launched claims", () => {
  it("labels: the claim's, its single-value requirements, the type's and the offering's; capacity and allocatable from the catalog's type", async () => {
    const { provider } = await cluster([execNodeClass(fakeCloud, { stateFile: stateFile() })], {}, [
      {
        ...instanceType("cheap", 2, 4, 0.05, {
          zones: ["z1"],
          labels: { "example.com/tier": "a" },
        }),
        spec: {
          ...instanceType("cheap", 2, 4, 0.05, {
            zones: ["z1"],
            labels: { "example.com/tier": "a" },
          }).spec,
          overhead: { cpu: "100m", memory: "256Mi" },
        },
      },
    ]);
    const launched = await provider.create(claim("a", ["cheap"], {}, { team: "x" }));
    assert.deepEqual(launched.metadata.labels, {
      team: "x",
      "kubernetes.io/arch": "amd64",
      "kubernetes.io/os": "linux",
      "example.com/tier": "a",
      "node.kubernetes.io/instance-type": "cheap",
      "topology.kubernetes.io/zone": "z1",
      "karpenter.sh/capacity-type": "on-demand",
    });
    assert.match(launched.status?.providerID ?? "", /^fake:\/\/\d+$/);
    assert.deepEqual(launched.status?.capacity, { cpu: "2", memory: "4Gi", pods: "110" });
    assert.deepEqual(launched.status?.allocatable, { cpu: "1900m", memory: "3840Mi", pods: "110" });
  });

  it("a capacity the instance reports replaces the type's, resource by resource; allocatable is it less the type's overhead", async () => {
    const instance = {
      providerID: "proxmox://pve1/104",
      instanceType: "cheap",
      zone: "z1",
      capacityType: "on-demand",
      nodeClaim: "a",
      capacity: { memory: "3900Mi" },
    };
    const { provider } = await cluster([
      execNodeClass(
        answering(
          JSON.stringify({ apiVersion: "carpool.dev/exec/v1", kind: "CreateResponse", instance }),
        ),
      ),
    ]);
    const launched = await provider.create(claim("a", ["cheap"]));
    assert.equal(launched.status?.providerID, "proxmox://pve1/104");
    assert.deepEqual(launched.status?.capacity, { cpu: "2", memory: "3900Mi", pods: "110" });
    assert.deepEqual(launched.status?.allocatable, { cpu: "2", memory: "3900Mi", pods: "110" });
  });

  it("the provider ID the user data gives the kubelet is sent, and the fake cloud's instance has it (registration matches Node and claim by it)", async () => {
    const { provider } = await cluster([execNodeClass(fakeCloud, { stateFile: stateFile() })], {
      userData: async (nodeClaim) => ({
        format: "shell",
        content: "#!/bin/sh\n",
        secrets: [],
        providerID: `k3s://${nodeClaim.metadata.name}`,
      }),
    });
    const launched = await provider.create(claim("general-abc"));
    assert.equal(launched.status?.providerID, "k3s://general-abc");
    assert.equal((await provider.get("k3s://general-abc")).metadata.name, "general-abc");
  });

  it("a retried create gets the instance already made for the claim (idempotent by NodeClaim name)", async () => {
    const { provider } = await cluster([execNodeClass(fakeCloud, { stateFile: stateFile() })]);
    const first = await provider.create(claim("a"));
    const again = await provider.create(claim("a"));
    assert.equal(again.status?.providerID, first.status?.providerID);
    assert.equal((await provider.list()).length, 1);
  });
});

describe("the exec provider's list and get (garbage collection's view)", () => {
  const instances = [
    {
      providerID: "hetzner://1",
      instanceType: "cheap",
      zone: "z1",
      capacityType: "on-demand",
      nodeClaim: "a",
      state: "running",
    },
    { providerID: "hetzner://2", instanceType: "cheap", zone: "z1", capacityType: "on-demand" },
    {
      providerID: "hetzner://3",
      instanceType: "dear",
      zone: "z1",
      capacityType: "on-demand",
      nodeClaim: "c",
      state: "terminating",
    },
    {
      providerID: "hetzner://4",
      instanceType: "gone",
      zone: "z9",
      capacityType: "spot",
      nodeClaim: "d",
      state: "pending",
    },
  ];
  const listing = JSON.stringify({
    apiVersion: "carpool.dev/exec/v1",
    kind: "ListResponse",
    instances,
  });

  it("only instances carpool tagged (nodeClaim) and not terminating are listed, as claims of the class asked", async () => {
    const { provider } = await cluster([execNodeClass(answering(listing))]);
    const claims = await provider.list();
    assert.deepEqual(
      claims.map((c) => [c.metadata.name, c.status?.providerID, c.spec.nodeClassRef.name]),
      [
        ["a", "hetzner://1", "fake"],
        ["d", "hetzner://4", "fake"],
      ],
    );
    assert.equal(claims[0]?.metadata.labels?.["node.kubernetes.io/instance-type"], "cheap");
    assert.deepEqual(claims[0]?.status?.capacity, { cpu: "2", memory: "4Gi", pods: "110" });
    // A type no longer in the catalog: the instance is still listed (GC must see it), without capacity.
    assert.equal(claims[1]?.metadata.labels?.["karpenter.sh/capacity-type"], "spot");
    assert.equal(claims[1]?.status?.capacity, undefined);
  });

  it("two classes reaching one cloud: each instance is listed once, for the first class by name", async () => {
    const { provider } = await cluster([
      execNodeClass(answering(listing), {}, "b-class"),
      execNodeClass(answering(listing), {}, "a-class"),
    ]);
    const claims = await provider.list();
    assert.deepEqual(
      claims.map((c) => [c.metadata.name, c.spec.nodeClassRef.name]),
      [
        ["a", "a-class"],
        ["d", "a-class"],
      ],
    );
  });

  it("get of an instance without carpool's tag, or terminating, is NotFound; of a tagged one, its claim", async () => {
    const answer = (i: number) =>
      answering(
        JSON.stringify({
          apiVersion: "carpool.dev/exec/v1",
          kind: "GetResponse",
          instance: instances[i],
        }),
      );
    for (const [i, found] of [
      [0, true],
      [1, false],
      [2, false],
    ] as const) {
      const { provider } = await cluster([execNodeClass(answer(i))]);
      const id = instances[i]?.providerID ?? "";
      if (found) assert.equal((await provider.get(id)).metadata.name, "a");
      else await assert.rejects(provider.get(id), NodeClaimNotFoundError);
    }
  });

  it("a provider ID that is not a URI is NotFound without asking", async () => {
    const { provider } = await cluster([
      execNodeClass({ exec: { command: ["/nonexistent/never-called"] } }),
    ]);
    await assert.rejects(provider.get("4711"), NodeClaimNotFoundError);
    await assert.rejects(provider.delete(claim("a")), NodeClaimNotFoundError);
  });

  it("the fake cloud's state file holds what it launched (the example users copy)", async () => {
    const file = stateFile();
    const { provider } = await cluster([execNodeClass(fakeCloud, { stateFile: file })]);
    const launched = await provider.create(claim("a"));
    const state = JSON.parse(readFileSync(file, "utf8"));
    assert.deepEqual(state.instances, [
      {
        providerID: launched.status?.providerID,
        instanceType: "cheap",
        zone: "z1",
        capacityType: "on-demand",
        nodeClaim: "a",
        state: "running",
      },
    ]);
  });
});
