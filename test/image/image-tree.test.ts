// The container image without a Docker engine: scripts/image-tree.mjs carries out the Dockerfile's COPY
// and RUN lines (npm ci, npm run build, npm prune) and lays out the final stage's files; this test
// checks that tree against the Dockerfile and package-lock.json and runs the CLI from it with the
// checkout's Node.js 24 (the image's is distroless Node.js 24), as user 65532 when the test runs as
// root. With a dev cluster (test/cluster) it also runs the image's default command, `controller`, against
// a real API server until it is ready, and stops it with SIGTERM.
//
// Needs the npm registry (npm ci); skips, saying so, when `npm ping` fails. Run alone with
// `npm test -- test/image`; CARPOOL_IMAGE_TREE_KEEP=1 keeps the tree and prints where it is.
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, posix } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  type DevCluster,
  devClusterAvailability,
  devClusterScript,
  repoRoot,
  startDevCluster,
} from "../cluster/harness.ts";

const imageUid = 65532;

// ---------------------------------------------------------------------------------------------------
// The Dockerfile, read here on its own (not through the script), so the two readings check each other.

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

function finalStage(): { image: string; instructions: Instruction[] } {
  const text = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
  const joined = text
    .split("\n")
    .filter((line) => !line.trim().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ");
  let stage: { image: string; instructions: Instruction[] } | undefined;
  for (const line of joined.split("\n")) {
    const match = /^\s*(\S+)\s+(.*\S)\s*$/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    const keyword = match[1].toUpperCase();
    if (keyword === "FROM") stage = { image: match[2].split(/\s+/)[0] ?? "", instructions: [] };
    else stage?.instructions.push({ keyword, args: match[2] });
  }
  if (stage === undefined) throw new Error("the Dockerfile has no FROM");
  return stage;
}

function last(stage: { instructions: Instruction[] }, keyword: string): string | undefined {
  return stage.instructions.filter((i) => i.keyword === keyword).at(-1)?.args;
}

interface Copy {
  readonly from?: string;
  readonly sources: string[];
  readonly dest: string;
}

function copies(stage: { instructions: Instruction[] }, workdir: string): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === "COPY")
    .map((i) => {
      const words = i.args.split(/\s+/);
      const from = words.find((w) => w.startsWith("--from="))?.slice("--from=".length);
      const paths = words.filter((w) => !w.startsWith("--"));
      const dest = paths.at(-1) ?? "";
      const absolute = posix.resolve(workdir, dest) + (dest.endsWith("/") ? "/" : "");
      return { ...(from !== undefined && { from }), sources: paths.slice(0, -1), dest: absolute };
    });
}

// ---------------------------------------------------------------------------------------------------
// Running the CLI from the tree.

