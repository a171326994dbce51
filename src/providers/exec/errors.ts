import type { FieldError } from "../../api/field-errors.ts";
import type { Hook } from "../../api/hooks.ts";
import type { HookResult } from "../hooks/run-hook.ts";
import type { Verb } from "./response.ts";

/** Why a call to a user's exec provider failed, other than a capacity or not-found answer. */
export type ExecFailure =
  /** The command failed or timed out, or the endpoint answered other than 2xx, after retries. */
  | { readonly kind: "hook"; readonly reason: Extract<HookResult, { ok: false }>["reason"] }
  /** The answer did not match the protocol: carpool refused it. */
  | { readonly kind: "refused"; readonly errors: readonly FieldError[] }
  /** The user answered with an ErrorResponse of this code. */
  | { readonly kind: "answered"; readonly code: "InvalidRequest" | "Internal" };

/**
 * A call to an ExecNodeClass's provider that did not give an answer carpool can use. The message
 * names the node class, the call and the command (or the endpoint's origin), and never repeats a
 * secret carpool sent (the join token in the user data).
 */
export class ExecProviderError extends Error {
  readonly nodeClass: string;
  readonly verb: Verb;
  readonly failure: ExecFailure;
  constructor(nodeClass: string, verb: Verb, failure: ExecFailure, message: string) {
    super(message);
    this.name = "ExecProviderError";
    this.nodeClass = nodeClass;
    this.verb = verb;
    this.failure = failure;
  }
}

/**
 * Who a call went to, for messages: the command's argv (an argument with other characters than
 * these quoted), or only a webhook's origin, as its path and query may carry a token.
 */
export function hookTarget(hook: Hook): string {
  const plain = /^[\w@%+=:,./-]+$/;
  if (hook.exec !== undefined)
    return `command ${hook.exec.command.map((arg) => (plain.test(arg) ? arg : JSON.stringify(arg))).join(" ")}`;
  if (hook.webhook !== undefined) {
    try {
      return `webhook ${new URL(hook.webhook.url).origin}`;
    } catch {
      return "webhook";
    }
  }
  return "no hook";
}

/** `path: message; path: message`, as carpool writes field errors. */
export function renderFieldErrors(errors: readonly FieldError[]): string {
  return errors
    .map(({ path, message }) => (path === "" ? message : `${path}: ${message}`))
    .join("; ");
}

/** Replaces every secret (of 4 characters or more, as runHook does) with [REDACTED]. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const kept = secrets.filter((secret) => secret.length >= 4);
  return (text) => kept.reduce((t, secret) => t.split(secret).join("[REDACTED]"), text);
}
