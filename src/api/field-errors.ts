import type { TSchema } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { Value, type ValueError, ValueErrorType } from "@sinclair/typebox/value";

/** One problem with an object: where (`spec.template.spec.taints[1].effect`) and what. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** `/spec/taints/1/effect` → `spec.taints[1].effect`. */
export function fieldPath(pointer: string): string {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce(
      (path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part),
      "",
    );
}

/** Every structural error of `value` against `schema`, one per field, in plain words. */
export function structuralErrors(schema: TSchema, value: unknown): FieldError[] {
  // Most objects are valid: a compiled check answers that fast; errors are walked only on failure.
  if (compiled(schema).Check(value)) return [];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    const path = fieldPath(error.path);
    // A failed union also fails its members: report the field once.
    if (seen.has(path)) continue;
    seen.add(path);
    errors.push({ path, message: describe(error) });
  }
  return errors;
}

const checks = new WeakMap<TSchema, TypeCheck<TSchema>>();

function compiled(schema: TSchema): TypeCheck<TSchema> {
  let check = checks.get(schema);
  if (check === undefined) {
    check = TypeCompiler.Compile(schema);
    checks.set(schema, check);
  }
  return check;
}

function describe(error: ValueError): string {
  const schema = error.schema as TSchema & { anyOf?: TSchema[]; const?: unknown; pattern?: string };
  switch (error.type) {
    case ValueErrorType.Union: {
      const literals = (schema.anyOf ?? []).map((member) => (member as { const?: unknown }).const);
      if (literals.length > 0 && literals.every((literal) => literal !== undefined)) {
        // An empty literal (a toleration's operator or effect) would vanish from the list unquoted.
        return `must be ${oneOf(literals.map((literal) => (literal === "" ? '""' : String(literal))))}`;
      }
      return "has an unexpected form";
    }
    case ValueErrorType.Literal:
      return `must be ${String(schema.const)}`;
    case ValueErrorType.ObjectRequiredProperty:
      return "is required";
    case ValueErrorType.ObjectAdditionalProperties:
      return "is not a field of this kind";
    case ValueErrorType.String:
      return "must be a string";
    case ValueErrorType.Integer:
      return "must be an integer";
    case ValueErrorType.Number:
      return "must be a number";
    case ValueErrorType.Boolean:
      return "must be true or false";
    case ValueErrorType.Array:
      return "must be a list";
    case ValueErrorType.Object:
      return "must be an object";
    // The API server's words for a number out of range (apimachinery's field.Invalid).
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `Invalid value: ${JSON.stringify(error.value)}: must be greater than or equal to ${(schema as { minimum?: number }).minimum}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `Invalid value: ${JSON.stringify(error.value)}: must be less than or equal to ${(schema as { maximum?: number }).maximum}`;
    case ValueErrorType.ArrayMaxItems:
      return `must have at most ${(schema as { maxItems?: number }).maxItems} items`;
    case ValueErrorType.ArrayMinItems:
      return `must have at least ${(schema as { minItems?: number }).minItems} item(s)`;
    case ValueErrorType.StringMaxLength:
      return `must be no more than ${(schema as { maxLength?: number }).maxLength} characters`;
    case ValueErrorType.StringMinLength:
      return "must not be empty";
    case ValueErrorType.StringPattern:
      return `${JSON.stringify(error.value)} must match ${schema.pattern}`;
    default:
      return error.message.replace(/^Expected /, "must be ");
  }
}

/** "A, B or C" */
export function oneOf(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}
