import { type Static, type TSchema, Type } from "@sinclair/typebox";

/**
 * carpool.dev/exec/v1: what carpool and a user's command or endpoint say to each other
 * (docs/exec-provider.md is its reference, and this file its single source). One request per call
 * on standard input or as a POST body; one response on standard output or as the body. Every
 * object is closed: a field the protocol does not name is refused, so a typo is an error, not a
 * silently ignored answer.
 */
export const ExecProtocolVersion = "carpool.dev/exec/v1";

const closed = { additionalProperties: false } as const;
const Name = Type.String({ minLength: 1 });
const ApiVersion = Type.Literal(ExecProtocolVersion);

/**
 * `<scheme>://<id>`, as a Node's spec.providerID (`hcloud://4711`): a lower-case RFC 3986 scheme
 * and printable ASCII, so that it can be a kubelet's --provider-id as carpool's bootstraps check.
 */
export const ProviderIDPattern = "^[a-z][a-z0-9+.-]*://[\\x21-\\x7e]+$";
const ProviderID = Type.String({ pattern: ProviderIDPattern });

/** The node class a call is for: its name and its `spec.config`, passed as written. */
export const NodeClassSchema = Type.Object(
  { name: Name, config: Type.Record(Type.String(), Type.Unknown()) },
  closed,
);

export const TaintSchema = Type.Object(
  {
    key: Name,
    value: Type.Optional(Type.String()),
    effect: Type.Union([
      Type.Literal("NoSchedule"),
      Type.Literal("PreferNoSchedule"),
      Type.Literal("NoExecute"),
    ]),
  },
  closed,
);

