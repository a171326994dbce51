import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";

const root = process.cwd();
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
// npm runs on the Node first on PATH: put the project's Node 24 there, as a user of it would have.
const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` };
const npm = (args: string[], cwd = root) =>
  spawnSync("npm", args, { cwd, env, encoding: "utf8", timeout: 300_000 });
const hasNpm = spawnSync("npm", ["--version"], { env }).status === 0;

/** The files `npm pack` would put in the tarball. */
function packedFiles(): string[] {
  const result = npm(["pack", "--dry-run", "--json", "--ignore-scripts"]);
  assert.equal(result.status, 0, result.stderr);
  const [pack] = JSON.parse(result.stdout) as { files: { path: string }[] }[];
  return (pack?.files ?? []).map((file) => file.path);
}

// A test file, a test helper or test data in the package is weight every user downloads.
const testFile = [
  /\.test\.ts$/,
  /\.test-helpers\.ts$/,
  /\.contract\.ts$/,
  /(^|\/)testing\.ts$/,
  /(^|\/)testdata\//,
  /^test\//,
  /(^|\/)fake-sdk\.ts$/,
];

describe("the package", { skip: hasNpm ? false : "npm is not on PATH" }, () => {
  it("npm pack ships the built library and CLI, and no tests or test helpers", () => {
    const files = packedFiles();
    assert.deepEqual(
      files.filter((file) => testFile.some((pattern) => pattern.test(file))),
      [],
    );
    for (const needed of [
      "package.json",
      "bin/carpool",
      "src/index.ts",
      "src/catalog/data/aws.generated.json",
    ])
      assert.ok(files.includes(needed), `${needed} is packed`);
    // dist/ exists once `npm install` (prepare) has built it.
    if (existsSync(join(root, "dist", "index.js")))
      for (const built of ["dist/index.js", "dist/cli/main.js", "dist/types/index.d.ts"])
        assert.ok(files.includes(built), `${built} is packed`);
  });

  it("the tarball installs without engine warnings and plain Node imports { plan } from it", () => {
    const scratch = mkdtempSync(join(tmpdir(), "carpool-package-"));
    // Pack a copy: `npm pack` runs prepare, which rebuilds dist/, and the checkout's dist/ is in use.
    const copy = join(scratch, "carpool");
    const listed = spawnSync("git", ["ls-files", "-co", "--exclude-standard"], {
      cwd: root,
      encoding: "utf8",
    });
    for (const file of listed.stdout.split("\n").filter((f) => f !== "" && existsSync(f)))
      cpSync(join(root, file), join(copy, file));
    symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
    const packed = npm(["pack", "--pack-destination", scratch], copy);
    assert.equal(packed.status, 0, packed.stderr);
    const tarball = join(scratch, packed.stdout.trim().split("\n").at(-1) ?? "");
    const app = join(scratch, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), '{"name":"app","private":true,"type":"module"}');
    const installed = npm(["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], app);
    assert.equal(installed.status, 0, installed.stderr);
    assert.doesNotMatch(installed.stderr, /EBADENGINE/);
    writeFileSync(
      join(app, "try.mjs"),
      `import { plan, parseQuantity } from "carpool";
