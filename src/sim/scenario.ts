import { readFileSync } from "node:fs";
import { type Static, Type } from "@sinclair/typebox";
import { parseAllDocuments } from "yaml";
import { structuralErrors } from "../api/field-errors.ts";
import type { LoadError } from "../api/load.ts";
import { ObjectMetaSchema } from "../api/meta.ts";
import { DurationPattern } from "../api/nodepool.ts";
import { unknownFieldPaths } from "../api/strict-fields.ts";
import { type KnownObject, validateObject } from "../api/validate.ts";

const Duration = Type.String({ pattern: DurationPattern });
const ObjectRef = Type.Object({
  kind: Type.String(),
  namespace: Type.Optional(Type.String()),
  name: Type.String(),
});

/** One thing that happens at a time in a scenario. Exactly one action per event. */
export const ScenarioEventSchema = Type.Object({
  at: Duration,
  apply: Type.Optional(Type.Object({}, { additionalProperties: true })),
  scale: Type.Optional(
    Type.Intersect([ObjectRef, Type.Object({ replicas: Type.Integer({ minimum: 0 }) })]),
  ),
  delete: Type.Optional(ObjectRef),
  interrupt: Type.Optional(
    Type.Object({
      capacityType: Type.Optional(Type.String()),
      nodePool: Type.Optional(Type.String()),
      count: Type.Integer({ minimum: 1 }),
    }),
  ),
  unavailable: Type.Optional(
    Type.Object({
      instanceType: Type.Optional(Type.String()),
      zone: Type.Optional(Type.String()),
      capacityType: Type.Optional(Type.String()),
      for: Duration,
    }),
  ),
});
export type ScenarioEvent = Static<typeof ScenarioEventSchema>;

/** `carpool.dev/v1alpha1` Scenario (../shared/contracts/simulate.md). */
export const ScenarioSchema = Type.Object({
  apiVersion: Type.Literal("carpool.dev/v1alpha1"),
  kind: Type.Literal("Scenario"),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    duration: Duration,
    seed: Type.Optional(Type.Integer()),
    region: Type.Optional(Type.String()),
    provider: Type.Optional(
      Type.Object({
        launchLatency: Type.Optional(Duration),
        registrationLatency: Type.Optional(Duration),
        /** How long the owners of startup taints take to remove them. */
        startupTaintLatency: Type.Optional(Duration),
      }),
    ),
    objects: Type.Optional(Type.Array(Type.Unknown())),
    events: Type.Optional(Type.Array(ScenarioEventSchema)),
  }),
});
export type ScenarioObject = Static<typeof ScenarioSchema>;

/** A scenario whose objects and applied manifests have been validated. */
export interface Scenario {
  readonly definition: ScenarioObject;
  readonly objects: readonly KnownObject[];
  /** `apply` payloads, validated, by event index. */
  readonly applies: ReadonlyMap<number, KnownObject>;
}

export type ScenarioResult =
  | {
      readonly ok: true;
      readonly scenario: Scenario;
      /** Unknown fields, as kubectl's strict field validation names them (warnings unless strict). */
      readonly unknownFields: readonly LoadError[];
    }
  | { readonly ok: false; readonly errors: readonly LoadError[] };

/** Reads a scenario file (YAML or JSON, one document). Every error names file, object and field. */
export function loadScenario(file: string): ScenarioResult {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const missing = (error as { code?: string }).code === "ENOENT";
    const message = missing ? "no such file or directory" : (error as Error).message;
    return { ok: false, errors: [{ file, message }] };
  }
  const documents = parseAllDocuments(text);
  const first = documents[0];
  if (first === undefined || first.errors.length > 0)
    return { ok: false, errors: [{ file, message: first?.errors[0]?.message ?? "empty file" }] };
  return decodeScenario(first.toJS(), file);
}

export function decodeScenario(value: unknown, file: string): ScenarioResult {
  const name = (value as { metadata?: { name?: string } })?.metadata?.name;
  const at = (path: string, message: string): LoadError => ({
    file,
    kind: "Scenario",
    name,
    path,
    message,
  });
  const structural = structuralErrors(ScenarioSchema, value);
  if (structural.length > 0)
    return { ok: false, errors: structural.map((e) => at(e.path, e.message)) };
  const definition = value as ScenarioObject;
  const errors: LoadError[] = [];
  const unknown = (path: string): LoadError => ({
    file,
    kind: "Scenario",
    name,
    message: `unknown field "${path}"`,
  });
  const unknownFields: LoadError[] = unknownFieldPaths(ScenarioSchema, value).map(unknown);
  const objects: KnownObject[] = [];
  (definition.spec.objects ?? []).forEach((object, i) => {
    const result = validateObject(object);
    for (const path of result.unknownFields)
      unknownFields.push(unknown(`spec.objects[${i}].${path}`));
    if (result.ok) objects.push(result.object);
    else
      for (const e of result.errors)
        errors.push(at(`spec.objects[${i}]${e.path ? `.${e.path}` : ""}`, e.message));
  });
  const applies = new Map<number, KnownObject>();
  (definition.spec.events ?? []).forEach((event, i) => {
    const actions = ["apply", "scale", "delete", "interrupt", "unavailable"].filter(
      (k) => k in event,
    );
    if (actions.length !== 1)
      errors.push(
        at(
          `spec.events[${i}]`,
          "must have exactly one of apply, scale, delete, interrupt, unavailable",
        ),
      );
    if (event.apply === undefined) return;
    const result = validateObject(event.apply);
    for (const path of result.unknownFields)
      unknownFields.push(unknown(`spec.events[${i}].apply.${path}`));
    if (result.ok) applies.set(i, result.object);
    else
      for (const e of result.errors)
        errors.push(at(`spec.events[${i}].apply${e.path ? `.${e.path}` : ""}`, e.message));
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, scenario: { definition, objects, applies }, unknownFields };
}
