// A real control plane for integration tests: kube-apiserver, kube-controller-manager and kube-scheduler
// (the release pinned in test/cluster/kubernetes/go.mod) on kine/SQLite, with kwok keeping fake nodes
// (annotation kwok.x-k8s.io/node=fake) Ready and running the pods bound to them. It is started and
// stopped by scripts/dev-cluster; this module only drives that script and talks HTTPS to the apiserver.
//
//   const availability = devClusterAvailability();
//   describe("...", { skip: availability.available ? false : `${availability.reason}: ${availability.enable}` }, () => {
//     let cluster: DevCluster;
//     before(async () => { cluster = await startDevCluster(); });
//     after(async () => { await cluster?.down(); });
//   });
//
// With { aws: true } (startDevCluster, devClusterAvailability, describeWithDevCluster), moto — the AWS
// emulator pinned in test/cluster/aws/requirements.txt — runs beside the cluster on loopback, and
// cluster.aws.clientConfig is what an @aws-sdk v3 client needs to talk to it:
//   new EC2Client(cluster.aws.clientConfig)
//
// Environment:
//   CARPOOL_DEV_CLUSTER_DIR=DIR  a cluster is already up in DIR (scripts/dev-cluster up [--with-aws]
//                                --dir DIR): reuse it and never stop it.
//   CARPOOL_DEV_CLUSTER=off      report the dev cluster as unavailable (tests that need it skip).
//   CARPOOL_TOOLS_CACHE=DIR      where the built binaries are kept (default ~/.cache/carpool/tools).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

export const repoRoot: string = resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..");
export const devClusterScript: string = join(repoRoot, "scripts", "dev-cluster");

export type DevClusterAvailability =
  | { available: true }
  | { available: false; reason: string; enable: string };

export interface DevClusterOptions {
  /** Also run moto (scripts/dev-cluster up --with-aws): the cluster's `aws` is then set. */
  readonly aws?: boolean;
}

/** moto on loopback, as the AWS SDKs see it. */
export interface AwsEmulator {
  /** http://127.0.0.1:PORT, the one endpoint of every AWS service moto emulates. */
  readonly endpoint: string;
  readonly region: string;
  /** moto accepts any credentials; these are the ones `scripts/dev-cluster env` exports. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** `{ endpoint, region, credentials }`, the configuration any @aws-sdk v3 client takes. */
  readonly clientConfig: {
    readonly endpoint: string;
    readonly region: string;
    readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };
  readonly motoVersion: string;
}

export interface DevClusterProcess {
  readonly name: string;
  readonly pid: number;
}

export interface DevCluster {
  /** The state directory: certificates, kubeconfigs, logs/, run/ (pids). */
  readonly dir: string;
  /** An admin kubeconfig (client certificate in group system:masters). */
  readonly kubeconfig: string;
  /** https://127.0.0.1:PORT */
  readonly server: string;
  readonly credentials: KubeCredentials;
  /** True when the cluster was already running (CARPOOL_DEV_CLUSTER_DIR) and down() leaves it alone. */
  readonly reused: boolean;
  /** moto, when the cluster was started with { aws: true }. */
  readonly aws: AwsEmulator | undefined;
  /** The processes scripts/dev-cluster recorded, by component name. */
  processes(): DevClusterProcess[];
  /** Stops kube-apiserver and starts it again with the same flags, ports and data; resolves at /readyz. */
  restartApiServer(): Promise<void>;
  /** Stops every process of the cluster and removes its directory (a no-op for a reused cluster). */
  down(): Promise<void>;
}

export interface KubeCredentials {
  readonly server: string;
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
}

const GO_REASON = "go is not installed";
const GO_ENABLE = "install Go 1.26+ (apt-get install golang) and run scripts/dev-cluster build";

function onPath(command: string): boolean {
  const path = process.env.PATH ?? "";
  return path
    .split(delimiter)
    .filter((dir) => dir !== "")
    .some((dir) => existsSync(join(dir, command)));
}

const MOTO_ENABLE =
  "run scripts/dev-cluster build (it needs python3 with venv: apt-get install python3 python3-venv)";

/** Whether startDevCluster(options) can work here, and if not, why and how to make it work. */
export function devClusterAvailability(options: DevClusterOptions = {}): DevClusterAvailability {
  const cluster = controlPlaneAvailability();
  if (!cluster.available || !options.aws) return cluster;
  const reuse = process.env.CARPOOL_DEV_CLUSTER_DIR;
  if (reuse) {
    if (readClusterEnv(reuse).AWS_ENDPOINT_URL) return { available: true };
    return {
      available: false,
      reason: `the dev cluster in CARPOOL_DEV_CLUSTER_DIR=${reuse} runs no moto`,
      enable: `start it with scripts/dev-cluster up --with-aws --dir ${reuse}`,
    };
  }
  // Built by `scripts/dev-cluster build` (CI runs it), not on the fly: pip needs the package index.
  const cached = spawnSync("bash", [devClusterScript, "cached", "moto"], { encoding: "utf8" });
  if (cached.status === 0) return { available: true };
  return {
    available: false,
    reason: `the moto virtualenv is not built (${cached.stdout.trim() || cached.stderr.trim()})`,
    enable: MOTO_ENABLE,
  };
}