export const RequirementSchema = Type.Object(
  {
    key: Name,
    operator: Type.Union(
      // A NodeClaim's operators: core/v1's and Karpenter's Gte and Lte (v1.9+).
      (["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "Gte", "Lte"] as const).map((op) =>
        Type.Literal(op),
      ),
    ),
    values: Type.Optional(Type.Array(Type.String())),
    minValues: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  closed,
);

/** What the machine is for: the NodeClaim's name (the instance's tag), labels and taints. */
export const NodeClaimSchema = Type.Object(
  {
    name: Name,
    labels: Type.Record(Type.String(), Type.String()),
    taints: Type.Array(TaintSchema),
    startupTaints: Type.Array(TaintSchema),
    requirements: Type.Array(RequirementSchema),
  },
  closed,
);

/** One thing the user may launch: an instance type in a zone, bought one way, at a price (/h). */
export const OfferingSchema = Type.Object(
  { instanceType: Name, zone: Name, capacityType: Name, price: Type.Number({ minimum: 0 }) },
  closed,
);

/** An offering named in an InsufficientCapacity error. */
export const OfferingRefSchema = Type.Object(
  { instanceType: Name, zone: Name, capacityType: Name },
  closed,
);

/** What the machine runs at first boot to join the cluster (cloud-init user data, or a script). */
export const UserDataSchema = Type.Object(
  {
    format: Type.Union([Type.Literal("cloud-config"), Type.Literal("shell")]),
    content: Type.String(),
  },
  closed,
);

export const CreateRequestSchema = Type.Object(
  {
    apiVersion: ApiVersion,
    kind: Type.Literal("CreateRequest"),
    nodeClass: NodeClassSchema,
    nodeClaim: NodeClaimSchema,
    /** Cheapest first: the user launches the first it can. */
    offerings: Type.Array(OfferingSchema, { minItems: 1 }),
    userData: Type.Optional(UserDataSchema),
    /**
     * The provider ID the user data registers the Node with (the kubelet's --provider-id), when
     * it sets one: the instance must report it, since carpool matches Node and claim by it.
     */
    providerID: Type.Optional(ProviderID),
  },
  closed,
);

export const DeleteRequestSchema = Type.Object(
  {
    apiVersion: ApiVersion,
    kind: Type.Literal("DeleteRequest"),
    nodeClass: NodeClassSchema,
    instance: Type.Object({ providerID: ProviderID, nodeClaim: Type.Optional(Name) }, closed),
  },
  closed,
);

export const GetRequestSchema = Type.Object(
  {
    apiVersion: ApiVersion,
    kind: Type.Literal("GetRequest"),
    nodeClass: NodeClassSchema,
    providerID: ProviderID,
  },
  closed,
);

export const ListRequestSchema = Type.Object(
  { apiVersion: ApiVersion, kind: Type.Literal("ListRequest"), nodeClass: NodeClassSchema },
  closed,
);

/**
 * A machine as the user's cloud reports it. `nodeClaim` is the tag carpool gave it at create:
 * instances without one are not carpool's (list) and are never touched.
 */
export const InstanceSchema = Type.Object(
  {
    providerID: ProviderID,
    instanceType: Name,
    zone: Name,
    capacityType: Name,
    nodeClaim: Type.Optional(Name),
    state: Type.Optional(
      Type.Union([Type.Literal("pending"), Type.Literal("running"), Type.Literal("terminating")]),
    ),
    /** Kubernetes quantities (`"4"`, `"15Gi"`); each one given replaces the instance type's. */
    capacity: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
  },
  closed,
);

export const CreateResponseSchema = Type.Object(
  { apiVersion: ApiVersion, kind: Type.Literal("CreateResponse"), instance: InstanceSchema },
  closed,
);

export const DeleteResponseSchema = Type.Object(
  { apiVersion: ApiVersion, kind: Type.Literal("DeleteResponse") },
  closed,
);

export const GetResponseSchema = Type.Object(
  { apiVersion: ApiVersion, kind: Type.Literal("GetResponse"), instance: InstanceSchema },
  closed,
);

export const ListResponseSchema = Type.Object(
  {
    apiVersion: ApiVersion,
    kind: Type.Literal("ListResponse"),
    instances: Type.Array(InstanceSchema),
  },
  closed,
);

export const ErrorCodes = [
  "InsufficientCapacity",
  "NotFound",
  "InvalidRequest",
  "Internal",
] as const;
export type ErrorCode = (typeof ErrorCodes)[number];

export const ErrorResponseSchema = Type.Object(
  {
    apiVersion: ApiVersion,
    kind: Type.Literal("ErrorResponse"),
    error: Type.Object(
      {
        code: Type.Union(ErrorCodes.map((code) => Type.Literal(code))),
        message: Type.String(),
        /** InsufficientCapacity only: the offerings that had none (all those sent when absent). */
        offerings: Type.Optional(Type.Array(OfferingRefSchema)),
      },
      closed,
    ),
  },
  closed,
);

export type ExecNodeClassRef = Static<typeof NodeClassSchema>;
export type ExecNodeClaim = Static<typeof NodeClaimSchema>;
export type ExecOffering = Static<typeof OfferingSchema>;
export type ExecUserData = Static<typeof UserDataSchema>;
export type CreateRequest = Static<typeof CreateRequestSchema>;
export type DeleteRequest = Static<typeof DeleteRequestSchema>;
export type GetRequest = Static<typeof GetRequestSchema>;
export type ListRequest = Static<typeof ListRequestSchema>;
export type Instance = Static<typeof InstanceSchema>;
export type CreateResponse = Static<typeof CreateResponseSchema>;
export type DeleteResponse = Static<typeof DeleteResponseSchema>;
export type GetResponse = Static<typeof GetResponseSchema>;
export type ListResponse = Static<typeof ListResponseSchema>;
export type ErrorResponse = Static<typeof ErrorResponseSchema>;

export type ExecRequest = CreateRequest | DeleteRequest | GetRequest | ListRequest;
export type ExecResponse =
  | CreateResponse
  | DeleteResponse
  | GetResponse
  | ListResponse
  | ErrorResponse;

/** Every message of the protocol, by kind. */
export const ExecMessageSchemas = {
  CreateRequest: CreateRequestSchema,
  DeleteRequest: DeleteRequestSchema,
  GetRequest: GetRequestSchema,
  ListRequest: ListRequestSchema,
  CreateResponse: CreateResponseSchema,
  DeleteResponse: DeleteResponseSchema,
  GetResponse: GetResponseSchema,
  ListResponse: ListResponseSchema,
  ErrorResponse: ErrorResponseSchema,
} as const satisfies Record<string, TSchema>;
export type ExecMessageKind = keyof typeof ExecMessageSchemas;

/**
 * The protocol as one JSON Schema (2020-12) document, for users who validate in their own
 * language; examples/exec-provider/protocol.schema.json is this, checked in by a test.
 */
export function execProtocolJsonSchema(): Record<string, unknown> {
  const kinds = Object.keys(ExecMessageSchemas) as ExecMessageKind[];
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://carpool.dev/schemas/exec/v1.json",
    $comment:
      "Generated from src/providers/exec/protocol.ts; regenerate with UPDATE_GOLDEN=1 npm test -- src/providers/exec/protocol",
    title: ExecProtocolVersion,
    description:
      "carpool's exec provider protocol: one request to a user's command (stdin) or endpoint (POST body), one response (stdout or body). See docs/exec-provider.md.",
    oneOf: kinds.map((kind) => ({ $ref: `#/$defs/${kind}` })),
    // JSON text drops TypeBox's symbol keys: what is left is plain JSON Schema.
    $defs: Object.fromEntries(
      kinds.map((kind) => [kind, JSON.parse(JSON.stringify(ExecMessageSchemas[kind]))]),
    ),
  };
}
