import { type FieldError, oneOf, structuralErrors } from "../../api/field-errors.ts";
import {
  type CreateResponse,
  type DeleteResponse,
  type ErrorCode,
  type ErrorResponse,
  ExecMessageSchemas,
  ExecProtocolVersion,
  type GetResponse,
  type ListResponse,
} from "./protocol.ts";

/** The four calls of the protocol, and the response each expects. */
export type Verb = "create" | "delete" | "get" | "list";

/** The answer each call expects when it succeeds. */
export interface Answers {
  readonly create: CreateResponse;
  readonly delete: DeleteResponse;
  readonly get: GetResponse;
  readonly list: ListResponse;
}

const expectedKind = {
  create: "CreateResponse",
  delete: "DeleteResponse",
  get: "GetResponse",
  list: "ListResponse",
} as const satisfies Record<Verb, keyof typeof ExecMessageSchemas>;

/** The error codes each call may answer; another one is a refused response. */
const allowedCodes: Readonly<Record<Verb, readonly ErrorCode[]>> = {
  create: ["InsufficientCapacity", "InvalidRequest", "Internal"],
  delete: ["NotFound", "InvalidRequest", "Internal"],
  get: ["NotFound", "InvalidRequest", "Internal"],
  list: ["InvalidRequest", "Internal"],
};

export type ResponseReading<V extends Verb> =
  | { readonly ok: true; readonly response: Answers[V] | ErrorResponse }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * What a command printed or an endpoint answered, read as the response to a call: one JSON
 * document of this protocol version, of the call's response kind or an ErrorResponse, matching
 * its schema. Every problem is reported with its field path (`""` for the document itself).
 */
export function readResponse<V extends Verb>(verb: V, output: string): ResponseReading<V> {
  if (output.trim() === "")
    return refused("", `is empty: expected a ${expectedKind[verb]} or an ErrorResponse`);
  let document: unknown;
  try {
    document = JSON.parse(output);
  } catch (error) {
    return refused(
      "",
      `is not one JSON document (${(error as Error).message}): ${excerpt(output)}`,
    );
  }
  if (typeof document !== "object" || document === null || Array.isArray(document))
    return refused("", "must be a JSON object");
  const { apiVersion, kind } = document as { apiVersion?: unknown; kind?: unknown };
  if (apiVersion !== ExecProtocolVersion)
    return refused(
      "apiVersion",
      `must be ${ExecProtocolVersion}${typeof apiVersion === "string" ? `, not ${apiVersion}` : ""}`,
    );
  const kinds = [expectedKind[verb], "ErrorResponse"] as const;
  const expected = kinds.find((k) => k === kind);
  if (expected === undefined)
    return refused(
      "kind",
      `must be ${oneOf([...kinds])}${typeof kind === "string" ? `, not ${kind}` : ""}`,
    );
  const errors = structuralErrors(ExecMessageSchemas[expected], document);
  if (errors.length > 0) return { ok: false, errors };
  if (expected === "ErrorResponse") {
    const { code } = (document as ErrorResponse).error;
    if (!allowedCodes[verb].includes(code))
      return refused("error.code", `must be ${oneOf(allowedCodes[verb])} for a ${verb}`);
  }
  return { ok: true, response: document as Answers[V] | ErrorResponse };
}

function refused(path: string, message: string): { ok: false; errors: FieldError[] } {
  return { ok: false, errors: [{ path, message }] };
}

function excerpt(output: string): string {
  const text = output.trim();
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}
