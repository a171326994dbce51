import { Document, isScalar } from "yaml";
import type { UserData } from "../../ports/bootstrap.ts";

/** A rendered document, before the caller names the secrets in it. */
export type RenderedDocument = Omit<UserData, "secrets">;

import { AgentConfigPath, YAMLStyle } from "./agent-config.ts";
import type { AgentInstall } from "./install.ts";

/**
 * A `#cloud-config`: write_files puts the agent config in place (0600, root) and any file the
 * install needs, before runcmd runs the install (cloud-init runs write_files in its init stage,
 * runcmd in its final stage). Block literals keep files and the script readable; every other
 * string is double-quoted, since cloud-init reads YAML 1.1 too (PyYAML).
 */
export function cloudConfig(configYAML: string, install: AgentInstall): RenderedDocument {
  const files = [
    { path: AgentConfigPath, permissions: "0600", content: configYAML },
    ...install.files,
  ];
  const script = ["set -eu", ...install.lines].join("\n") + "\n";
  const document = new Document({
    write_files: files.map((file) => ({
      path: file.path,
      owner: "root:root",
      permissions: file.permissions,
      content: file.content,
    })),
    runcmd: [["sh", "-c", script]],
  });
  for (const index of files.keys()) literal(document, ["write_files", index, "content"]);
  literal(document, ["runcmd", 0, 2]);
  return { format: "cloud-config", content: `#cloud-config\n${document.toString(YAMLStyle)}` };
}

function literal(document: Document, path: readonly (string | number)[]): void {
  const node = document.getIn(path, true);
  if (!isScalar(node)) throw new Error(`no scalar at ${path.join(".")}`);
  node.type = "BLOCK_LITERAL";
}

/** The delimiter of the config heredoc; quoted, so the shell expands nothing inside it. */
export const HeredocDelimiter = "CARPOOL_K3S_CONFIG";
const FileDelimiter = "CARPOOL_K3S_FILE";

/**
 * A `#!/bin/sh` script for machines without cloud-init: the same config written through a quoted
 * heredoc under umask 077 (the file is never readable by others, not even for a moment), then the
 * same files and install lines as the cloud-config.
 */
export function shellScript(configYAML: string, install: AgentInstall): RenderedDocument {
  const lines = [
    "#!/bin/sh",
    "# Joins this machine to the cluster as a k3s agent. Rendered by carpool.",
    "set -eu",
    "umask 077",
    "mkdir -p /etc/rancher/k3s",
    ...heredoc(AgentConfigPath, HeredocDelimiter, configYAML),
    `chmod 0600 ${AgentConfigPath}`,
    "umask 022",
    ...install.files.flatMap((file) => [
      ...heredoc(file.path, FileDelimiter, file.content),
      `chmod ${file.permissions} ${file.path}`,
    ]),
    ...install.lines,
  ];
  return { format: "shell", content: lines.join("\n") + "\n" };
}

function heredoc(path: string, delimiter: string, content: string): string[] {
  // Cannot happen for the YAML (its strings are all double-quoted) or the unit; checked because a
  // line equal to the delimiter would end the heredoc early and run the rest as commands.
  if (content.split("\n").includes(delimiter))
    throw new Error(`${path}: the content holds its heredoc delimiter`);
  return [`cat >${path} <<'${delimiter}'`, content.replace(/\n$/, ""), delimiter];
}
