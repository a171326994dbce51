import type { FieldError } from "./field-errors.ts";
import type { NodeClaim } from "./nodeclaim.ts";
import type { NodePool } from "./nodepool.ts";
import {
  BoundOperators,
  budgetsRule,
  type CelRule,
  consolidationThresholdRule,
  nodeClaimSpecImmutable,
  nodeClassRefFieldRules,
  nodeClassRefTransitionRules,
  requirementsRules,
  staticNodePoolRules,
  templateLabelRules,
} from "./nodepool-cel.ts";
import { restrictedLabelKeyError } from "./validate-labels.ts";

/**
 * Karpenter's NodePool and NodeClaim CEL rules (nodepool-cel.ts) evaluated by carpool, each
 * reported where the CRD puts it with the CRD's message: what the API server answers, offline.
 * A requirement key's own rules are requirementErrors' (validate-requirements.ts), which reports
 * them at the key with the same words; the structure is checked before, from the same schema.
 */
export function nodePoolCelErrors(nodePool: NodePool): FieldError[] {
  const spec = nodePool.spec;
  const errors: FieldError[] = [];
  const fail = (path: string, rule: CelRule) => errors.push({ path, message: rule.message });

  if (spec.replicas !== undefined) {
    const limits = Object.keys(spec.limits ?? {});
    if (limits.length > 1 || (limits.length === 1 && limits[0] !== "nodes"))
      fail("spec", staticNodePoolRules.limitsNodesOnly);
    if (spec.weight !== undefined) fail("spec", staticNodePoolRules.noWeight);
  }
  const disruption = spec.disruption;
  if (disruption?.consolidationThreshold !== undefined) {
    // The policy's default (WhenEmptyOrUnderutilized) is in place when CEL runs.
    if ((disruption.consolidationPolicy ?? "WhenEmptyOrUnderutilized") !== "Balanced")
      fail("spec.disruption", consolidationThresholdRule);
  }
  const budgets = disruption?.budgets ?? [];
  if (!budgets.every((b) => (b.schedule === undefined) === (b.duration === undefined)))
    fail("spec.disruption.budgets", budgetsRule);

  const labels = Object.keys(spec.template.metadata?.labels ?? {});
  const refused = new Set(labels.map((key) => restrictedLabelKeyError(key, "nodePoolLabel")));
  for (const rule of Object.values(templateLabelRules))
    if (refused.has(rule.message)) fail("spec.template.metadata.labels", rule);

  const template = spec.template.spec;
  errors.push(
    ...requirementsListErrors(template.requirements, "spec.template.spec.requirements"),
    ...nodeClassRefErrors(template.nodeClassRef, "spec.template.spec.nodeClassRef"),
  );
  return errors;
}

/** The rules a NodePool update must also meet (CEL transition rules: `oldSelf` is the stored one). */
export function nodePoolTransitionErrors(next: NodePool, previous: NodePool): FieldError[] {
  const errors: FieldError[] = [];
  if ((next.spec.replicas === undefined) !== (previous.spec.replicas === undefined))
    errors.push({ path: "spec", message: staticNodePoolRules.mode.message });
  const ref = next.spec.template.spec.nodeClassRef;
  const old = previous.spec.template.spec.nodeClassRef;
  for (const field of ["group", "kind"] as const)
    if (ref[field] !== old[field])
      errors.push({
        path: "spec.template.spec.nodeClassRef",
        message: nodeClassRefTransitionRules[field].message,
      });
  return errors;
}

export function nodeClaimCelErrors(nodeClaim: NodeClaim): FieldError[] {
  return [
    ...requirementsListErrors(nodeClaim.spec.requirements, "spec.requirements"),
    ...nodeClassRefErrors(nodeClaim.spec.nodeClassRef, "spec.nodeClassRef"),
  ];
}

/** A NodeClaim's spec never changes once created. */
export function nodeClaimTransitionErrors(next: NodeClaim, previous: NodeClaim): FieldError[] {
  return sameJson(next.spec, previous.spec)
    ? []
    : [{ path: "spec", message: nodeClaimSpecImmutable.message }];
}

interface Requirement {
  readonly operator: string;
  readonly values?: readonly string[];
  readonly minValues?: number;
}

/**
 * The three rules on a requirements list. CEL reads `x.values` of a requirement without values as
 * an error (no such key), which the API server reports as the rule failing: so does carpool.
 */
function requirementsListErrors(requirements: readonly Requirement[], path: string): FieldError[] {
  const bound: ReadonlySet<string> = new Set(BoundOperators);
  const failed = [
    requirements.some((r) => r.operator === "In" && (r.values ?? []).length === 0) &&
      requirementsRules.inHasValues,
    requirements.some(
      (r) => bound.has(r.operator) && !(r.values?.length === 1 && isCelNonNegativeInt(r.values[0])),
    ) && requirementsRules.boundIsOneInteger,
    requirements.some(
      (r) =>
        r.operator === "In" &&
        r.minValues !== undefined &&
        (r.values === undefined || r.values.length < r.minValues),
    ) && requirementsRules.minValues,
  ];
  return failed.filter((rule) => rule !== false).map((rule) => ({ path, message: rule.message }));
}

const maxInt64 = 2n ** 63n - 1n;

/** CEL's `int(s) >= 0`: strconv.ParseInt base 10 (a sign allowed), in int64, not negative. */
function isCelNonNegativeInt(text: string | undefined): boolean {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return false;
  const value = BigInt(text);
  return value >= 0n && value <= maxInt64;
}

function nodeClassRefErrors(
  ref: { readonly group: string; readonly kind: string; readonly name: string },
  path: string,
): FieldError[] {
  return (["group", "kind", "name"] as const)
    .filter((field) => ref[field] === "")
    .map((field) => ({ path: `${path}.${field}`, message: nodeClassRefFieldRules[field].message }));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Key order does not make two objects different (CEL compares values). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value;
}
