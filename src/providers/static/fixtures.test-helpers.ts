import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hook } from "../../api/hooks.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { StaticMachine, StaticNodeClass } from "../../api/staticnodeclass.ts";
import { Engine } from "../../sim/engine.ts";
import { InMemoryClusterStore } from "../../sim/store.ts";
import { StaticCloudProvider, type UserData } from "./cloud-provider.ts";
import { StaticKeys } from "./machine-record.ts";

export const nodeClassRef = { group: "carpool.dev", kind: "StaticNodeClass", name: "shop" };
export const joinToken = "K10secret-join-token::server:abcdef";

const node = process.execPath;
/** Reads the document on stdin and appends it, one line, to the file named by its argument. */
const appendDocument =
  "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>require('fs').appendFileSync(process.argv[1],s+'\\n'))";

/** Real exec hooks that record every document they get, and read them back. */
export function hookLog() {
  const file = join(mkdtempSync(join(tmpdir(), "carpool-static-")), "calls.jsonl");
  return {
    file,
    hook: (extra: Partial<Hook> = {}): Hook => ({
      exec: { command: [node, "-e", appendDocument, file] },
      ...extra,
    }),
    calls: (): {
      kind: string;
      machine: { name: string; address?: string };
      [k: string]: unknown;
    }[] =>
      existsSync(file)
        ? readFileSync(file, "utf8")
            .split("\n")
            .filter((line) => line !== "")
            .map((line) => JSON.parse(line))
        : [],
  };
}

/** Records its document like hookLog's, then fails: prints a line holding the join token, exits 3. */
export function failingHook(file: string): Hook {
  return {
    exec: {
      command: [
        node,
        "-e",
        `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{require('fs').appendFileSync(process.argv[1],s+'\\n');console.error('relay stuck; token was ${joinToken}');process.exit(3)})`,
        file,
      ],
    },
    retries: 0,
  };
}

export const hangingHook: Hook = {
  exec: { command: [node, "-e", "setTimeout(()=>{},60000)"] },
  timeout: "1s",
  retries: 0,
};

export function machine(
  name: string,
  instanceType: string,
  pricePerHour: number,
  zone = "z1",
  extra: Partial<StaticMachine> = {},
): StaticMachine {
  const shapes: Record<string, StaticMachine["capacity"]> = {
    cheap: { cpu: "2", memory: "4Gi" },
    dear: { cpu: "4", memory: "8Gi" },
    gpu: { cpu: "8", memory: "16Gi", "nvidia.com/gpu": "1" },
  };
  return {
    name,
    instanceType,
    capacity: shapes[instanceType] ?? { cpu: "1", memory: "1Gi" },
    pricePerHour,
    zone,
    address: `10.0.0.${name.length}`,
    ...(instanceType === "gpu" && { labels: { "example.com/gpu": "true" } }),
    ...extra,
  };
}

export function staticClass(
  machines: StaticMachine[],
  hooks: { powerOn: Hook; powerOff: Hook },
  name = "shop",
): StaticNodeClass {
  return {
    apiVersion: "carpool.dev/v1alpha1",
    kind: "StaticNodeClass",
    metadata: { name },
    spec: {
      machines,
      powerOn: hooks.powerOn,
      powerOff: hooks.powerOff,
      bootstrap: {
        k3s: {
          serverURL: "https://k3s.shop.example:6443",
          tokenSecretRef: { namespace: "kube-system", name: "k3s-token", key: "token" },
        },
      },
    },
  };
}

export function claim(
  name: string,
  requirements: NodeClaim["spec"]["requirements"] = [],
  extra: { annotations?: Record<string, string>; labels?: Record<string, string> } = {},
): NodeClaim {
  return {
    apiVersion: "karpenter.sh/v1",
    kind: "NodeClaim",
    metadata: { name, ...extra },
    spec: { nodeClassRef, requirements },
  };
}

/** A claim holding a machine already (another launch's). */
export function holder(name: string, machineName: string, className = "shop"): NodeClaim {
  return claim(name, [], { annotations: { [StaticKeys.machine]: `${className}/${machineName}` } });
}

/** User data as the k3s bootstrap would render it, with the token in it. */
export const userData = async (c: NodeClaim): Promise<UserData> => ({
  format: "shell",
  content: `#!/bin/sh\ncurl -sfL https://get.k3s.io | K3S_TOKEN=${joinToken} sh -s - agent --node-name ${c.metadata.name}\n`,
  secrets: [joinToken],
});

export async function cluster(
  nodeClasses: StaticNodeClass[],
  claims: NodeClaim[] = [],
  render: typeof userData = userData,
) {
  const clock = new Engine(new Date("2026-01-01T00:00:00Z"));
  const store = new InMemoryClusterStore(() => clock.now());
  for (const nodeClass of nodeClasses) await store.create(nodeClass);
  for (const c of claims) await store.create(c);
  const provider = new StaticCloudProvider({
    store,
    clock,
    userData: render,
    hookOptions: { sleep: async () => {} },
  });
  /** Launches a claim as lifecycle does: the claim is stored first, then created. */
  const launch = async (c: NodeClaim) => {
    const stored = (await store.get("NodeClaim", c.metadata.name ?? "")) ?? (await store.create(c));
    return provider.create(stored);
  };
  return { clock, store, provider, launch };
}