const result = plan([
  { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "default" },
    spec: { template: { spec: { nodeClassRef: { group: "g", kind: "k", name: "n" }, requirements: [] } } } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "p" },
    spec: { containers: [{ name: "c", resources: { requests: { cpu: "1" } } }] } },
]);
console.log(result.kind, result.summary.newNodes, String(parseQuantity("1Gi").nano));
`,
    );
    // Plain node: no tsx loader, no --import.
    const run = spawnSync(process.execPath, ["try.mjs"], { cwd: app, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, "Plan 1 1073741824000000000\n");
    // TypeScript consumers get declarations (dist/types), not sources they would have to compile.
    writeFileSync(
      join(app, "tsconfig.json"),
      '{"compilerOptions":{"module":"nodenext","strict":true,"noEmit":true,"types":[]}}',
    );
    const typed = 'import { type Plan, plan } from "carpool";\nconst p: Plan = plan([]);\n';
    const tsc = (source: string) => {
      writeFileSync(join(app, "consumer.ts"), source);
      const compiler = join(root, "node_modules", "typescript", "bin", "tsc");
      return spawnSync(process.execPath, [compiler, "-p", "."], { cwd: app, encoding: "utf8" });
    };
    const good = tsc(`${typed}export const nodes: number = p.summary.newNodes;\n`);
    assert.equal(good.status, 0, good.stdout);
    const bad = tsc(`${typed}export const nodes: string = p.summary.newNodes;\n`);
    assert.match(bad.stdout, /TS2322/, "the types are real: a number is not a string");
    const bin = spawnSync(join(app, "node_modules", ".bin", "carpool"), ["--version"], {
      cwd: app,
      env,
      encoding: "utf8",
    });
    assert.equal(bin.stdout, "0.1.0\n", bin.stderr);
  });
});

/** Whether `version` satisfies an npm engines range (the forms npm packages use: >=, ^, ||). */
function satisfies(version: string, range: string): boolean {
  const [major = 0, minor = 0, patch = 0] = version.split(".").map(Number);
  const compare = (v: string) => {
    const [a = 0, b = 0, c = 0] = v.split(".").map((part) => Number(part.replace("x", "0")));
    return major - a || minor - b || patch - c;
  };
  return range.split("||").some((alternative) =>
    (alternative.trim().match(/(>=|<=|>|<|\^|~|=)?\s*v?[\dx]+(\.[\dx]+)*/g) ?? []).every(
      (comparator) => {
        const [, op = "=", v = ""] = /^(>=|<=|>|<|\^|~|=)?\s*v?(.*)$/.exec(comparator) ?? [];
        const c = compare(v);
        if (op === ">=") return c >= 0;
        if (op === ">") return c > 0;
        if (op === "<=") return c <= 0;
        if (op === "<") return c < 0;
        if (op === "^") return c >= 0 && major === Number(v.split(".")[0]);
        if (op === "~") return c >= 0 && `${major}.${minor}` === v.split(".").slice(0, 2).join(".");
        return v.split(".").length < 3 ? major === Number(v.split(".")[0]) : c === 0;
      },
    ),
  );
}

describe("the declared Node version", () => {
  const lowest = /^>=\s*(\d+)/.exec(manifest.engines.node)?.[1];
  it("engines.node is a lower bound the node dev dependency meets", () => {
    assert.ok(lowest !== undefined, `engines.node ${manifest.engines.node} is a >= range`);
    const pinned = (manifest.devDependencies.node ?? "").replace(/^\D+/, "");
    assert.ok(satisfies(pinned, manifest.engines.node), `node ${pinned} is in the engines range`);
    assert.ok(satisfies(process.versions.node, manifest.engines.node), "the tests run on it");
  });
  it("every locked dependency accepts the lowest declared Node (no EBADENGINE on it)", () => {
    const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
      packages: Record<string, { engines?: { node?: string } | string[] }>;
    };
    const refusing = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      return range === undefined || satisfies(`${lowest}.0.0`, range) ? [] : [`${path}: ${range}`];
    });
    assert.deepEqual(refusing, []);
  });
  it("the range check reads npm's forms", () => {
    const rows: [string, string, boolean][] = [
      ["24.0.0", ">=22.19.0", true],
      ["20.20.2", ">=22.19.0", false],
      ["24.0.0", "^16 || ^18 || >=20", true],
      ["24.0.0", ">= 10.x", true],
      ["24.0.0", "^8.16.0 || ^10.6.0 || >=11.0.0", true],
      ["24.0.0", "^20", false],
      ["24.1.0", "~24.1.0", true],
    ];
    for (const [version, range, expected] of rows)
      assert.equal(satisfies(version, range), expected, `${version} in ${range}`);
  });
});

describe("the README", () => {
  it("links only to files in the repository", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const tracked = new Set(
      spawnSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).stdout.split("\n"),
    );
    const targets = [
      ...readme.matchAll(/\]\(([^)\s]+)\)/g),
      ...readme.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm),
    ]
      .map((match) => match[1] ?? "")
      .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith("#"))
      .map((target) => target.split("#")[0] ?? "");
    assert.ok(targets.length > 0);
    const missing = targets.filter(
      (target) =>
        !tracked.has(target) && ![...tracked].some((file) => file.startsWith(`${target}/`)),
    );
    assert.deepEqual(missing, []);
  });
});

describe("npm run catalog:aws without its inputs", () => {
  it("names the missing files and where they go, without a stack trace", () => {
    // A checkout with no ../shared/data beside it, as a fresh clone is.
    const checkout = join(mkdtempSync(join(tmpdir(), "carpool-catalog-")), "checkout");
    mkdirSync(join(checkout, "scripts"), { recursive: true });
    writeFileSync(
      join(checkout, "scripts", "gen-aws-catalog.ts"),
      readFileSync(join(root, "scripts", "gen-aws-catalog.ts")),
    );
    for (const linked of ["src", "node_modules", "package.json"])
      symlinkSync(join(root, linked), join(checkout, linked));
    const result = spawnSync(
      process.execPath,
      ["--import", "tsx", join(checkout, "scripts", "gen-aws-catalog.ts")],
      { cwd: checkout, encoding: "utf8" },
    );
    const shared = join(dirname(checkout), "shared", "data");
    assert.equal(result.status, 2);
    assert.match(result.stderr, new RegExp(`missing ${shared}/aws-instance-types\\.json and`));
    assert.match(result.stderr, /only to rebuild it/);
    assert.doesNotMatch(result.stderr, /\n {4}at /);
  });
});
