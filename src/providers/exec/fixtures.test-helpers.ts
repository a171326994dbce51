import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecNodeClass } from "../../api/execnodeclass.ts";
import type { Hook } from "../../api/hooks.ts";
import type { InstanceTypeObject } from "../../api/instancetype.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import { Engine } from "../../sim/engine.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { instanceType } from "../../solver/fixtures.test-helpers.ts";
import { ExecCloudProvider, type ExecCloudProviderOptions } from "./cloud-provider.ts";

/** The reference implementation users copy, run as carpool runs a user's command. */
export const fakeCloudPath = new URL(
  "../../../examples/exec-provider/fake-cloud.mjs",
  import.meta.url,
).pathname;
export const fakeCloud: Hook = { exec: { command: [process.execPath, fakeCloudPath] } };

/** A hook that prints `output` whatever it is asked. */
export const answering = (output: string, extra: Partial<Hook> = {}): Hook => ({
  exec: { command: [process.execPath, "-e", `process.stdout.write(${JSON.stringify(output)})`] },
  retries: 0,
  ...extra,
});

/** A node script as a hook, with the request text in `input`. */
export const script = (code: string): Hook => ({
  exec: {
    command: [
      process.execPath,
      "-e",
      `let input='';process.stdin.on('data',d=>input+=d).on('end',()=>{${code}})`,
    ],
  },
  retries: 0,
});

export const quick = { sleep: async () => {} };
export const nodeClassRef = { group: "carpool.dev", kind: "ExecNodeClass", name: "fake" };

export const execNodeClass = (
  provider: Hook,
  config: Record<string, unknown> = {},
  name = "fake",
): ExecNodeClass => ({
  apiVersion: "carpool.dev/v1alpha1",
  kind: "ExecNodeClass",
  metadata: { name },
  spec: { provider, config },
});

export const cheapAndDear = (): InstanceTypeObject[] => [
  instanceType("cheap", 2, 4, 0.05, { zones: ["z1"] }),
  instanceType("dear", 4, 8, 0.1, { zones: ["z1"], labels: { "example.com/gpu": "true" } }),
];

/** A fresh state file for the fake cloud. */
export const stateFile = () => join(mkdtempSync(join(tmpdir(), "carpool-exec-")), "state.json");

export async function cluster(
  nodeClasses: ExecNodeClass[],
  options: Partial<ExecCloudProviderOptions> = {},
  instanceTypes: InstanceTypeObject[] = cheapAndDear(),
) {
  const clock = new Engine(new Date("2026-01-01T00:00:00Z"));
  const store = new InMemoryClusterStore(() => clock.now());
  for (const nodeClass of nodeClasses) await store.create(nodeClass);
  for (const type of instanceTypes) await store.create(type);
  const provider = new ExecCloudProvider({ store, clock, hookOptions: quick, ...options });
  return { store, clock, provider };
}

/** The fake cloud's capacity switch: the node class's `config.exhausted`. */
export async function exhaust(
  store: InMemoryClusterStore,
  instanceType: string,
  name = "fake",
): Promise<void> {
  const nodeClass = await store.get("ExecNodeClass", name);
  if (nodeClass === undefined) throw new Error(`no ExecNodeClass/${name}`);
  const exhausted = (nodeClass.spec.config?.exhausted as string[] | undefined) ?? [];
  await store.update({
    ...nodeClass,
    spec: {
      ...nodeClass.spec,
      config: { ...nodeClass.spec.config, exhausted: [...exhausted, instanceType] },
    },
  });
}

export const claim = (
  name: string,
  types: string[] = ["cheap", "dear"],
  extra: Partial<NodeClaim["spec"]> = {},
  labels: Record<string, string> = {},
): NodeClaim => ({
  apiVersion: "karpenter.sh/v1",
  kind: "NodeClaim",
  metadata: { name, labels },
  spec: {
    nodeClassRef,
    requirements: [
      { key: "node.kubernetes.io/instance-type", operator: "In", values: types },
      { key: "topology.kubernetes.io/zone", operator: "In", values: ["z1"] },
    ],
    ...extra,
  },
});

/**
 * A loopback HTTP endpoint answering with `answer(request)` (the fake cloud's `handle`, or a
 * test's), recording each request it got.
 */
export async function webhookServer(answer: (request: unknown) => unknown) {
  const requests: unknown[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const request = JSON.parse(body);
      requests.push(request);
      const response = answer(request);
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(typeof response === "string" ? response : JSON.stringify(response));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/carpool/exec`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The fake cloud's handler, imported as a module (examples are plain JavaScript, untyped). */
export async function fakeCloudHandler(): Promise<(request: unknown) => unknown> {
  const module = (await import(fakeCloudPath)) as { handle: (request: unknown) => unknown };
  return module.handle;
}
