import type { LoadError, LoadedObject, ObjectSource } from "./load.ts";

/**
 * The same object — API group, kind, namespace and name, the API server's identity — given twice.
 * Which copy would win depends on the order files are read, so neither is taken: an error on the
 * second names both places (both documents when they share a file).
 */
export function duplicateObjectErrors(objects: readonly LoadedObject[]): LoadError[] {
  const first = new Map<string, LoadedObject>();
  const errors: LoadError[] = [];
  for (const loaded of objects) {
    const { object, source } = loaded;
    const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
    const key = [group, object.kind, object.metadata.namespace ?? "", object.metadata.name].join(
      "\n",
    );
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, loaded);
      continue;
    }
    const here = place(source);
    const there =
      earlier.source.file === source.file
        ? `${place(earlier.source)} of the same file`
        : `${earlier.source.file} (${place(earlier.source)})`;
    const namespace = object.metadata.namespace ? `${object.metadata.namespace}/` : "";
    errors.push({
      file: source.file,
      documentIndex: source.documentIndex,
      kind: object.kind,
      ...(object.metadata.name !== undefined && { name: object.metadata.name }),
      message: `${object.kind} ${namespace}${object.metadata.name} is defined twice: in ${here} here and in ${there}`,
    });
  }
  return errors;
}

/** `document 2`, or `document 1, item 3` inside a `kind: List`. */
function place(source: ObjectSource): string {
  const item = source.listIndex === undefined ? "" : `, item ${source.listIndex + 1}`;
  return `document ${source.documentIndex + 1}${item}`;
}
