import { parse } from "yaml";
import type { FieldError } from "../../api/field-errors.ts";
import type { BootstrapInput } from "../../ports/bootstrap.ts";
import { ContentTypes, type MimePart, readMimeArchive, writeMimeArchive } from "./mime-archive.ts";
import { nodeConfig, nodeConfigYAML } from "./node-config.ts";
import type { EksBootstrapSettings } from "./settings.ts";

export type UserPartsResult =
  | { readonly ok: true; readonly parts: readonly MimePart[] }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * The EC2NodeClass's user data as MIME parts, as Karpenter reads it for AL2023 (nodeadm.go
 * parseUserData): an archive (it starts with `MIME-Version:` or `Content-Type:`) gives its parts;
 * anything else is one part — a NodeConfig when it is a YAML mapping, a shell script otherwise.
 * Two refinements: a `#!` script is a script even if YAML could read it (a script of only comments
 * reads as an empty YAML document), and a `#cloud-config` is a cloud-config part, not a NodeConfig.
 */
export function al2023UserParts(userData: string | undefined): UserPartsResult {
  if (userData === undefined || userData === "") return { ok: true, parts: [] };
  const trimmed = userData.trim();
  if (trimmed.startsWith("MIME-Version:") || trimmed.startsWith("Content-Type:")) {
    const read = readMimeArchive(userData);
    if (!read.ok)
      return {
        ok: false,
        errors: [{ path: "userData", message: `not a MIME multipart archive: ${read.message}` }],
      };
    return { ok: true, parts: read.parts };
  }
  return {
    ok: true,
    parts: [{ headers: [], contentType: bareContentType(trimmed), content: userData }],
  };
}

function bareContentType(trimmed: string): string {
  if (trimmed.startsWith("#!")) return ContentTypes.shellScript;
  if (/^#cloud-config\s/.test(`${trimmed}\n`)) return ContentTypes.cloudConfig;
  try {
    const value: unknown = parse(trimmed);
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      return ContentTypes.nodeConfig;
  } catch {
    // Not YAML: a script.
  }
  return ContentTypes.shellScript;
}

/**
 * The archive: the user's parts first, carpool's NodeConfig last. nodeadm merges NodeConfigs in
 * archive order and the last one wins (nodeadm docs, "Merging multiple configuration objects"), so
 * the cluster's facts, labels and taints cannot be overridden, while the user's other settings stay
 * (Karpenter orders them the same way).
 */
export function al2023UserData(
  settings: EksBootstrapSettings,
  userParts: readonly MimePart[],
  input: BootstrapInput,
): string {
  const own: MimePart = {
    headers: [],
    contentType: ContentTypes.nodeConfig,
    content: nodeConfigYAML(nodeConfig(settings, input)),
  };
  return writeMimeArchive([...userParts, own]);
}
