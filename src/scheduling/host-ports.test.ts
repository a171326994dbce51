import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "../api/pod.ts";
import { hostPortConflicts, podHostPorts } from "./host-ports.ts";

const withPorts = (
  ports: NonNullable<Pod["spec"]["containers"][number]["ports"]>,
  init = false,
): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p" },
  spec: init
    ? {
        containers: [{ name: "c" }],
        initContainers: [{ name: "s", restartPolicy: "Always", ports }],
      }
    : { containers: [{ name: "c", ports }] },
});

// Rows cite kube-scheduler NodePorts and framework HostPortInfo.CheckConflict.
describe("host ports (NodePorts filter)", () => {
  const used = [{ port: 80, protocol: "TCP", hostIP: "10.0.0.1", usedBy: "default/web" }];
  const rows: [string, Pod, number][] = [
    [
      "the same port, protocol and address conflict",
      withPorts([{ containerPort: 8080, hostPort: 80, hostIP: "10.0.0.1" }]),
      1,
    ],
    [
      "an empty hostIP binds every address and conflicts",
      withPorts([{ containerPort: 8080, hostPort: 80 }]),
      1,
    ],
    [
      "another address on the same port does not conflict",
      withPorts([{ containerPort: 8080, hostPort: 80, hostIP: "10.0.0.2" }]),
      0,
    ],
    [
      "another protocol does not conflict",
      withPorts([{ containerPort: 8080, hostPort: 80, protocol: "UDP" }]),
      0,
    ],
    ["a container port without hostPort is no host port", withPorts([{ containerPort: 80 }]), 0],
    ["a sidecar's host port counts", withPorts([{ containerPort: 8080, hostPort: 80 }], true), 1],
  ];
  for (const [rule, pod, conflicts] of rows) {
    it(rule, () => assert.equal(hostPortConflicts(podHostPorts(pod), used).length, conflicts));
  }
  it("0.0.0.0 already in use conflicts with any address", () => {
    const wildcard = [{ port: 53, protocol: "UDP", hostIP: "0.0.0.0" }];
    assert.deepEqual(
      hostPortConflicts([{ port: 53, protocol: "UDP", hostIP: "10.1.1.1" }], wildcard),
      [{ code: "host_port_conflict", port: 53, protocol: "UDP", hostIP: "10.1.1.1" }],
    );
  });
});
