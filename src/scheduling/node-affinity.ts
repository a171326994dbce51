import type { NodeSelectorRequirement, NodeSelectorTerm, Pod } from "../api/pod.ts";
import { NormalizedLabels } from "../api/wellknown.ts";
import type { Reason } from "./reasons.ts";
import { Requirements } from "./requirements.ts";

type Labels = Readonly<Record<string, string>>;

/**
 * kube-scheduler's NodeAffinity filter against a concrete node: every nodeSelector entry must
 * equal the node's label, and some required nodeSelectorTerm must match (terms are ORed; within
 * a term, expressions and fields are ANDed; a term with neither matches nothing). Reports every
 * failure.
 */
export function nodeAffinityReasons(
  pod: Pod,
  node: { readonly name: string; readonly labels: Labels },
): Reason[] {
  const reasons: Reason[] = [];
  for (const [key, value] of Object.entries(pod.spec.nodeSelector ?? {})) {
    if (node.labels[key] === value) continue;
    reasons.push({
      code: "requirement_conflict",
      source: "nodeSelector",
      key,
      wanted: { key, operator: "In", values: [value] },
      offered: labelAsRequirement(key, node.labels[key]),
    });
  }
  const terms =
    pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms;
  if (terms === undefined) return reasons;
  const perTerm = terms.map((term) => termReasons(term, node));
  if (!perTerm.some((termFailures) => termFailures.length === 0)) {
    reasons.push({ code: "node_affinity_mismatch", terms: perTerm });
  }
  return reasons;
}

/** Why a node does not match one term; an empty term never matches (component-helpers nodeaffinity). */
export function termReasons(
  term: NodeSelectorTerm,
  node: { readonly name: string; readonly labels: Labels },
): Reason[] {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) {
    return [{ code: "node_affinity_mismatch", terms: [] }];
  }
  const reasons: Reason[] = [];
  for (const expression of expressions) {
    if (!labelMatches(expression, node.labels[expression.key])) {
      reasons.push({
        code: "requirement_conflict",
        source: "nodeAffinity",
        key: expression.key,
        wanted: expression,
        offered: labelAsRequirement(expression.key, node.labels[expression.key]),
      });
    }
  }
  for (const field of fields) {
    // Only metadata.name is a supported field selector for nodes.
    const value = field.key === "metadata.name" ? node.name : undefined;
    if (value === undefined || !labelMatches(field, value)) {
      reasons.push({ code: "field_mismatch", field: field.key, wanted: field, value: value ?? "" });
    }
  }
  return reasons;
}

/**
 * One node-selector requirement against a label value (undefined: the node has no such label),
 * with apimachinery's selector semantics: NotIn and DoesNotExist hold without the label; Gt and
 * Lt need both sides to be integers.
 */
export function labelMatches(
  requirement: NodeSelectorRequirement,
  value: string | undefined,
): boolean {
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
    case "Lt": {
      const bound = values[0];
      if (value === undefined || bound === undefined || !isInteger(value) || !isInteger(bound))
        return false;
      return requirement.operator === "Gt"
        ? BigInt(value) > BigInt(bound)
        : BigInt(value) < BigInt(bound);
    }
  }
}

/** Does the node's label set satisfy every requirement? (fast form for hot loops) */
export function labelsSatisfy(
  labels: Labels,
  requirements: readonly NodeSelectorRequirement[],
): boolean {
  return requirements.every((requirement) => labelMatches(requirement, labels[requirement.key]));
}

/**
 * The pod's node requirements for the solver, as Karpenter reads them (scheduling.NewPodRequirements):
 * the nodeSelector ANDed with the first required node-selector term (relaxation drops terms, see
 * src/solver/relaxation.ts), deprecated beta label keys normalised to their GA names.
 */
export function podRequirements(pod: Pod): Requirements {
  const selector = Object.entries(pod.spec.nodeSelector ?? {}).map(
    ([key, value]): NodeSelectorRequirement => ({
      key: normalizeKey(key),
      operator: "In",
      values: [value],
    }),
  );
  const term =
    pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms[0];
  const expressions = (term?.matchExpressions ?? []).map((expression) => ({
    ...expression,
    key: normalizeKey(expression.key),
  }));
  return Requirements.from([...selector, ...expressions]);
}

/** Sum of the weights of the preferred terms a node matches (kube-scheduler NodeAffinity score). */
export function preferredScore(
  pod: Pod,
  node: { readonly name: string; readonly labels: Labels },
): number {
  let score = 0;
  for (const preferred of pod.spec.affinity?.nodeAffinity
    ?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (termReasons(preferred.preference, node).length === 0) score += preferred.weight;
  }
  return score;
}

export function normalizeKey(key: string): string {
  return NormalizedLabels[key] ?? key;
}

function labelAsRequirement(key: string, value: string | undefined): NodeSelectorRequirement {
  return value === undefined
    ? { key, operator: "DoesNotExist" }
    : { key, operator: "In", values: [value] };
}

function isInteger(text: string): boolean {
  return /^[+-]?\d+$/.test(text);
}
