// Helm from the dev cluster's tools cache (scripts/dev-cluster which helm), run with its own empty
// cache, config and data directories so nothing it does reaches the network or the user's setup.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { devClusterScript, repoRoot } from "../cluster/harness.ts";
import type { Manifest } from "./cluster-client.ts";

export const chartDir = join(repoRoot, "charts", "carpool");

let binary: string | undefined;
const home = mkdtempSync(join(tmpdir(), "carpool-helm-"));

export function helmBinary(): string {
  if (binary !== undefined) return binary;
  const found = spawnSync(devClusterScript, ["which", "helm"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (found.status !== 0)
    throw new Error("helm is not in the tools cache: scripts/dev-cluster build");
  binary = found.stdout.trim();
  return binary;
}

export interface HelmResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function helm(args: readonly string[], kubeconfig?: string): HelmResult {
  const result = spawnSync(helmBinary(), args, {
    encoding: "utf8",
    env: {
      ...process.env,
      HELM_CACHE_HOME: join(home, "cache"),
      HELM_CONFIG_HOME: join(home, "config"),
      HELM_DATA_HOME: join(home, "data"),
      ...(kubeconfig !== undefined && { KUBECONFIG: kubeconfig }),
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `helm template` of the chart, as objects. */
export function renderChart(namespace: string, set: readonly string[] = []): Manifest[] {
  const result = helm([
    "template",
    "carpool",
    chartDir,
    "--namespace",
    namespace,
    ...set.flatMap((s) => ["--set", s]),
  ]);
  if (result.status !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((d) => d.toJSON() as Manifest | null)
    .filter((o): o is Manifest => o !== null);
}
