import { parse, TomlError } from "smol-toml";
import type { FieldError } from "../../api/field-errors.ts";
import type { BootstrapInput } from "../../ports/bootstrap.ts";
import { partitionLabels } from "../kubelet-labels.ts";
import { eksKubelet } from "./eks-kubelet.ts";
import { registerTaints } from "./register-taints.ts";
import type { EksBootstrapSettings } from "./settings.ts";
import { isTomlTable, type TomlTable, type TomlValue, writeToml } from "./toml-writer.ts";

export type UserTomlResult =
  | { readonly ok: true; readonly document: TomlTable }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * The EC2NodeClass's Bottlerocket user data, read as TOML (Karpenter: bottlerocketsettings.go
 * UnmarshalTOML). `settings`, `settings.kubernetes` and the maps carpool merges into must be tables.
 */
export function bottlerocketUserToml(userData: string | undefined): UserTomlResult {
  if (userData === undefined || userData.trim() === "") return { ok: true, document: {} };
  let document: TomlTable;
  try {
    document = parse(userData, { integersAsBigInt: true }) as TomlTable;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const where = `line ${error.line}, column ${error.column}`;
    return {
      ok: false,
      errors: [
        { path: "userData", message: `not TOML (${where}): ${error.message.split("\n")[0]}` },
      ],
    };
  }
  const errors: FieldError[] = [];
  const settings = document.settings;
  if (settings !== undefined && !isTomlTable(settings))
    errors.push({ path: "userData.settings", message: "must be a table" });
  const kubernetes = isTomlTable(settings) ? settings.kubernetes : undefined;
  if (kubernetes !== undefined && !isTomlTable(kubernetes))
    errors.push({ path: "userData.settings.kubernetes", message: "must be a table" });
  const labels = isTomlTable(kubernetes) ? kubernetes["node-labels"] : undefined;
  if (labels !== undefined && !isTomlTable(labels))
    errors.push({ path: 'userData.settings.kubernetes."node-labels"', message: "must be a table" });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, document };
}

/**
 * Bottlerocket user data: the user's TOML with carpool's settings.kubernetes merged in as Karpenter
 * merges them (bottlerocket.go Script): cluster-name, api-server and cluster-certificate are
 * carpool's; node-labels are the user's plus carpool's (carpool's win on a shared key); node-taints
 * are carpool's alone; max-pods, the reserved and eviction maps and cluster-dns-ip replace the
 * user's only when carpool has them; settings.autoscaling.should-wait is turned off when set
 * (Karpenter's nodes join no Auto Scaling group, and it would hold the kubelet back). Every other
 * setting is kept as written — unlike Karpenter, which drops keys under settings.kubernetes that
 * its struct does not know; Bottlerocket itself refuses an unknown setting, which is clearer.
 */
export function bottlerocketUserData(
  settings: EksBootstrapSettings,
  userDocument: TomlTable,
  input: BootstrapInput,
): string {
  const document = structuredCloneToml(userDocument);
  const root = table(document, "settings");
  const kubernetes = table(root, "kubernetes");
  kubernetes["cluster-name"] = settings.clusterName;
  kubernetes["api-server"] = settings.apiServerEndpoint;
  kubernetes["cluster-certificate"] = settings.certificateAuthority;
  const labels = sortedTable({
    ...table(kubernetes, "node-labels"),
    ...partitionLabels(input.labels).kubelet,
  });
  if (Object.keys(labels).length > 0) kubernetes["node-labels"] = labels;
  else delete kubernetes["node-labels"];
  kubernetes["node-taints"] = nodeTaints(input);
  const kubelet = eksKubelet(input);
  if (kubelet?.maxPods !== undefined) kubernetes["max-pods"] = BigInt(kubelet.maxPods);
  const map = (key: string, value: Readonly<Record<string, string>> | undefined) => {
    if (value !== undefined) kubernetes[key] = sortedTable(value);
  };
  map("kube-reserved", kubelet?.kubeReserved);
  map("system-reserved", kubelet?.systemReserved);
  map("eviction-hard", kubelet?.evictionHard);
  map("eviction-soft", kubelet?.evictionSoft);
  map("eviction-soft-grace-period", kubelet?.evictionSoftGracePeriod);
  if (kubelet?.evictionMaxPodGracePeriod !== undefined)
    kubernetes["eviction-max-pod-grace-period"] = BigInt(kubelet.evictionMaxPodGracePeriod);
  const dns = settings.clusterDNS?.[0];
  if (dns !== undefined) kubernetes["cluster-dns-ip"] = dns;
  if (input.providerID !== undefined) kubernetes["provider-id"] = input.providerID;
  const autoscaling = root.autoscaling;
  if (isTomlTable(autoscaling) && autoscaling["should-wait"] !== undefined)
    autoscaling["should-wait"] = false;
  return writeToml(document);
}

/** Bottlerocket's node-taints: key → ["value:Effect", …] (":Effect" without a value, as Karpenter writes it). */
function nodeTaints(input: BootstrapInput): TomlTable {
  const taints: Record<string, string[]> = {};
  for (const taint of registerTaints(input.taints)) {
    const values = taints[taint.key] ?? [];
    values.push(`${taint.value ?? ""}:${taint.effect}`);
    taints[taint.key] = values;
  }
  return taints;
}

/** Keys sorted, so the same claim always gives the same bytes (go-toml sorts Karpenter's maps too). */
function sortedTable(map: Readonly<Record<string, TomlValue>>): TomlTable {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The table at `key`, created when absent (bottlerocketUserToml has checked it is one when present). */
function table(parent: TomlTable, key: string): TomlTable {
  const existing = parent[key];
  if (isTomlTable(existing)) return existing;
  const created: TomlTable = {};
  parent[key] = created;
  return created;
}

/** A deep copy of tables and arrays, so rendering never changes the parsed user document. */
function structuredCloneToml<T extends TomlValue>(value: T): T {
  if (Array.isArray(value)) return value.map(structuredCloneToml) as T;
  if (isTomlTable(value))
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, structuredCloneToml(v)]),
    ) as T;
  return value;
}
