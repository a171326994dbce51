import { shellQuote } from "../shell-quote.ts";
import type { ResolvedK3sSettings } from "./settings.ts";

/** A file the user data writes besides the agent config. */
export interface WrittenFile {
  readonly path: string;
  readonly permissions: string;
  readonly content: string;
}

/** How the agent gets installed and started: files to write first, then shell lines to run. */
export interface AgentInstall {
  readonly files: readonly WrittenFile[];
  readonly lines: readonly string[];
}

/** Where k3s's install script puts the binary, and where an air-gapped image is expected to have it. */
export const K3sBinary = "/usr/local/bin/k3s";
export const AgentUnitPath = "/etc/systemd/system/k3s-agent.service";

/**
 * The install: k3s's install script (downloaded, or already on the machine), or — air-gapped
 * without one — a systemd unit that runs the k3s binary already there. `INSTALL_K3S_EXEC=agent`
 * makes an agent whose flags all come from the config file, so neither the token nor the server
 * is in the environment, the unit file or a command line. Every value is a single-quoted word.
 */
export function agentInstall(settings: ResolvedK3sSettings): AgentInstall {
  const script = settings.installScript;
  if (script.kind === "none") return unitInstall();
  const env = scriptEnvironment(settings);
  if (script.kind === "local")
    return { files: [], lines: [`${env} sh ${shellQuote(script.path)}`] };
  const url = shellQuote(script.url);
  return {
    files: [],
    lines: [
      "installer=$(mktemp)",
      `trap 'rm -f "$installer"' EXIT`,
      "if command -v curl >/dev/null 2>&1; then",
      `  curl -sfL --retry 5 -o "$installer" ${url}`,
      "else",
      `  wget -qO "$installer" ${url}`,
      "fi",
      `${env} sh "$installer"`,
    ],
  };
}

/**
 * The install script's variables (k3s install.sh header): INSTALL_K3S_SKIP_DOWNLOAD=true uses the
 * binary already on the machine, INSTALL_K3S_VERSION pins a download. INSTALL_K3S_FORCE_RESTART:
 * the script skips the restart when the binary and unit are unchanged, which on a reused machine
 * would leave an agent running with the previous claim's config.
 */
function scriptEnvironment(settings: ResolvedK3sSettings): string {
  const variables: [string, string][] = [
    ...(settings.airGapped ? [["INSTALL_K3S_SKIP_DOWNLOAD", "true"] as [string, string]] : []),
    ...(settings.version !== undefined
      ? [["INSTALL_K3S_VERSION", settings.version] as [string, string]]
      : []),
    ["INSTALL_K3S_FORCE_RESTART", "true"],
    ["INSTALL_K3S_EXEC", "agent"],
  ];
  return variables.map(([name, value]) => `${name}=${shellQuote(value)}`).join(" ");
}

/**
 * The unit k3s's install script would write for an agent, without the script: systemd only.
 * Type=notify (k3s reports when it is ready), Delegate=yes (containerd manages the pods' cgroups),
 * KillMode=process (a restart of the agent leaves the containers running), no resource limits
 * (accounting overhead), restarted forever.
 */
function unitInstall(): AgentInstall {
  const unit = [
    "[Unit]",
    "Description=k3s agent (joined by carpool)",
    "Documentation=https://docs.k3s.io",
    "Wants=network-online.target",
    "After=network-online.target",
    "",
    "[Service]",
    "Type=notify",
    "ExecStartPre=-/sbin/modprobe br_netfilter",
    "ExecStartPre=-/sbin/modprobe overlay",
    `ExecStart=${K3sBinary} agent`,
    "KillMode=process",
    "Delegate=yes",
    "LimitNOFILE=1048576",
    "LimitNPROC=infinity",
    "LimitCORE=infinity",
    "TasksMax=infinity",
    "TimeoutStartSec=0",
    "Restart=always",
    "RestartSec=5s",
    "",
    "[Install]",
    "WantedBy=multi-user.target",
    "",
  ].join("\n");
  const missing = `carpool: ${K3sBinary} is missing; an air-gapped machine must have k3s installed`;
  return {
    files: [{ path: AgentUnitPath, permissions: "0644", content: unit }],
    lines: [
      `if [ ! -x ${K3sBinary} ]; then`,
      `  echo ${shellQuote(missing)} >&2`,
      "  exit 1",
      "fi",
      "systemctl daemon-reload",
      "systemctl enable k3s-agent.service",
      "systemctl restart k3s-agent.service",
    ],
  };
}
