import { type Static, Type } from "@sinclair/typebox";
import { BootstrapSpecSchema, HookSchema } from "./hooks.ts";
import { ConditionSchema, ObjectMetaSchema, ResourceListSchema } from "./meta.ts";

/** One machine of a site, as its operator describes it. */
export const StaticMachineSchema = Type.Object({
  /** Unique in the class; a DNS label. */
  name: Type.String({ pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 }),
  /** Machines of one type share capacity and labels: `edge-small`, `gpu-box`. */
  instanceType: Type.String({ minLength: 1 }),
  capacity: ResourceListSchema,
  /** What an hour of this machine is worth to its operator (power, wear); the cheapest is used first. */
  pricePerHour: Type.Number({ minimum: 0 }),
  zone: Type.String({ minLength: 1 }),
  /** Where the hooks find it (an IP or host name, a MAC for Wake-on-LAN): passed to them as is. */
  address: Type.Optional(Type.String()),
  /** Labels the type's nodes carry, besides the well-known ones. */
  labels: Type.Optional(Type.Record(Type.String(), Type.String())),
});
export type StaticMachine = Static<typeof StaticMachineSchema>;

/**
 * carpool.dev/v1alpha1 StaticNodeClass: a site's own machines (a rack, a shop's edge boxes). A launch
 * takes a free machine that fits the claim, cheapest first, switches it on through `powerOn` with
 * the user data that joins it; a delete switches it off through `powerOff` and frees it. Which
 * claim holds which machine is recorded on the NodeClaim.
 */
export const StaticNodeClassSchema = Type.Object({
  apiVersion: Type.Literal("carpool.dev/v1alpha1"),
  kind: Type.Literal("StaticNodeClass"),
  metadata: ObjectMetaSchema,
  spec: Type.Object({
    machines: Type.Array(StaticMachineSchema, { minItems: 1, maxItems: 1000 }),
    powerOn: HookSchema,
    powerOff: HookSchema,
    bootstrap: BootstrapSpecSchema,
  }),
  status: Type.Optional(Type.Object({ conditions: Type.Optional(Type.Array(ConditionSchema)) })),
});
export type StaticNodeClass = Static<typeof StaticNodeClassSchema>;
