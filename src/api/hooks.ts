import { type Static, Type } from "@sinclair/typebox";
import { DurationPattern } from "./nodepool.ts";

/** A command carpool runs with a JSON document on standard input (argv: no shell). */
export const ExecHookSchema = Type.Object({
  command: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
});

/** An HTTP endpoint carpool POSTs the JSON document to. */
export const WebhookSchema = Type.Object({
  url: Type.String({ pattern: "^https?://[^\\s]+$" }),
});

/**
 * How carpool reaches a site's own tooling (a power switch, a cloud's API): `exec` or `webhook`,
 * with a timeout per attempt and retries after a failure.
 */
export const HookSchema = Type.Object({
  exec: Type.Optional(ExecHookSchema),
  webhook: Type.Optional(WebhookSchema),
  timeout: Type.Optional(Type.String({ pattern: DurationPattern })),
  retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
});
export type Hook = Static<typeof HookSchema>;

/** How the machines of a node class join the cluster. */
export const BootstrapSpecSchema = Type.Object({
  k3s: Type.Optional(
    Type.Object({
      serverURL: Type.String({ pattern: "^https://[^\\s]+$" }),
      /** The join token: a key of a Secret, read by carpool and never logged. */
      tokenSecretRef: Type.Object({
        namespace: Type.String({ minLength: 1 }),
        name: Type.String({ minLength: 1 }),
        key: Type.String({ minLength: 1 }),
      }),
      /** A pinned k3s release (`v1.31.4+k3s1`); the install script's latest stable when absent. */
      version: Type.Optional(Type.String({ pattern: "^v[0-9]+\\.[0-9]+\\.[0-9]+\\+k3s[0-9]+$" })),
      /** Use the k3s already on the machine; download nothing. */
      airGapped: Type.Optional(Type.Boolean()),
      /** `cloud-config` for machines with cloud-init, `shell` for a plain script. */
      format: Type.Optional(Type.Union([Type.Literal("cloud-config"), Type.Literal("shell")])),
    }),
  ),
});
export type BootstrapSpec = Static<typeof BootstrapSpecSchema>;

/** One of exec or webhook, exactly. */
export function hookErrors(
  hook: Hook | undefined,
  path: string,
): { path: string; message: string }[] {
  if (hook === undefined) return [];
  const ways = [hook.exec, hook.webhook].filter((w) => w !== undefined).length;
  return ways === 1 ? [] : [{ path, message: "needs exactly one of exec or webhook" }];
}
