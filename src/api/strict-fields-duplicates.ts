import { isMap, isScalar, isSeq } from "yaml";

/**
 * Fields given twice in one YAML mapping (`replicas: 1` … `replicas: 3`), by path, as strict
 * field validation reports them (`duplicate field "spec.replicas"`, KEP-2885). The decoder keeps
 * the last value, as Kubernetes' JSON decoder does; the path says which field lost one.
 */
export function duplicateFieldPaths(node: unknown, path = ""): string[] {
  const found: string[] = [];
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const at = path ? `${path}.${key}` : key;
      if (seen.has(key)) found.push(at);
      seen.add(key);
      found.push(...duplicateFieldPaths(pair.value, at));
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      found.push(...duplicateFieldPaths(item, `${path}[${i}]`));
    });
  }
  return found;
}
