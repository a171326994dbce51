import { Kind, type TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

/**
 * Fields of a Kubernetes type that carpool's schema leaves out because it does not read them
 * (a container's `command`, a Deployment's `strategy`): known to the API server, so not unknown.
 * Keyed by the schema's `properties` record, which `Type.Optional`'s shallow copies share; the
 * contents of such fields are not checked.
 */
export type UnreadFields = ReadonlyMap<object, ReadonlySet<string>>;

/**
 * The paths of fields in `value` that `schema` does not define, as the API server's strict field
 * validation reports them (`spec.template.spec.taint`; KEP-2885). A map (a TypeBox Record) takes
 * any key; a value that does not fit the schema at all is a structural error, reported elsewhere.
 */
export function unknownFieldPaths(
  schema: TSchema,
  value: unknown,
  unread: UnreadFields = new Map(),
  path = "",
): string[] {
  const found: string[] = [];
  walk(schema, value, path, unread, found);
  return found;
}

function walk(
  schema: TSchema,
  value: unknown,
  path: string,
  unread: UnreadFields,
  found: string[],
): void {
  switch (schema[Kind]) {
    case "Object":
      if (isRecord(value)) walkObject(schema, value, path, unread, found);
      return;
    case "Record":
      if (isRecord(value)) {
        const [valueSchema] = Object.values(schema.patternProperties ?? {}) as TSchema[];
        if (valueSchema === undefined) return;
        for (const [key, item] of Object.entries(value))
          if (hasFields(item)) walk(valueSchema, item, `${path}[${key}]`, unread, found);
      }
      return;
    case "Array":
      if (Array.isArray(value))
        for (const [i, item] of value.entries())
          if (hasFields(item)) walk(schema.items as TSchema, item, `${path}[${i}]`, unread, found);
      return;
    case "Union": {
      // A scalar has no fields; most unions are of literals (an operator, an effect).
      if (typeof value !== "object" || value === null) return;
      const members = schema.anyOf as TSchema[];
      const objects = members.filter((member) => member[Kind] === "Object");
      // Alternative object shapes (one selector term or another): a field of any of them is known.
      if (isRecord(value) && objects.length > 1) {
        walkObject(mergedObject(objects), value, path, unread, found);
        return;
      }
      // The member the value is: the first that accepts it, else (a broken value) the object one.
      const member =
        members.find((candidate) => Value.Check(candidate, value)) ??
        members.find((candidate) => candidate[Kind] === "Object");
      if (member !== undefined) walk(member, value, path, unread, found);
      return;
    }
    case "Intersect":
      if (isRecord(value))
        walkObject(mergedObject(schema.allOf as TSchema[]), value, path, unread, found);
      return;
    default:
      return;
  }
}

function walkObject(
  schema: TSchema,
  value: Record<string, unknown>,
  path: string,
  unread: UnreadFields,
  found: string[],
): void {
  const properties = (schema.properties ?? {}) as Record<string, TSchema>;
  const unreadHere = unread.get(properties);
  // An object with its own additionalProperties schema is a map with fixed keys besides.
  const rest =
    typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  for (const key in value) {
    const item = value[key];
    const property = properties[key];
    // Scalars hold no fields: only known fields with objects or lists below are walked into.
    if (property !== undefined) {
      if (hasFields(item)) walk(property, item, join(path, key), unread, found);
      continue;
    }
    const at = join(path, key);
    if (rest !== undefined) walk(rest as TSchema, item, at, unread, found);
    else if (schema.additionalProperties === true || schema["x-kubernetes-preserve-unknown-fields"])
      continue;
    else if (!unreadHere?.has(key)) found.push(at);
  }
}

function mergedObject(members: readonly TSchema[]): TSchema {
  const properties: Record<string, TSchema> = {};
  for (const member of members) Object.assign(properties, member.properties ?? {});
  return { [Kind]: "Object", type: "object", properties } as unknown as TSchema;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function hasFields(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
