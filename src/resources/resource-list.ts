import { formatQuantity, type Quantity, quantityValue, tryParseQuantity } from "./quantity.ts";

/**
 * Resources in the scheduler's units, as kube-scheduler's framework.Resource keeps them: cpu in
 * milli-units, every other resource in whole units rounded up (Quantity.Value()). Exact integers
 * held in JS numbers — far below 2^53 for any real machine — so the hot loops add integers.
 */
export type Resources = Readonly<Record<string, number>>;

export type ResourcesResult =
  | { readonly ok: true; readonly resources: Resources }
  | {
      readonly ok: false;
      readonly errors: readonly { readonly resource: string; readonly message: string }[];
    };

export function toSchedulerUnits(resource: string, quantity: Quantity): number {
  const amount = resource === "cpu" ? quantity.milli : quantityValue(quantity);
  if (amount > BigInt(Number.MAX_SAFE_INTEGER) || amount < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(
      `${resource} quantity ${formatQuantity(quantity)} is beyond exact integer range`,
    );
  }
  return Number(amount);
}

/** Parses a manifest's resource list; every invalid quantity is reported. */
export function parseResources(
  list: Readonly<Record<string, string | number>> | undefined,
): ResourcesResult {
  const resources: Record<string, number> = {};
  const errors: { resource: string; message: string }[] = [];
  for (const [resource, text] of Object.entries(list ?? {})) {
    const parsed = tryParseQuantity(text);
    if (!parsed.ok) {
      errors.push({ resource, message: parsed.message });
      continue;
    }
    try {
      resources[resource] = toSchedulerUnits(resource, parsed.quantity);
    } catch (error) {
      errors.push({ resource, message: (error as Error).message });
    }
  }
  return errors.length === 0 ? { ok: true, resources } : { ok: false, errors };
}

export function addResources(a: Resources, b: Resources): Resources {
  const sum: Record<string, number> = { ...a };
  for (const resource in b) sum[resource] = (sum[resource] ?? 0) + (b[resource] ?? 0);
  return sum;
}

export function subtractResources(a: Resources, b: Resources): Resources {
  const difference: Record<string, number> = { ...a };
  for (const resource in b) difference[resource] = (difference[resource] ?? 0) - (b[resource] ?? 0);
  return difference;
}

export function maxResources(a: Resources, b: Resources): Resources {
  const max: Record<string, number> = { ...a };
  for (const resource in b) max[resource] = Math.max(max[resource] ?? 0, b[resource] ?? 0);
  return max;
}

/** Does `requested` fit in `available`? Resources requested at zero are ignored. */
export function fitsIn(requested: Resources, available: Resources): boolean {
  for (const resource in requested) {
    const amount = requested[resource] ?? 0;
    if (amount > 0 && amount > (available[resource] ?? 0)) return false;
  }
  return true;
}

/** The resources where `requested` exceeds `available`, in name order. */
export function shortfalls(
  requested: Resources,
  available: Resources,
): { resource: string; requested: number; available: number }[] {
  return Object.keys(requested)
    .sort()
    .filter(
      (resource) =>
        (requested[resource] ?? 0) > 0 && (requested[resource] ?? 0) > (available[resource] ?? 0),
    )
    .map((resource) => ({
      resource,
      requested: requested[resource] ?? 0,
      available: available[resource] ?? 0,
    }));
}

const binaryResources = new Set(["memory", "ephemeral-storage", "storage"]);
/** A scheduler-unit amount as Kubernetes would write it: "1500m", "3Gi", "29". */
export function formatResourceAmount(resource: string, amount: number): string {
  if (resource === "cpu") {
    return formatQuantity({
      nano: BigInt(amount) * 1_000_000n,
      milli: BigInt(amount),
      format: "DecimalSI",
    });
  }
  if (binaryResources.has(resource)) {
    const nano = BigInt(amount) * 1_000_000_000n;
    return formatQuantity({ nano, milli: BigInt(amount) * 1000n, format: "BinarySI" });
  }
  return String(amount);
}

/** A resource list in canonical text, keys sorted. */
export function formatResources(resources: Resources): Record<string, string> {
  const text: Record<string, string> = {};
  for (const resource of Object.keys(resources).sort()) {
    text[resource] = formatResourceAmount(resource, resources[resource] ?? 0);
  }
  return text;
}
