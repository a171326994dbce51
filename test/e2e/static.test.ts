// k3s on a site's own machines (issue 14), end to end on the dev cluster's real API server with
// NodeRestriction on. The machines are played by machines/agent.mjs, the StaticNodeClass's power
// hook: switched on, it reads the k3s agent configuration out of carpool's user data and registers
// the Node as system:node:NAME, so NodeRestriction decides what it may set on itself.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import type { Node } from "../../src/api/node.ts";
import type { NodeClaim } from "../../src/api/nodeclaim.ts";
import type { Pod } from "../../src/api/pod.ts";
import {
  type DevCluster,
  describeWithDevCluster,
  repoRoot,
  startDevCluster,
} from "../cluster/harness.ts";
import { ClusterClient, type Manifest, waitFor } from "./cluster-client.ts";
import { ControllerProcess } from "./controller-process.ts";
import { deployment } from "./manifests.ts";

const MachineKey = "carpool.dev/machine";

const machine = (name: string, type: string, zone: string, price: number) => ({
  name,
  instanceType: type,
  zone,
  pricePerHour: price,
  address: `aa:bb:cc:00:00:${name.slice(-1).padStart(2, "0")}`,
  capacity:
    type === "edge-cam"
      ? { cpu: "8", memory: "16Gi", pods: "110" }
      : { cpu: "4", memory: "8Gi", pods: "110" },
  ...(type === "edge-cam" && { labels: { "example.com/camera-card": "yes" } }),
});

