import { type Static, Type } from "@sinclair/typebox";
import { ObjectMetaSchema } from "./meta.ts";
import { QuantityPattern } from "./nodeclaim.ts";

/** Quantities, with resource.Quantity's pattern for the CRD to check (carpool parses them apart). */
const QuantitiesSchema = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number()], { pattern: QuantityPattern }),
);

/**
 * carpool.dev/v1alpha1 InstanceType: one entry of a user's catalog (see the plan contract). A k3s
 * site describes its own machines this way; when any are given, they are the whole catalog.
 */
export const OfferingSchema = Type.Object({
  zone: Type.String({ minLength: 1 }),
  capacityType: Type.String({ minLength: 1 }),
  price: Type.Number({ minimum: 0 }),
  available: Type.Optional(Type.Boolean()),
  /**
   * Labels of this offering alone (`topology.k8s.aws/zone-id`; for `capacityType: reserved`,
   * `karpenter.k8s.aws/capacity-reservation-id`, `-type`, `-interruptible`).
   */
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
  /** Reserved capacity: how many more instances the reservation can launch. */
  reservationCapacity: Type.Optional(Type.Integer({ minimum: 0 })),
});

export const InstanceTypeObjectSchema = Type.Object({
  apiVersion: Type.Literal("carpool.dev/v1alpha1"),
  kind: Type.Literal("InstanceType"),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    capacity: QuantitiesSchema,
    overhead: Type.Optional(QuantitiesSchema),
    labels: Type.Optional(Type.Record(Type.String(), Type.String())),
    offerings: Type.Array(OfferingSchema, { minItems: 1 }),
  }),
});
export type InstanceTypeObject = Static<typeof InstanceTypeObjectSchema>;
