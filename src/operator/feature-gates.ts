/** The feature gates carpool has, with their defaults. */
export interface FeatureGates {
  /** Replace spot nodes with cheaper spot nodes (Karpenter's gate of the same name). */
  readonly SpotToSpotConsolidation: boolean;
}

export const DefaultFeatureGates: FeatureGates = { SpotToSpotConsolidation: true };

/**
 * Parses `--feature-gates` / `FEATURE_GATES` as Kubernetes components and Karpenter do:
 * `Name=true,Other=false`. An unknown gate or a value other than true/false is an error that
 * names it, so a typo is not silently ignored.
 */
export function parseFeatureGates(
  text: string | undefined,
): { ok: true; gates: FeatureGates } | { ok: false; error: string } {
  const gates: Record<string, boolean> = { ...DefaultFeatureGates };
  for (const entry of (text ?? "").split(",").map((e) => e.trim())) {
    if (entry === "") continue;
    const [name = "", value, ...rest] = entry.split("=");
    if (!(name in DefaultFeatureGates))
      return {
        ok: false,
        error: `--feature-gates: unknown gate ${JSON.stringify(name)} (known: ${Object.keys(DefaultFeatureGates).join(", ")})`,
      };
    if (rest.length > 0 || (value !== "true" && value !== "false"))
      return {
        ok: false,
        error: `--feature-gates: ${name} must be =true or =false, not ${JSON.stringify(entry)}`,
      };
    gates[name] = value === "true";
  }
  return { ok: true, gates: gates as unknown as FeatureGates };
}
