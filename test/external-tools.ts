// The programs outside node_modules that some tests check carpool's output with, the Debian
// packages that bring them, and how a test asks for one. `npm test` (scripts/run-tests.mjs)
// installs the missing ones when it runs as root on a machine with apt-get; where it cannot, their
// tests are reported as skipped with the command that enables them. In CI (`CI=true`) .ci/run has
// installed them, so a missing tool is no reason to skip there: the tests run and fail.
// Plain erasable TypeScript: Node runs it without tsx, as scripts/run-tests.mjs imports it.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export interface ExternalTool {
  readonly name: string;
  /** The Debian packages that bring it (bookworm's names). */
  readonly debianPackages: readonly string[];
  /** Some packages need their recommended ones to work (chromium's fonts). */
  readonly withRecommends?: true;
  /** What uses it, for the runner's notice. */
  readonly usedBy: string;
  /** Whether it is here and usable, with the environment's PATH. */
  readonly present: (env: NodeJS.ProcessEnv) => boolean;
}

const onPath = (name: string) => (env: NodeJS.ProcessEnv) => findOnPath(name, env) !== undefined;

export const externalTools: readonly ExternalTool[] = [
  {
    name: "chromium",
    debianPackages: ["chromium"],
    withRecommends: true,
    usedBy: "the HTML report's browser test",
    present: onPath("chromium"),
  },
  {
    name: "cloud-init",
    debianPackages: ["cloud-init"],
    usedBy: "the k3s user data's schema check",
    present: onPath("cloud-init"),
  },
  {
    name: "shellcheck",
    debianPackages: ["shellcheck"],
    usedBy: "the k3s user data's and the exec sketches' lint",
    present: onPath("shellcheck"),
  },
  {
    name: "jq",
    debianPackages: ["jq"],
    usedBy: "the Hetzner exec-provider sketch",
    present: onPath("jq"),
  },
  {
    name: "openssl",
    debianPackages: ["openssl"],
    usedBy: "the dev cluster's certificates",
    present: onPath("openssl"),
  },
  {
    name: "curl",
    debianPackages: ["curl"],
    usedBy: "the dev cluster's health checks",
    present: onPath("curl"),
  },
  {
    name: "zsh",
    debianPackages: ["zsh"],
    usedBy: "the zsh completion script's checks",
    present: onPath("zsh"),
  },
  {
    name: "fish",
    debianPackages: ["fish"],
    usedBy: "the fish completion script's checks",
    present: onPath("fish"),
  },
  {
    // tomllib needs 3.11; venv and ensurepip (python3-venv on Debian) make the moto virtualenv.
    name: "python3",
    debianPackages: ["python3", "python3-venv"],
    usedBy: "the EKS user data's TOML and MIME checks, the moto virtualenv",
    present: (env) =>
      findOnPath("python3", env) !== undefined &&
      spawnSync("python3", ["-c", "import tomllib, email, venv, ensurepip"], { env }).status === 0,
  },
];

/** The tools missing here. */
export function missingTools(env: NodeJS.ProcessEnv = process.env): ExternalTool[] {
  return externalTools.filter((tool) => !tool.present(env));
}

/**
 * The apt-get command that installs these tools (one line, ready to paste). The runner adds
 * `--no-upgrade`: it installs what is missing and leaves what a machine already has as it is.
 */
export function installCommand(
  tools: readonly ExternalTool[],
  options: { noUpgrade?: boolean } = {},
): string {
  const install = `apt-get install -y${options.noUpgrade === true ? " --no-upgrade" : ""}`;
  const plain = tools.filter((t) => t.withRecommends !== true).flatMap((t) => t.debianPackages);
  const full = tools.filter((t) => t.withRecommends === true).flatMap((t) => t.debianPackages);
  return [
    "apt-get update",
    ...(plain.length > 0 ? [`${install} --no-install-recommends ${plain.join(" ")}`] : []),
    ...(full.length > 0 ? [`${install} ${full.join(" ")}`] : []),
  ].join(" && ");
}

/**
 * The `skip` option of a test or suite that runs `name`: false where it is present, or in CI
 * (where its absence must fail); otherwise the reason and the command that enables it.
 */
export function skipWithoutTool(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | false {
  const tool = externalTools.find((t) => t.name === name);
  if (tool === undefined) throw new Error(`no external tool ${name} in test/external-tools.ts`);
  if (env.CI === "true" || tool.present(env)) return false;
  return `${name} not found: ${installCommand([tool])} (npm test does it when run as root)`;
}

/** The executable `name` on PATH, as a shell's lookup finds it, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}
