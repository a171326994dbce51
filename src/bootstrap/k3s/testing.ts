// Test support: reads rendered user data back, and finds the external checkers on PATH.
import assert from "node:assert/strict";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { parse } from "yaml";
import type { BootstrapInput } from "../../ports/bootstrap.ts";
import { AgentConfigPath } from "./agent-config.ts";
import type { K3sSettings } from "./settings.ts";
import { HeredocDelimiter } from "./user-data.ts";

/**
 * A YAML document as both YAML versions read it: the `yaml` package's 1.2 default and its 1.1
 * schema, which is how k3s (gopkg.in/yaml.v2) and cloud-init (PyYAML) read it. Asserts they agree.
 */
export function parseBothYAMLVersions(text: string): unknown {
  const modern = parse(text, { strict: true, uniqueKeys: true });
  const legacy = parse(text, { version: "1.1", strict: true, uniqueKeys: true });
  assert.deepEqual(legacy, modern, "YAML 1.1 and 1.2 read the document differently");
  return modern;
}

export interface ReadCloudConfig {
  readonly document: {
    readonly write_files: { path: string; owner: string; permissions: string; content: string }[];
    readonly runcmd: string[][];
  };
  readonly agentConfig: Record<string, unknown>;
  /** The script runcmd runs with `sh -c`. */
  readonly runScript: string;
}

export function readCloudConfig(content: string): ReadCloudConfig {
  assert.ok(content.startsWith("#cloud-config\n"), "a cloud-config starts with #cloud-config");
  const document = parseBothYAMLVersions(content) as ReadCloudConfig["document"];
  assert.deepEqual(Object.keys(document), ["write_files", "runcmd"]);
  const file = document.write_files[0]!;
  assert.equal(file.path, AgentConfigPath, "the agent config is written first");
  assert.equal(file.permissions, "0600");
  for (const written of document.write_files) assert.equal(written.owner, "root:root");
  assert.equal(document.runcmd.length, 1);
  const [command, flag, runScript] = document.runcmd[0]!;
  assert.deepEqual([command, flag], ["sh", "-c"]);
  return {
    document,
    agentConfig: parseBothYAMLVersions(file.content) as Record<string, unknown>,
    runScript: runScript ?? "",
  };
}

export interface ReadShellScript {
  /** The heredoc's body: the config file's content exactly. */
  readonly heredoc: string;
  readonly agentConfig: Record<string, unknown>;
  /** Every line outside the heredoc body. */
  readonly outside: readonly string[];
}

export function readShellScript(content: string): ReadShellScript {
  const lines = content.split("\n");
  assert.equal(lines[0], "#!/bin/sh");
  const start = lines.indexOf(`cat >${AgentConfigPath} <<'${HeredocDelimiter}'`);
  assert.ok(start > 0, "the script writes the config with a quoted heredoc");
  const end = lines.indexOf(HeredocDelimiter, start + 1);
  assert.ok(end > start, "the heredoc ends");
  const umask = lines.indexOf("umask 077");
  assert.ok(umask >= 0 && umask < start, "umask 077 comes before the config is written");
  const heredoc = lines.slice(start + 1, end).join("\n") + "\n";
  return {
    heredoc,
    agentConfig: parseBothYAMLVersions(heredoc) as Record<string, unknown>,
    outside: [...lines.slice(0, start + 1), ...lines.slice(end)],
  };
}

/** The executable `name` on PATH, as a shell's lookup finds it, or undefined. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/**
 * The `skip` option for a suite needing a Debian package's tool: the reason and the install
 * command when it is missing — except in CI (`CI=true`), where .ci/run installs it and a missing
 * tool must fail: the cases run, and each says what is missing.
 */
export function skipWithoutTool(tool: string, debianPackage: string): string | false {
  if (findOnPath(tool) !== undefined || process.env.CI === "true") return false;
  return missingTool(tool, debianPackage);
}

export function missingTool(tool: string, debianPackage: string): string {
  return `${tool} not found on PATH: apt-get install -y --no-install-recommends ${debianPackage}`;
}

/** A claim's input with something of everything: labels on both sides of the kubelet's rule, taints, kubelet settings. */
export const exampleInput: BootstrapInput = {
  nodeName: "edge-7xk2p",
  labels: {
    "karpenter.sh/nodepool": "edge",
    "karpenter.sh/capacity-type": "on-demand",
    "node.kubernetes.io/instance-type": "rack-m",
    "topology.kubernetes.io/zone": "rack-1",
    "node-role.kubernetes.io/worker": "",
    "example.com/team": "yes",
  },
  taints: [
    { key: "dedicated", value: "camera", effect: "NoSchedule" },
    { key: "example.com/warming", effect: "NoExecute" },
  ],
  kubelet: {
    maxPods: 58,
    systemReserved: { memory: "500Mi", cpu: "100m" },
    kubeReserved: { cpu: "200m", memory: "1Gi" },
    evictionHard: { "memory.available": "100Mi", "nodefs.available": "10%" },
  },
  providerID: "static://rack-1/box-07",
};

/** A token in the secure format; not a real one. */
export const exampleToken = `K10${"5f3c1e0a9b7d2468".repeat(4)}::server:9d3a7e61c04b58f2`;

export const exampleSettings: K3sSettings = {
  serverURL: "https://10.0.0.1:6443",
  token: exampleToken,
  version: "v1.31.4+k3s1",
  format: "cloud-config",
};

/** Air-gapped with k3s's install script on the machine. */
export const airGappedSettings: K3sSettings = {
  serverURL: "https://k3s.edge.example:6443",
  token: "abcdef.0123456789abcdef",
  airGapped: true,
  installScriptPath: "/opt/k3s/install.sh",
  format: "shell",
};

/** Air-gapped with only the k3s binary on the machine: the user data writes the systemd unit. */
export const airGappedUnitSettings: K3sSettings = {
  serverURL: "https://k3s.edge.example:6443",
  token: "abcdef.0123456789abcdef",
  airGapped: true,
  format: "cloud-config",
};
