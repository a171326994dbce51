import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Node } from "../api/node.ts";
import type { Pod } from "../api/pod.ts";
import { type ExistingCapacity, existingCapacity } from "./existing-capacity.ts";
import { node, pod } from "./fixtures.test-helpers.ts";

const bound = (name: string, cpu: string, ports: number[] = []): Pod =>
  pod(name, cpu, {
    nodeName: "n1",
    containers: [
      {
        name: "c",
        resources: { requests: { cpu, memory: "256Mi" } },
        ports: ports.map((hostPort) => ({ containerPort: hostPort, hostPort })),
      },
    ],
  });
const daemon = (name: string, cpu: string) => ({ daemonSet: name, pod: pod(`${name}-`, cpu) });
const n1 = node("n1", "4") as Node;

function capacityOf(pods: readonly Pod[], daemons: ReturnType<typeof daemon>[] = []) {
  const [capacity] = existingCapacity([n1], [], pods, daemons, new Map());
  assert.ok(capacity);
  return capacity;
}

// Kubernetes' NodeResourcesFit counts the requests of every pod bound to the node, and a
// DaemonSet's pod wherever the DaemonSet would run one (Karpenter's daemonset overhead). A
// capacity kept for the same Node object between solves must still say exactly that.
describe("existing capacity, kept per node between solves", () => {
  const p1 = bound("p1", "500m", [8080]);
  const p2 = bound("p2", "250m");
  const rows: [string, () => ExistingCapacity, { cpu: number; ports: number }][] = [
    ["the node's bound pods are counted", () => capacityOf([p1]), { cpu: 500, ports: 1 }],
    [
      "a pod bound since the last solve is counted (same node, another list of pods)",
      () => capacityOf([p1, p2]),
      { cpu: 750, ports: 1 },
    ],
    ["a pod gone since is no longer counted", () => capacityOf([p2]), { cpu: 250, ports: 0 }],
    [
      "a DaemonSet pod the node would run is counted",
      () => capacityOf([p2], [daemon("ds", "100m")]),
      { cpu: 350, ports: 0 },
    ],
    [
      "another DaemonSet's pod replaces it",
      () => capacityOf([p2], [daemon("other", "200m")]),
      { cpu: 450, ports: 0 },
    ],
  ];
  for (const [rule, capacity, expected] of rows) {
    it(rule, () => {
      const c = capacity();
      assert.equal(c.used.cpu, expected.cpu);
      assert.equal(c.ports.length, expected.ports);
    });
  }
  it("what one solve places on the node does not reach the next solve", () => {
    const first = capacityOf([p1]);
    // As the solver records a pod it places: used grows, the pod's host ports are taken.
    first.used = { ...first.used, cpu: (first.used.cpu ?? 0) + 1000 };
    first.ports.push({ protocol: "TCP", port: 9090, hostIP: "0.0.0.0", usedBy: "default/placed" });
    const second = capacityOf([p1]);
    assert.equal(second.used.cpu, 500);
    assert.deepEqual(
      second.ports.map((p) => p.port),
      [8080],
    );
  });
});