function controlPlaneAvailability(): DevClusterAvailability {
  if (process.env.CARPOOL_DEV_CLUSTER === "off") {
    return {
      available: false,
      reason: "the dev cluster is turned off (CARPOOL_DEV_CLUSTER=off)",
      enable: "unset CARPOOL_DEV_CLUSTER",
    };
  }
  const reuse = process.env.CARPOOL_DEV_CLUSTER_DIR;
  if (reuse) {
    if (existsSync(join(reuse, "admin.kubeconfig"))) return { available: true };
    return {
      available: false,
      reason: `CARPOOL_DEV_CLUSTER_DIR=${reuse} holds no running dev cluster`,
      enable: `run scripts/dev-cluster up --dir ${reuse}, or unset CARPOOL_DEV_CLUSTER_DIR`,
    };
  }
  if (process.platform !== "linux") {
    return {
      available: false,
      reason: `the dev cluster runs on Linux only (this is ${process.platform})`,
      enable: "run the tests on Linux",
    };
  }
  for (const tool of ["bash", "openssl", "curl"]) {
    if (!onPath(tool)) {
      return {
        available: false,
        reason: `${tool} is not installed`,
        enable: `apt-get install ${tool}`,
      };
    }
  }
  let reason = GO_REASON;
  if (onPath("go")) {
    const version =
      spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8" }).stdout?.trim() ?? "";
    const match = /^go1\.(\d+)/.exec(version);
    // Go 1.21+ fetches the newer toolchain a go.mod asks for by itself; older Go cannot.
    if (match && Number(match[1]) >= 21) return { available: true };
    reason = `go ${version || "(unknown version)"} is older than 1.26`;
  }
  // No usable Go, but the binaries may have been built before (or copied into the cache).
  const cached = spawnSync(
    "bash",
    [devClusterScript, "cached", "kubernetes", "kine", "kwok", "helm"],
    {
      encoding: "utf8",
    },
  );
  if (cached.status === 0) return { available: true };
  return { available: false, reason, enable: GO_ENABLE };
}

/** The Kubernetes release pinned in test/cluster/kubernetes/go.mod, e.g. "v1.36.3". */
export function pinnedKubernetesVersion(): string {
  const gomod = readFileSync(join(repoRoot, "test", "cluster", "kubernetes", "go.mod"), "utf8");
  const match = /^require k8s\.io\/kubernetes (v\S+)$/m.exec(gomod);
  if (!match?.[1])
    throw new Error("no k8s.io/kubernetes requirement in test/cluster/kubernetes/go.mod");
  return match[1];
}

function kubeconfigField(text: string, field: string, path: string): string {
  const match = new RegExp(`^\\s*${field}:\\s*(\\S+)\\s*$`, "m").exec(text);
  if (!match?.[1]) throw new Error(`${path} has no ${field}`);
  return match[1];
}

/** Reads a kubeconfig written by scripts/dev-cluster (embedded CA and client certificate). */
export function readDevClusterKubeconfig(path: string): KubeCredentials {
  const text = readFileSync(path, "utf8");
  const data = (field: string) =>
    Buffer.from(kubeconfigField(text, field, path), "base64").toString("utf8");
  return {
    server: kubeconfigField(text, "server", path),
    ca: data("certificate-authority-data"),
    cert: data("client-certificate-data"),
    key: data("client-key-data"),
  };
}

