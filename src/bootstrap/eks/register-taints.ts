import type { Taint } from "../../api/pod.ts";
import { Taints } from "../../api/wellknown.ts";

/**
 * The taints a node registers with: the pool's and startup taints, then
 * karpenter.sh/unregistered:NoExecute, which Karpenter's AWS resolver adds for every AMI family
 * (amifamily/resolver.go) and the lifecycle controller removes once the Node is registered.
 */
export function registerTaints(taints: readonly Taint[]): Taint[] {
  const unregistered = Taints.unregistered;
  const has = taints.some((t) => t.key === unregistered.key && t.effect === unregistered.effect);
  const own = taints.map((t) => ({
    key: t.key,
    ...(t.value ? { value: t.value } : {}),
    effect: t.effect,
  }));
  return has ? own : [...own, { key: unregistered.key, effect: unregistered.effect }];
}
