import { type Static, Type } from "@sinclair/typebox";
import { BootstrapSpecSchema, HookSchema } from "./hooks.ts";
import { ConditionSchema, ObjectMetaSchema } from "./meta.ts";

/**
 * carpool.dev/v1alpha1 ExecNodeClass: machines from any cloud through a user's command or HTTP
 * endpoint, spoken to in carpool's versioned JSON protocol (docs/exec-provider.md): create, delete,
 * get and list. The instance types are the cluster's InstanceType objects; `config` is passed to
 * every call as is (a region, a project, a machine image).
 */
export const ExecNodeClassSchema = Type.Object({
  apiVersion: Type.Literal("carpool.dev/v1alpha1"),
  kind: Type.Literal("ExecNodeClass"),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    provider: HookSchema,
    config: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { "x-kubernetes-preserve-unknown-fields": true }),
    ),
    bootstrap: Type.Optional(BootstrapSpecSchema),
  }),
  status: Type.Optional(Type.Object({ conditions: Type.Optional(Type.Array(ConditionSchema)) })),
});
export type ExecNodeClass = Static<typeof ExecNodeClassSchema>;