/** One HTTPS request to the apiserver. A JSON body is sent as JSON (merge patch for PATCH). */
export function kubeRequest(
  credentials: KubeCredentials,
  method: string,
  path: string,
  body?: unknown,
): Promise<KubeResponse> {
  const url = new URL(path, credentials.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { Accept: "application/json" };
  if (payload !== undefined) {
    headers["Content-Type"] =
      method === "PATCH" ? "application/merge-patch+json" : "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolvePromise, reject) => {
    const req = httpsRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers,
        ca: credentials.ca,
        cert: credentials.cert,
        key: credentials.key,
        agent: false,
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolvePromise({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Runs scripts/dev-cluster; its progress (stderr) and stdout go to this process's stderr. */
function runScript(args: string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("bash", [devClusterScript, ...args], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
    });
    child.stdout.on("data", (chunk: Buffer) => process.stderr.write(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolvePromise();
      else
        reject(
          new Error(`scripts/dev-cluster ${args.join(" ")} failed (${signal ?? `exit ${code}`})`),
        );
    });
  });
}

function readProcesses(dir: string): DevClusterProcess[] {
  const run = join(dir, "run");
  if (!existsSync(run)) return [];
  return readdirSync(run)
    .filter((file) => file.endsWith(".pid"))
    .map((file) => ({
      name: file.slice(0, -".pid".length),
      pid: Number(readFileSync(join(run, file), "utf8").trim()),
    }))
    .filter((entry) => Number.isInteger(entry.pid) && entry.pid > 0);
}

const running = new Set<string>();
let exitHookInstalled = false;

// A test process that dies before its after() hook still takes its clusters down with it.
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const dir of running) {
      spawnSync("bash", [devClusterScript, "down", "--dir", dir], { stdio: "ignore" });
    }
  });
}

/** DIR/cluster.env, the KEY=VALUE facts `scripts/dev-cluster up` wrote; empty when there is none. */
export function readClusterEnv(dir: string): Record<string, string> {
  const file = join(dir, "cluster.env");
  if (!existsSync(file)) return {};
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

function awsEmulator(dir: string): AwsEmulator | undefined {
  const env = readClusterEnv(dir);
  const endpoint = env.AWS_ENDPOINT_URL;
  if (!endpoint) return undefined;
  const region = env.AWS_REGION ?? "us-west-2";
  const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
  return {
    endpoint,
    region,
    credentials,
    clientConfig: { endpoint, region, credentials },
    motoVersion: env.MOTO_VERSION ?? "",
  };
}

function makeCluster(dir: string, reused: boolean, options: DevClusterOptions): DevCluster {
  const kubeconfig = join(dir, "admin.kubeconfig");
  const credentials = readDevClusterKubeconfig(kubeconfig);
  const aws = awsEmulator(dir);
  if (options.aws && !aws) {
    throw new Error(`the dev cluster in ${dir} runs no moto (scripts/dev-cluster up --with-aws)`);
  }
  let stopped = false;
  return {
    dir,
    kubeconfig,
    server: credentials.server,
    credentials,
    reused,
    aws,
    processes: () => readProcesses(dir),
    restartApiServer: () => runScript(["restart", "apiserver", "--dir", dir]),
    down: async () => {
      if (reused || stopped) return;
      stopped = true;
      await runScript(["down", "--dir", dir]);
      running.delete(dir);
    },
  };
}

/**
 * Starts a dev cluster in a fresh temporary directory (or options.dir) and resolves once /readyz is ok and
 * the default ServiceAccount exists. Builds the binaries first if this machine has not built them yet,
 * which takes many minutes the first time (progress on stderr). With CARPOOL_DEV_CLUSTER_DIR set, returns
 * the cluster already running there. With { aws: true }, moto runs beside it (cluster.aws).
 */
export async function startDevCluster(
  options: DevClusterOptions & { dir?: string } = {},
): Promise<DevCluster> {
  const reuse = process.env.CARPOOL_DEV_CLUSTER_DIR;
  if (reuse && options.dir === undefined) return makeCluster(resolve(reuse), true, options);
  const dir = resolve(options.dir ?? mkdtempSync(join(tmpdir(), "carpool-dev-cluster-")));
  installExitHook();
  running.add(dir);
  try {
    await runScript(["up", ...(options.aws ? ["--with-aws"] : []), "--dir", dir]);
  } catch (error) {
    running.delete(dir);
    // `up` stops what it started when it fails; keep the logs only when asked to.
    if (options.dir === undefined && !process.env.CARPOOL_DEV_CLUSTER_KEEP_LOGS) {
      rmSync(dir, { recursive: true, force: true });
    }
    throw error;
  }
  return makeCluster(dir, false, options);
}

/** `false` where a dev cluster can be started, else why not and how to enable it: `describe`'s `skip`. */
export function devClusterSkip(options: DevClusterOptions = {}): false | string {
  const availability = devClusterAvailability(options);
  return availability.available ? false : `${availability.reason}: ${availability.enable}`;
}

/**
 * `describe(name, suite)` where a dev cluster can be started; elsewhere one test of that name,
 * reported as skipped with the reason and how to enable it, so the runner counts it as skipped.
 */
export function describeWithDevCluster(
  name: string,
  suite: () => void,
  options: DevClusterOptions = {},
): void {
  const skip = devClusterSkip(options);
  // A suite that hangs fails instead of holding CI until its own limit.
  if (skip === false) describe(name, { timeout: 30 * 60_000 }, suite);
  else it(name, { skip }, () => {});
}
