import type {
  NodeSelectorTerm,
  Pod,
  PreferredSchedulingTerm,
  TopologySpreadConstraint,
  WeightedPodAffinityTerm,
} from "../api/pod.ts";

/**
 * Karpenter's scheduling preferences (pkg/controllers/provisioning/scheduling/preferences.go):
 * preferred terms are treated as required until a pod fits nowhere, then relaxed one step at a
 * time. Only the first required node-selector term is used at a time; relaxing drops it so the
 * next is tried. The state below is what remains; `effectivePod` turns it into the pod every
 * predicate sees, so relaxation needs no special case anywhere else.
 */
export interface Preferences {
  readonly requiredNodeTerms: readonly NodeSelectorTerm[];
  /** Heaviest first; the first is added to the required term. */
  readonly preferredNodeTerms: readonly PreferredSchedulingTerm[];
  readonly preferredAffinity: readonly WeightedPodAffinityTerm[];
  readonly preferredAntiAffinity: readonly WeightedPodAffinityTerm[];
  readonly scheduleAnyway: readonly TopologySpreadConstraint[];
  readonly toleratePreferNoSchedule: boolean;
}

export function initialPreferences(pod: Pod): Preferences {
  const affinity = pod.spec.affinity;
  return {
    requiredNodeTerms:
      affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ??
      [],
    preferredNodeTerms: heaviestFirst(
      affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
    ),
    preferredAffinity: heaviestFirst(
      affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
    ),
    preferredAntiAffinity: heaviestFirst(
      affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [],
    ),
    scheduleAnyway: (pod.spec.topologySpreadConstraints ?? []).filter(
      (constraint) => constraint.whenUnsatisfiable === "ScheduleAnyway",
    ),
    toleratePreferNoSchedule: false,
  };
}

/** The next, more relaxed state, in Karpenter's order; undefined when nothing is left to relax. */
export function relax(preferences: Preferences): Preferences | undefined {
  if (preferences.requiredNodeTerms.length > 1) {
    return { ...preferences, requiredNodeTerms: preferences.requiredNodeTerms.slice(1) };
  }
  if (preferences.preferredAffinity.length > 0) {
    return { ...preferences, preferredAffinity: preferences.preferredAffinity.slice(1) };
  }
  if (preferences.preferredAntiAffinity.length > 0) {
    return { ...preferences, preferredAntiAffinity: preferences.preferredAntiAffinity.slice(1) };
  }
  if (preferences.preferredNodeTerms.length > 0) {
    return { ...preferences, preferredNodeTerms: preferences.preferredNodeTerms.slice(1) };
  }
  if (preferences.scheduleAnyway.length > 0) {
    return { ...preferences, scheduleAnyway: preferences.scheduleAnyway.slice(1) };
  }
  if (!preferences.toleratePreferNoSchedule) {
    return { ...preferences, toleratePreferNoSchedule: true };
  }
  return undefined;
}

/** The pod with the remaining preferences written as requirements. */
export function effectivePod(pod: Pod, preferences: Preferences): Pod {
  const affinity = pod.spec.affinity ?? {};
  const nodeTerm = effectiveNodeTerm(preferences);
  const podAffinityRequired = [
    ...(affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...preferences.preferredAffinity.map((term) => term.podAffinityTerm),
  ];
  const podAntiAffinityRequired = [
    ...(affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...preferences.preferredAntiAffinity.map((term) => term.podAffinityTerm),
  ];
  const spread = [
    ...(pod.spec.topologySpreadConstraints ?? []).filter(
      (constraint) => constraint.whenUnsatisfiable === "DoNotSchedule",
    ),
    ...preferences.scheduleAnyway.map(
      (constraint): TopologySpreadConstraint => ({
        ...constraint,
        whenUnsatisfiable: "DoNotSchedule",
      }),
    ),
  ];
  return {
    ...pod,
    spec: {
      ...pod.spec,
      affinity: {
        ...(nodeTerm && {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [nodeTerm] },
          },
        }),
        ...(podAffinityRequired.length > 0 && {
          podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: podAffinityRequired },
        }),
        ...(podAntiAffinityRequired.length > 0 && {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: podAntiAffinityRequired,
          },
        }),
      },
      topologySpreadConstraints: spread,
      tolerations: preferences.toleratePreferNoSchedule
        ? [...(pod.spec.tolerations ?? []), { operator: "Exists", effect: "PreferNoSchedule" }]
        : pod.spec.tolerations,
    },
  };
}

/** The first required term ANDed with the heaviest remaining preferred term. */
function effectiveNodeTerm(preferences: Preferences): NodeSelectorTerm | undefined {
  const required = preferences.requiredNodeTerms[0];
  const preferred = preferences.preferredNodeTerms[0]?.preference;
  if (required === undefined) return preferred;
  if (preferred === undefined) return required;
  return {
    matchExpressions: [...(required.matchExpressions ?? []), ...(preferred.matchExpressions ?? [])],
    matchFields: [...(required.matchFields ?? []), ...(preferred.matchFields ?? [])],
  };
}

function heaviestFirst<T extends { readonly weight: number }>(terms: readonly T[]): T[] {
  // Array.prototype.sort is stable, so equal weights keep their order in the manifest.
  return [...terms].sort((a, b) => b.weight - a.weight);
}
