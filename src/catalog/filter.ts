import type { NodeSelectorRequirement } from "../api/pod.ts";
import { labelsSatisfy } from "../scheduling/node-affinity.ts";
import type { Catalog } from "./instance-type.ts";

/**
 * A kubectl-style label selector: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`,
 * comma-separated and ANDed.
 */
export function parseSelector(
  text: string,
): { ok: true; requirements: NodeSelectorRequirement[] } | { ok: false; message: string } {
  const requirements: NodeSelectorRequirement[] = [];
  for (const part of text.match(/[^,(]+(\([^)]*\))?/g) ?? []) {
    const term = part.trim();
    if (term === "") continue;
    const requirement = parseTerm(term);
    if (requirement === undefined) {
      return { ok: false, message: `cannot parse "${term}" as a label selector requirement` };
    }
    requirements.push(requirement);
  }
  return { ok: true, requirements };
}

function parseTerm(term: string): NodeSelectorRequirement | undefined {
  const set = term.match(/^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/);
  if (set) {
    const values = (set[3] ?? "")
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean);
    return { key: set[1] as string, operator: set[2] === "in" ? "In" : "NotIn", values };
  }
  const equality = term.match(/^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/);
  if (equality) {
    return {
      key: equality[1] as string,
      operator: equality[2] === "!=" ? "NotIn" : "In",
      values: [equality[3] ?? ""],
    };
  }
  const absent = term.match(/^!(\S+)$/);
  if (absent) return { key: absent[1] as string, operator: "DoesNotExist" };
  const present = term.match(/^(\S+)$/);
  if (present) return { key: present[1] as string, operator: "Exists" };
  return undefined;
}

/** The instance types whose labels satisfy every requirement. */
export function filterCatalog(
  catalog: Catalog,
  requirements: readonly NodeSelectorRequirement[],
): Catalog {
  return {
    ...catalog,
    instanceTypes: catalog.instanceTypes.filter((type) => labelsSatisfy(type.labels, requirements)),
  };
}
