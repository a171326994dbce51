import { type Static, Type } from "@sinclair/typebox";
import { ObjectMetaSchema } from "./meta.ts";

/**
 * karpenter.k8s.aws/v1 EC2NodeClass, the fields drift detection reads: the provider's hash of its
 * spec (annotation `karpenter.k8s.aws/ec2nodeclass-hash`, copied onto each NodeClaim at launch)
 * and the AMIs it currently resolves to (`status.amis`). The spec is kept but not interpreted.
 */
export const EC2NodeClassSchema = Type.Object({
  apiVersion: Type.Literal("karpenter.k8s.aws/v1"),
  kind: Type.Literal("EC2NodeClass"),
  metadata: ObjectMetaSchema,
  spec: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  status: Type.Optional(
    Type.Object({
      amis: Type.Optional(
        Type.Array(Type.Object({ id: Type.String(), name: Type.Optional(Type.String()) })),
      ),
    }),
  ),
});
export type EC2NodeClass = Static<typeof EC2NodeClassSchema>;
