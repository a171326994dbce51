import type { FieldError } from "../api/field-errors.ts";
import { labelValueErrors, qualifiedNameErrors } from "../api/validate-labels.ts";
import type { BootstrapInput, KubeletSettings } from "../ports/bootstrap.ts";
import { tryParseQuantity } from "../resources/quantity.ts";

/**
 * Every reason `input` cannot be rendered, with field paths (`labels["a b"]`, `taints[1].effect`,
 * `kubelet.systemReserved["cpu"]`). Values come from manifests, so types are checked too. A value
 * that passes is one Kubernetes itself would accept, which also makes it safe in every format
 * (no whitespace, quotes or shell metacharacters survive these rules).
 */
export function bootstrapInputErrors(input: BootstrapInput): FieldError[] {
  return [
    ...nodeNameErrors(input.nodeName),
    ...labelErrors(input.labels),
    ...taintErrors(input.taints),
    ...kubeletErrors(input.kubelet),
    ...providerIDErrors(input.providerID),
  ];
}

const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Node's name is a DNS-1123 subdomain (apimachinery validation.IsDNS1123Subdomain, ≤253). */
function nodeNameErrors(name: unknown): FieldError[] {
  const path = "nodeName";
  if (typeof name !== "string") return [{ path, message: "must be a string" }];
  if (name.length > 253) return [{ path, message: "must be no more than 253 characters" }];
  if (!dns1123Subdomain.test(name)) {
    return [
      {
        path,
        message: `${JSON.stringify(name)}: must be a lowercase DNS-1123 subdomain (lowercase alphanumerics, '-' and '.', starting and ending with an alphanumeric)`,
      },
    ];
  }
  return [];
}

function labelErrors(labels: unknown): FieldError[] {
  if (!isRecord(labels)) return [{ path: "labels", message: "must be a map of strings" }];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const path = `labels[${JSON.stringify(key)}]`;
    for (const message of qualifiedNameErrors(key))
      errors.push({ path, message: `key: ${message}` });
    if (typeof value !== "string") errors.push({ path, message: "value must be a string" });
    else
      for (const message of labelValueErrors(value))
        errors.push({ path, message: `value ${JSON.stringify(value)}: ${message}` });
  }
  return errors;
}

const taintEffects: readonly string[] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** core/v1 validation validateNodeTaints: key, value and effect, unique by key and effect. */
function taintErrors(taints: unknown): FieldError[] {
  if (!Array.isArray(taints)) return [{ path: "taints", message: "must be a list" }];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((taint: unknown, index) => {
    const path = `taints[${index}]`;
    if (!isRecord(taint)) {
      errors.push({ path, message: "must be an object" });
      return;
    }
    const { key, value, effect } = taint;
    if (typeof key !== "string") errors.push({ path: `${path}.key`, message: "must be a string" });
    else
      for (const message of qualifiedNameErrors(key))
        errors.push({ path: `${path}.key`, message: `${JSON.stringify(key)}: ${message}` });
    if (value !== undefined) {
      if (typeof value !== "string")
        errors.push({ path: `${path}.value`, message: "must be a string" });
      else
        for (const message of labelValueErrors(value))
          errors.push({ path: `${path}.value`, message: `${JSON.stringify(value)}: ${message}` });
    }
    if (typeof effect !== "string" || !taintEffects.includes(effect)) {
      errors.push({
        path: `${path}.effect`,
        message: `${JSON.stringify(effect)}: must be NoSchedule, PreferNoSchedule or NoExecute`,
      });
    }
    const identity = `${String(key)}:${String(effect)}`;
    if (seen.has(identity))
      errors.push({ path, message: "taints must be unique by key and effect pair" });
    seen.add(identity);
  });
  return errors;
}

/** Karpenter v1 EC2NodeClass spec.kubelet: the resources systemReserved/kubeReserved may name. */
const reservedResources: readonly string[] = ["cpu", "memory", "ephemeral-storage", "pid"];
/** …and the signals evictionHard may name. */
const evictionSignals: readonly string[] = [
  "memory.available",
  "nodefs.available",
  "nodefs.inodesFree",
  "imagefs.available",
  "imagefs.inodesFree",
  "pid.available",
];
const percentage = /^(\d{1,2}(\.\d{1,2})?|100(\.0{1,2})?)%$/;

function kubeletErrors(kubelet: KubeletSettings | undefined): FieldError[] {
  if (kubelet === undefined) return [];
  if (!isRecord(kubelet)) return [{ path: "kubelet", message: "must be an object" }];
  const errors: FieldError[] = [];
  const { maxPods } = kubelet;
  if (
    maxPods !== undefined &&
    (typeof maxPods !== "number" ||
      !Number.isInteger(maxPods) ||
      maxPods < 0 ||
      maxPods > 2 ** 31 - 1)
  ) {
    errors.push({ path: "kubelet.maxPods", message: "must be an integer from 0 to 2147483647" });
  }
  errors.push(
    ...quantityMapErrors(
      kubelet.systemReserved,
      "kubelet.systemReserved",
      reservedResources,
      false,
    ),
  );
  errors.push(
    ...quantityMapErrors(kubelet.kubeReserved, "kubelet.kubeReserved", reservedResources, false),
  );
  errors.push(
    ...quantityMapErrors(kubelet.evictionHard, "kubelet.evictionHard", evictionSignals, true),
  );
  return errors;
}

function quantityMapErrors(
  map: unknown,
  path: string,
  keys: readonly string[],
  percentages: boolean,
): FieldError[] {
  if (map === undefined) return [];
  if (!isRecord(map)) return [{ path, message: "must be a map of strings" }];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(map)) {
    const at = `${path}[${JSON.stringify(key)}]`;
    if (!keys.includes(key))
      errors.push({ path: at, message: `key must be one of ${keys.join(", ")}` });
    if (typeof value !== "string") {
      errors.push({ path: at, message: "value must be a string" });
      continue;
    }
    if (percentages && percentage.test(value)) continue;
    const parsed = tryParseQuantity(value);
    if (!parsed.ok)
      errors.push({
        path: at,
        message: percentages
          ? `must be a percentage or a quantity: ${parsed.message}`
          : parsed.message,
      });
    else if (parsed.quantity.nano < 0n)
      errors.push({ path: at, message: `${JSON.stringify(value)}: must not be negative` });
  }
  return errors;
}

/** `<scheme>://<rest>` in visible ASCII: `aws:///us-east-1a/i-0abc`, `k3s://node-1`. */
const providerIDPattern = /^[a-z][a-z0-9+.-]*:\/\/[\x21-\x7e]*$/;

function providerIDErrors(providerID: unknown): FieldError[] {
  if (providerID === undefined) return [];
  const path = "providerID";
  if (typeof providerID !== "string") return [{ path, message: "must be a string" }];
  if (providerID.length > 1024) return [{ path, message: "must be no more than 1024 characters" }];
  if (!providerIDPattern.test(providerID))
    return [
      {
        path,
        message: `${JSON.stringify(providerID)}: must be <scheme>://<id> in visible ASCII characters, without whitespace`,
      },
    ];
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