describeWithDevCluster(
  "k3s on a site's own machines: the static provider and the k3s bootstrap",
  () => {
    let cluster: DevCluster;
    let client: ClusterClient;
    const scratch = mkdtempSync(join(tmpdir(), "carpool-static-"));
    const log = join(scratch, "power.log");
    const controllers: ControllerProcess[] = [];
    const token = `K10${randomBytes(32).toString("hex")}::server:${randomBytes(16).toString("hex")}`;

    const power = () =>
      readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map(
          (l) =>
            JSON.parse(l) as { power: string; machine: string; node?: string; server?: string },
        );
    const claims = () => client.list<NodeClaim>("karpenter.sh/v1", "NodeClaim");
    const podsOf = async (app: string) =>
      (await client.list<Pod>("v1", "Pod", "default")).filter(
        (p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp,
      );
    const running = (app: string, count: number) =>
      waitFor(
        `${count} ${app} pod(s) running`,
        async () => {
          const pods = await podsOf(app);
          return pods.length === count && pods.every((p) => p.status?.phase === "Running")
            ? pods
            : undefined;
        },
        90_000,
      );

    function nodeClass(
      name: string,
      machines: ReturnType<typeof machine>[],
      extra: string[] = [],
    ): Manifest {
      const file = join(scratch, `${name}.machines.json`);
      writeFileSync(file, JSON.stringify(machines));
      const hook = (...flags: string[]) => ({
        exec: {
          command: [
            process.execPath,
            join(repoRoot, "test", "e2e", "machines", "agent.mjs"),
            "--cluster-dir",
            cluster.dir,
            "--machines",
            file,
            "--log",
            log,
            ...flags,
          ],
        },
        timeout: "20s",
        retries: 0,
      });
      return {
        apiVersion: "carpool.dev/v1alpha1",
        kind: "StaticNodeClass",
        metadata: { name },
        spec: {
          machines,
          powerOn: hook(...extra),
          powerOff: hook("--off"),
          bootstrap: {
            k3s: {
              serverURL: "https://10.0.0.1:6443",
              tokenSecretRef: { namespace: "kube-system", name: "k3s-token", key: "token" },
              version: "v1.31.4+k3s1",
            },
          },
        },
      };
    }
    const pool = (
      name: string,
      nodeClassName: string,
      spec: Record<string, unknown> = {},
      labels?: Record<string, string>,
    ): Manifest => ({
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name },
      spec: {
        template: {
          ...(labels && { metadata: { labels } }),
          spec: {
            nodeClassRef: { group: "carpool.dev", kind: "StaticNodeClass", name: nodeClassName },
            requirements: [],
            ...spec,
          },
        },
        disruption: {
          consolidationPolicy: "WhenEmpty",
          consolidateAfter: "0s",
          budgets: [{ nodes: "100%" }],
        },
      },
    });

    before(async () => {
      cluster = await startDevCluster();
      client = new ClusterClient(cluster.kubeconfig);
      writeFileSync(log, "");
      for (const file of readdirSync(join(repoRoot, "crds")).sort())
        await client.applyFile(join(repoRoot, "crds", file));
      await waitFor("the CRDs served", () =>
        client.list("carpool.dev/v1alpha1", "StaticNodeClass").then(() => true),
      );
      await client.apply({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "k3s-token", namespace: "kube-system" },
        stringData: { token },
      } as Manifest);
      await client.apply(
        nodeClass("rack", [
          machine("small-1", "edge-small", "shop-a", 0.02),
          machine("small-2", "edge-small", "shop-b", 0.02),
          machine("cam-1", "edge-cam", "shop-a", 0.05),
          machine("cam-2", "edge-cam", "shop-b", 0.05),
        ]),
      );
      await client.apply(
        pool("general", "rack", {
          requirements: [
            { key: "node.kubernetes.io/instance-type", operator: "In", values: ["edge-small"] },
          ],
        }),
      );
      await client.apply(
        pool(
          "camera",
          "rack",
          {
            requirements: [
              { key: "node.kubernetes.io/instance-type", operator: "In", values: ["edge-cam"] },
            ],
            taints: [{ key: "example.com/camera", value: "true", effect: "NoSchedule" }],
          },
          // A label no kubelet may set on itself (NodeRestriction): carpool puts it on after registration.
          { "node-restriction.kubernetes.io/camera": "true" },
        ),
      );
      controllers.push(new ControllerProcess(cluster.kubeconfig, ["--cloud-provider", "static"]));
    });

    after(async () => {
      for (const [i, c] of controllers.entries())
        writeFileSync(
          join(scratch, `controller-${i}.log`),
          c.lines.map((l) => JSON.stringify(l)).join("\n"),
        );
      for (const controller of controllers) await controller.kill().catch(() => {});
      await cluster?.down();
    });

    it("switches machines on with k3s user data; they register as nodes; pods land by taints and tolerations", async () => {
      await client.apply(
        deployment({ name: "web", replicas: 2, requests: { cpu: "1500m", memory: "1Gi" } }),
      );
      const camera = deployment({
        name: "vision",
        replicas: 1,
        requests: { cpu: "2", memory: "2Gi" },
      });
      (camera.spec as { template: { spec: Record<string, unknown> } }).template.spec.tolerations = [
        { key: "example.com/camera", operator: "Equal", value: "true", effect: "NoSchedule" },
      ];
      (camera.spec as { template: { spec: Record<string, unknown> } }).template.spec.nodeSelector =
        {
          "node-restriction.kubernetes.io/camera": "true",
        };
      await client.apply(camera);
      const web = await running("web", 2);
      const [vision] = await running("vision", 1);
      const nodes = new Map(
        (await client.list<Node>("v1", "Node")).map((n) => [n.metadata.name, n]),
      );
      for (const pod of web) {
        const node = nodes.get(pod.spec.nodeName);
        assert.equal(
          node?.metadata.labels?.["karpenter.sh/nodepool"],
          "general",
          `${pod.metadata.name} on the general pool`,
        );
      }
      const cameraNode = nodes.get(vision?.spec.nodeName);
      assert.equal(cameraNode?.metadata.labels?.["karpenter.sh/nodepool"], "camera");
      assert.ok(
        (cameraNode?.spec?.taints ?? []).some(
          (t) => t.key === "example.com/camera" && t.effect === "NoSchedule",
        ),
        "the camera node carries its pool's taint, registered by the agent",
      );
      assert.equal(
        cameraNode?.metadata.labels?.["node-restriction.kubernetes.io/camera"],
        "true",
        "set by carpool after registration",
      );
      assert.match(cameraNode?.spec?.providerID ?? "", /^k3s:\/\//);
      // Every machine a claim holds was switched on once, with the server and token the node class names.
      const held = (await claims()).map((c) => c.metadata.annotations?.[MachineKey]);
      assert.equal(new Set(held).size, held.length, "no machine is held by two claims");
      const on = power().filter((p) => p.power === "on");
      assert.ok(on.every((p) => p.server === "https://10.0.0.1:6443"));
      assert.deepEqual(on.map((p) => `rack/${p.machine}`).sort(), [...held].sort());
      // No pod that does not tolerate the camera taint ever runs on a camera node.
      for (const pod of await client.list<Pod>("v1", "Pod", "default"))
        if (pod.metadata.labels?.app !== "vision")
          assert.notEqual(
            nodes.get(pod.spec.nodeName)?.metadata.labels?.["karpenter.sh/nodepool"],
            "camera",
          );
      // The join token never reaches a log line or an Event.
      const events = JSON.stringify(await client.list("events.k8s.io/v1", "Event", "default"));
      assert.ok(!events.includes(token) && !JSON.stringify(controllers[0]?.lines).includes(token));
    });

    it("scaling down switches the machines off and frees them", async () => {
      const before = (await claims()).filter(
        (c) => c.metadata.labels?.["karpenter.sh/nodepool"] === "general",
      );
      await client.patch("apps/v1", "Deployment", "web", { spec: { replicas: 0 } }, "default");
      await waitFor(
        "the general pool's claims gone",
        async () =>
          (await claims()).some((c) => c.metadata.labels?.["karpenter.sh/nodepool"] === "general")
            ? undefined
            : true,
        90_000,
      );
      const off = new Set(
        power()
          .filter((p) => p.power === "off")
          .map((p) => `rack/${p.machine}`),
      );
      for (const claim of before)
        assert.ok(
          off.has(claim.metadata.annotations?.[MachineKey] ?? ""),
          `${claim.metadata.name}'s machine switched off`,
        );
    });

    it("a power hook that fails leaves the claim Launched=False with its output, and the machine free", async () => {
      await client.apply(
        nodeClass("broken", [machine("old-1", "old-small", "shop-c", 0.01)], ["--fail"]),
      );
      await client.apply(
        pool("broken", "broken", {
          requirements: [
            { key: "topology.kubernetes.io/zone", operator: "In", values: ["shop-c"] },
          ],
        }),
      );
      await client.apply(
        deployment({
          name: "stuck",
          replicas: 1,
          requests: { cpu: "1" },
          nodeSelector: { "topology.kubernetes.io/zone": "shop-c" },
        }),
      );
      const failed = await waitFor("a failed launch on the claim", async () =>
        (await claims()).find(
          (c) =>
            c.metadata.labels?.["karpenter.sh/nodepool"] === "broken" &&
            c.status?.conditions?.some((x) => x.type === "Launched" && x.status === "False"),
        ),
      );
      const launched = failed.status?.conditions?.find((c) => c.type === "Launched");
      assert.equal(launched?.reason, "LaunchFailed");
      assert.match(launched?.message ?? "", /relay for old-1 does not answer/);
      assert.equal(
        failed.metadata.annotations?.[MachineKey],
        undefined,
        "the machine is free again",
      );
      await client.delete("apps/v1", "Deployment", "stuck", "default");
      await client.delete("karpenter.sh/v1", "NodePool", "broken");
    });

    it("a controller killed mid-launch and started again hands no machine out twice", async () => {
      await client.apply(
        nodeClass(
          "slow",
          [
            machine("slow-1", "slow-small", "shop-d", 0.01),
            machine("slow-2", "slow-small", "shop-d", 0.01),
          ],
          ["--sleep", "6000"],
        ),
      );
      await client.apply(
        pool("slow", "slow", {
          requirements: [
            { key: "topology.kubernetes.io/zone", operator: "In", values: ["shop-d"] },
          ],
        }),
      );
      await client.apply(
        deployment({
          name: "patient",
          replicas: 1,
          requests: { cpu: "1" },
          nodeSelector: { "topology.kubernetes.io/zone": "shop-d" },
        }),
      );
      await waitFor("a slow machine starting", async () =>
        power().some((p) => p.power === "starting" && p.machine.startsWith("slow"))
          ? true
          : undefined,
      );
      await controllers[0]?.kill();
      controllers.push(new ControllerProcess(cluster.kubeconfig, ["--cloud-provider", "static"]));
      await running("patient", 1);
      const slow = (await claims()).filter(
        (c) => c.metadata.labels?.["karpenter.sh/nodepool"] === "slow",
      );
      assert.equal(slow.length, 1, "one claim for the one pod");
      const held = slow[0]?.metadata.annotations?.[MachineKey];
      const started = new Set(
        power()
          .filter((p) => p.machine.startsWith("slow"))
          .map((p) => `slow/${p.machine}`),
      );
      assert.deepEqual(
        [...started],
        [held],
        "only the machine the claim records was ever switched on",
      );
    });
  },
);
