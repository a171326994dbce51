#!/usr/bin/env node
// The machines of a StaticNodeClass in the end-to-end tests: the power hook carpool runs. Switched
// on, it does what a machine booting a k3s agent would do with carpool's user data: reads the k3s
// agent configuration out of it and registers the Node as the kubelet would — as system:node:NAME,
// with a client certificate signed by the dev cluster's CA, so NodeRestriction applies to what it
// may set. It also marks the Node for kwok (annotation kwok.x-k8s.io/node=fake): kwok plays the
// kubelet's heartbeats and runs the pods, as there is no real kubelet. This is the one stand-in of
// these tests; everything else is the real control plane.
//
//   agent.mjs --cluster-dir DIR --machines FILE --log FILE [--off] [--fail] [--sleep MS]
//
// A machine knows its own hardware: --machines is the StaticNodeClass's machine list (JSON), from
// which the Node's capacity is taken, as a kubelet reports what it finds.
//
// The log gets one JSON line per call: {"power":"on"|"off","machine":...,"node":...}.
import { appendFileSync, readFileSync } from "node:fs";
import { agentConfig } from "./k3s-agent-config.mjs";
import { registerNode } from "./node-registration.mjs";

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const clusterDir = option("--cluster-dir");
const log = option("--log");

let input = "";
for await (const chunk of process.stdin) input += chunk;
const document = JSON.parse(input);
const machine = document.machine?.name;

const sleep = Number(option("--sleep") ?? 0);
if (sleep > 0) {
  appendFileSync(log, `${JSON.stringify({ power: "starting", machine })}\n`);
  await new Promise((resolve) => setTimeout(resolve, sleep));
}
if (flag("--fail")) {
  console.error(`relay for ${machine} does not answer`);
  process.exit(4);
}
if (flag("--off")) {
  appendFileSync(log, `${JSON.stringify({ power: "off", machine })}\n`);
  process.exit(0);
}

const config = agentConfig(document.userData);
const name = config["node-name"];
const labels = Object.fromEntries(
  (config["node-label"] ?? []).map((entry) => {
    const at = entry.indexOf("=");
    return [entry.slice(0, at), entry.slice(at + 1)];
  }),
);
const taints = (config["node-taint"] ?? []).map((entry) => {
  const [keyValue, effect] = entry.split(":");
  const [key, value] = keyValue.split("=");
  return { key, ...(value !== undefined && value !== "" && { value }), effect };
});
const kubeletArgs = Object.fromEntries(
  (config["kubelet-arg"] ?? []).map((arg) => {
    const at = arg.indexOf("=");
    return [arg.slice(0, at), arg.slice(at + 1)];
  }),
);
const hardware = JSON.parse(readFileSync(option("--machines"), "utf8")).find(
  (m) => m.name === machine,
);
const capacity = { ...(hardware?.capacity ?? {}) };
if (kubeletArgs["max-pods"] !== undefined) capacity.pods = kubeletArgs["max-pods"];
const node = {
  apiVersion: "v1",
  kind: "Node",
  metadata: {
    name,
    labels: {
      ...labels,
      "kubernetes.io/hostname": name,
      "kubernetes.io/os": "linux",
      "kubernetes.io/arch": "amd64",
    },
    annotations: { "kwok.x-k8s.io/node": "fake" },
  },
  spec: { providerID: kubeletArgs["provider-id"] ?? `k3s://${name}`, taints },
  status: { capacity, allocatable: capacity },
};
const answer = await registerNode(clusterDir, node);
if (answer.status !== 201) {
  console.error(`registering Node ${name}: ${answer.status} ${answer.body}`);
  process.exit(5);
}
appendFileSync(
  log,
  `${JSON.stringify({ power: "on", machine, node: name, server: config.server })}\n`,
);
