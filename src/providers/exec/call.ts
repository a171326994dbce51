import type { ExecNodeClass } from "../../api/execnodeclass.ts";
import type { FieldError } from "../../api/field-errors.ts";
import { structuralErrors } from "../../api/field-errors.ts";
import { type HookOptions, runHook } from "../hooks/run-hook.ts";
import { ExecProviderError, hookTarget, redactor, renderFieldErrors } from "./errors.ts";
import { type ErrorResponse, ExecMessageSchemas, type ExecRequest } from "./protocol.ts";
import { type Answers, readResponse, type Verb } from "./response.ts";

/** What is kept of the message of a user's ErrorResponse. */
const MaxMessage = 2000;

interface Requests {
  readonly create: Extract<ExecRequest, { kind: "CreateRequest" }>;
  readonly delete: Extract<ExecRequest, { kind: "DeleteRequest" }>;
  readonly get: Extract<ExecRequest, { kind: "GetRequest" }>;
  readonly list: Extract<ExecRequest, { kind: "ListRequest" }>;
}

/** What an answer may still be refused for once it matched its schema (a create's offering). */
export type AnswerCheck<V extends Verb> = (
  answer: Answers[V] | ErrorResponse,
) => readonly FieldError[];

/**
 * One call of the protocol: the request, checked against its schema (an invalid one is carpool's
 * bug), sent through the node class's hook; the answer read and checked, then `check`ed. A failed
 * hook, a refused answer or an InvalidRequest/Internal error is an ExecProviderError; the
 * InsufficientCapacity and NotFound answers are returned for the caller to map.
 */
export async function callExecProvider<V extends Verb>(
  nodeClass: ExecNodeClass,
  verb: V,
  request: Requests[V],
  options: HookOptions & { readonly check?: AnswerCheck<V> } = {},
): Promise<Answers[V] | ErrorResponse> {
  const { check, ...hookOptions } = options;
  const name = nodeClass.metadata.name ?? "";
  const requestErrors = structuralErrors(ExecMessageSchemas[request.kind], request);
  if (requestErrors.length > 0)
    throw new Error(
      `carpool built an invalid ${request.kind}: ${renderFieldErrors(requestErrors)}`,
    );
  const redact = redactor(options.secrets ?? []);
  const where = `ExecNodeClass/${name}: ${verb} through the ${hookTarget(nodeClass.spec.provider)}`;
  const result = await runHook(nodeClass.spec.provider, request, hookOptions);
  if (!result.ok)
    throw new ExecProviderError(
      name,
      verb,
      { kind: "hook", reason: result.reason },
      redact(`${where} failed: ${result.message}`),
    );
  const reading = readResponse(verb, result.output);
  const errors = reading.ok ? (check?.(reading.response) ?? []) : reading.errors;
  if (!reading.ok || errors.length > 0) {
    const scrubbed = errors.map((e) => ({ path: e.path, message: redact(e.message) }));
    throw new ExecProviderError(
      name,
      verb,
      { kind: "refused", errors: scrubbed },
      redact(`${where}: its answer was refused: ${renderFieldErrors(scrubbed)}`),
    );
  }
  const answer = reading.response;
  if (answer.kind === "ErrorResponse") {
    const { code, message } = answer.error;
    if (code === "InvalidRequest" || code === "Internal")
      throw new ExecProviderError(
        name,
        verb,
        { kind: "answered", code },
        redact(`${where}: ${code}: ${message.slice(0, MaxMessage)}`),
      );
  }
  return answer as Answers[V] | ErrorResponse;
}