interface ImageConfig {
  readonly image: string;
  readonly workdir: string;
  readonly user?: string;
  readonly env: Record<string, string>;
  readonly entrypoint?: string[];
  readonly cmd?: string[];
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const checkoutNode = join(repoRoot, "node_modules", ".bin", "node");

function registryReachable(): { ok: true } | { ok: false; why: string } {
  const ping = spawnSync("npm", ["ping", "--fetch-retries=0", "--fetch-timeout=10000"], {
    encoding: "utf8",
    timeout: 30_000,
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  if (ping.status === 0) return { ok: true };
  const lines = `${ping.stderr ?? ""}${ping.stdout ?? ""}`
    .split("\n")
    .filter((l) => l.startsWith("npm error") && !l.includes("A complete log"));
  return {
    ok: false,
    why: ping.error?.message ?? (lines.slice(0, 2).join("; ") || `exit ${ping.status}`),
  };
}

function skipReason(): string | false {
  if (!existsSync(checkoutNode))
    return "no node_modules/.bin/node in the checkout: run npm install";
  const registry = registryReachable();
  if (!registry.ok)
    return `the npm registry is unreachable (npm ping: ${registry.why}), and scripts/image-tree.mjs runs npm ci: run npm test -- test/image where it answers`;
  return false;
}

const skip = skipReason();

function walkFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const rel = prefix === "" ? name : `${prefix}/${name}`;
    const stat = lstatSync(join(dir, name));
    if (stat.isDirectory()) out.push(...walkFiles(join(dir, name), rel));
    else out.push(rel);
  }
  return out;
}

describe("the container image's file tree (scripts/image-tree.mjs from the Dockerfile)", {
  skip,
}, () => {
  let tmp: string;
  let rootfs: string;
  let app: string;
  let config: ImageConfig;
  /** uid/gid 65532 when this test runs as root and that user can run the checkout's Node.js. */
  let user: { uid: number; gid: number } | undefined;
  let userNote = "";
  let home: string;
  let buildLog = "";

  const run = (args: readonly string[], env: Record<string, string> = {}): Run => {
    const entrypoint = config.entrypoint ?? [];
    // The image's node (/nodejs/bin/node) is the checkout's here; the rest of ENTRYPOINT is kept.
    const result = spawnSync(checkoutNode, [...entrypoint.slice(1), ...args], {
      cwd: app,
      encoding: "utf8",
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...config.env, HOME: home, PATH: "/usr/bin:/bin", ...env },
      ...user,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  before(
    () => {
      tmp = mkdtempSync(join(tmpdir(), "carpool-image-tree-"));
      chmodSync(tmp, 0o755);
      const out = join(tmp, "tree");
      const started = Date.now();
      const built = spawnSync(
        process.execPath,
        [join(repoRoot, "scripts", "image-tree.mjs"), out],
        {
          cwd: repoRoot,
          encoding: "utf8",
          timeout: 15 * 60_000,
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      buildLog = `${built.stdout}${built.stderr}`;
      if (built.status !== 0)
        throw new Error(
          `scripts/image-tree.mjs failed (${built.error?.message ?? `exit ${built.status}`}):\n${buildLog.slice(-4000)}`,
        );
      buildLog += `\n(built in ${((Date.now() - started) / 1000).toFixed(1)}s)`;
      config = JSON.parse(readFileSync(join(out, "image.json"), "utf8")) as ImageConfig;
      rootfs = join(out, "rootfs");
      app = join(rootfs, config.workdir);
      home = join(tmp, "home");
      mkdirSync(home, { mode: 0o777 });
      chmodSync(home, 0o777);
      if (process.getuid?.() === 0) {
        const probe = spawnSync(
          checkoutNode,
          ["-e", "require('node:fs').accessSync(process.argv[1] + '/dist/cli/main.js')", app],
          { uid: imageUid, gid: imageUid, encoding: "utf8" },
        );
        if (probe.status === 0) user = { uid: imageUid, gid: imageUid };
        else
          userNote = `ran as root: user ${imageUid} cannot run ${checkoutNode} or read the tree (${(probe.error?.message ?? probe.stderr).trim().split("\n")[0]})`;
      } else {
        userNote = `ran as uid ${process.getuid?.()}, not ${imageUid} (only root can switch)`;
      }
    },
    { timeout: 16 * 60_000 },
  );

  after(() => {
    if (tmp === undefined) return;
    if (process.env.CARPOOL_IMAGE_TREE_KEEP) process.stderr.write(`image tree kept in ${tmp}\n`);
    else rmSync(tmp, { recursive: true, force: true });
  });

  it("the final stage runs as user 65532 from the distroless Node.js 24 image, with the controller as its command", (t) => {
    t.diagnostic(
      buildLog
        .split("\n")
        .filter((l) => l.startsWith("image-tree: "))
        .join(" | "),
    );
    const stage = finalStage();
    assert.match(stage.image, /^gcr\.io\/distroless\/nodejs24-debian12(:|@|$)/);
    const userLine = last(stage, "USER");
    assert.equal(
      userLine,
      `${imageUid}:${imageUid}`,
      "USER is numeric, so runAsNonRoot can check it",
    );
    assert.equal(config.user, userLine, "the script read the same USER");
    assert.deepEqual(JSON.parse(last(stage, "ENTRYPOINT") ?? "null"), config.entrypoint);
    assert.deepEqual(config.entrypoint, ["/nodejs/bin/node", "dist/cli/main.js"]);
    assert.deepEqual(JSON.parse(last(stage, "CMD") ?? "null"), ["controller"]);
    assert.deepEqual(config.cmd, ["controller"]);
    // The build stage's Node.js is the major the project runs on (package.json's node dev dependency).
    const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
    };
    const major = /(\d+)/.exec(manifest.devDependencies.node ?? "")?.[1];
    const text = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
    assert.match(text, new RegExp(`^FROM node:${major}-bookworm-slim AS build$`, "m"));
    assert.match(stage.image, new RegExp(`nodejs${major}-`));
  });

  it("every path the final stage COPYs is in the tree, and nothing else is", () => {
    const stage = finalStage();
    const workdir = last(stage, "WORKDIR") ?? "/";
    assert.equal(workdir, config.workdir);
    const expected = new Set<string>();
    for (const copy of copies(stage, workdir)) {
      for (const source of copy.sources) {
        const file = copy.dest.endsWith("/")
          ? posix.join(copy.dest, source.endsWith("/") ? "" : basename(source))
          : copy.dest;
        const inTree = join(rootfs, file);
        assert.ok(existsSync(inTree), `COPY ${source} ${copy.dest}: ${file} is not in the tree`);
        if (lstatSync(inTree).isDirectory())
          assert.ok(
            readdirSync(inTree).length > 0,
            `COPY ${source} ${copy.dest}: ${file} is empty`,
          );
        expected.add(posix.relative(workdir, file).split("/")[0] ?? "");
        if (copy.from === undefined) {
          // From the build context: every file of the checkout there (git ls-files) is copied.
          const listed = spawnSync("git", ["ls-files", "--", source], {
            cwd: repoRoot,
            encoding: "utf8",
          });
          for (const tracked of listed.stdout.split("\n").filter((l) => l !== "")) {
            const rel = posix.relative(source.replace(/\/$/, ""), tracked);
            assert.ok(existsSync(join(inTree, rel)), `${tracked} is not in the tree`);
          }
        }
      }
    }
    assert.deepEqual(readdirSync(rootfs), [workdir.replace(/^\//, "").split("/")[0]]);
    assert.deepEqual(readdirSync(app).sort(), [...expected].sort());
  });

  it("holds the production dependencies of package-lock.json, and no dev or optional one", () => {
    const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as {
      packages: Record<string, { dev?: boolean; optional?: boolean; devOptional?: boolean }>;
    };
    const missing: string[] = [];
    const extra: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      if (path === "" || !path.startsWith("node_modules/")) continue;
      const present = existsSync(join(app, path, "package.json"));
      const production = !entry.dev && !entry.optional && !entry.devOptional;
      if (production && !present) missing.push(path);
      if (!production && present) extra.push(path);
    }
    assert.deepEqual(missing, [], "production dependencies missing from the tree");
    assert.deepEqual(extra, [], "dev or optional dependencies in the tree");
    // By name, the devDependencies nothing in production needs. (esbuild is a devDependency too,
    // but also tsx's dependency, and tsx is a dependency; its native binary, optional, is absent.)
    for (const name of ["typescript", "fast-check", "playwright-core", "node"])
      assert.ok(
        !existsSync(join(app, "node_modules", name)),
        `node_modules/${name} is in the tree`,
      );
    const esbuildBinaries = existsSync(join(app, "node_modules", "@esbuild"))
      ? readdirSync(join(app, "node_modules", "@esbuild"))
      : [];
    assert.deepEqual(esbuildBinaries, []);
    assert.ok(!existsSync(join(app, "node_modules", "@biomejs", "cli-linux-x64")));
  });

  it("needs no TypeScript source: of src/ only the AWS catalog data, read at run time", () => {
    assert.deepEqual(walkFiles(join(app, "src")), ["catalog/data/aws.generated.json"]);
    const sources = walkFiles(app).filter(
      (f) => !f.startsWith("node_modules/") && /\.(m|c)?tsx?$/.test(f),
    );
    assert.deepEqual(sources, []);
    assert.ok(existsSync(join(app, "dist", "cli", "main.js")));
  });

  it("node dist/cli/main.js --version prints package.json's version", (t) => {
    if (userNote) t.diagnostic(userNote);
    const version = (
      JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }
    ).version;
    assert.equal(version, "0.1.0");
    const result = run(["--version"]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), version);
  });

  it("controller --help lists the controller's flags", () => {
    const result = run(["controller", "--help"]);
    assert.equal(result.status, 0, result.stderr);
    for (const flag of [
      "--cloud-provider <name>",
      "--kubeconfig <file>",
      "--leader-elect",
      "--metrics-port <port>",
      "--health-port <port>",
      "--log-format <format>",
    ])
      assert.ok(
        result.stdout.includes(flag),
        `controller --help has no ${flag}:\n${result.stdout}`,
      );
  });

  it("the default command loads the whole controller: it gets as far as reading the kubeconfig", () => {
    // Only CMD, as the image starts without arguments: it asks for the cloud provider.
    const bare = run(config.cmd ?? []);
    assert.notEqual(bare.status, 0);
    assert.match(bare.stderr, /required option '--cloud-provider <name>' not specified/);
    // With the settings a Deployment gives through the environment, every module the controller
    // imports (the bundle's externals: @kubernetes/client-node, pino, prom-client, ...) is loaded
    // before the kubeconfig is read, and this one is missing.
    const missing = join(tmp, "no-such-kubeconfig");
    const result = run(config.cmd ?? [], {
      CLOUD_PROVIDER: "kwok",
      CARPOOL_KUBECONFIG: missing,
      LOG_FORMAT: "json",
    });
    const output = result.stdout + result.stderr;
    assert.doesNotMatch(output, /ERR_MODULE_NOT_FOUND|Cannot find (module|package)/);
    assert.equal(result.status, 2, output);
    assert.match(output, /cannot load a kubeconfig/);
    assert.ok(output.includes(`${missing}: no such file`), output);
  });

  it("catalog and simulate read the shipped AWS catalog and the bundled demo scenario", () => {
    const catalog = run(["catalog", "--region", "us-east-1", "-o", "json"]);
    assert.equal(catalog.status, 0, catalog.stderr);
    const list = JSON.parse(catalog.stdout) as { kind: string; items: unknown[] };
    assert.equal(list.kind, "InstanceTypeList");
    assert.ok(list.items.length > 100, `${list.items.length} instance types`);
    const simulated = run(["simulate", "-o", "json"]);
    assert.equal(simulated.status, 0, simulated.stderr);
    const result = JSON.parse(simulated.stdout) as { kind: string; scenario: string };
    assert.equal(result.kind, "SimulationResult");
    assert.equal(result.scenario, "eks-daily-traffic");
  });

  describe("the default command against a dev cluster", {
    skip: devClusterSkip(),
  }, () => {
    let cluster: DevCluster | undefined;
    let child: ChildProcess | undefined;

    after(async () => {
      child?.kill("SIGKILL");
      await cluster?.down();
    });

    it("controller (CMD) with its settings in the environment gets ready and stops on SIGTERM", {
      timeout: 5 * 60_000,
    }, async (t) => {
      if (userNote) t.diagnostic(userNote);
      cluster = await startDevCluster();
      const applied = spawnSync(
        "bash",
        [
          "-c",
          'eval "$("$0" env --dir "$1")" && kubectl apply --server-side --force-conflicts -f crds/ >/dev/null && kubectl wait --for condition=established --timeout=60s -f crds/ >/dev/null',
          devClusterScript,
          cluster.dir,
        ],
        { cwd: repoRoot, encoding: "utf8", timeout: 120_000 },
      );
      assert.equal(applied.status, 0, `kubectl apply -f crds/: ${applied.stderr}`);
      // The process's own copy of the admin kubeconfig, readable by user 65532.
      const kubeconfig = join(tmp, "kubeconfig");
      copyFileSync(cluster.kubeconfig, kubeconfig);
      chmodSync(kubeconfig, 0o600);
      if (user !== undefined) chownSync(kubeconfig, user.uid, user.gid);

      const lines: { message?: string; healthPort?: number; metricsPort?: number }[] = [];
      let stderr = "";
      const entrypoint = config.entrypoint ?? [];
      const started = spawn(checkoutNode, [...entrypoint.slice(1), ...(config.cmd ?? [])], {
        cwd: app,
        env: {
          ...config.env,
          HOME: home,
          PATH: "/usr/bin:/bin",
          CLOUD_PROVIDER: "kwok",
          CARPOOL_KUBECONFIG: kubeconfig,
          METRICS_PORT: "0",
          HEALTH_PROBE_PORT: "0",
          BIND_ADDRESS: "127.0.0.1",
          NO_PROXY: "127.0.0.1,localhost",
        },
        stdio: ["ignore", "pipe", "pipe"],
        ...user,
      });
      child = started;
      const exited = new Promise<number | null>((resolve) => started.on("exit", resolve));
      let partial = "";
      started.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
        const parts = (partial + chunk).split("\n");
        partial = parts.pop() ?? "";
        for (const part of parts)
          if (part.trim() !== "")
            try {
              lines.push(JSON.parse(part) as (typeof lines)[number]);
            } catch {
              lines.push({ message: part });
            }
      });
      started.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
      });
      const tail = () =>
        [...lines.slice(-10).map((l) => JSON.stringify(l)), stderr.slice(-2000)].join("\n");
      const deadline = Date.now() + 90_000;
      let ready = false;
      while (Date.now() < deadline && started.exitCode === null) {
        const ports = lines.find((l) => l.message === "starting");
        if (ports?.healthPort && lines.some((l) => l.message === "caches synced")) {
          const readyz = await fetch(`http://127.0.0.1:${ports.healthPort}/readyz`).catch(
            () => undefined,
          );
          if (readyz?.status === 200) {
            const metrics = await fetch(`http://127.0.0.1:${ports.metricsPort}/metrics`);
            assert.equal(metrics.status, 200);
            ready = true;
            break;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.ok(ready, `the controller from the image tree never got ready:\n${tail()}`);
      started.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        exited,
        new Promise<"timeout">((resolve) => {
          timer = setTimeout(() => resolve("timeout"), 30_000);
        }),
      ]);
      clearTimeout(timer);
      assert.equal(code, 0, `exit after SIGTERM:\n${tail()}`);
      child = undefined;
    });
  });
});

function devClusterSkip(): string | false {
  const availability = devClusterAvailability();
  return availability.available ? false : `${availability.reason}: ${availability.enable}`;
}
