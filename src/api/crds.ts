import type { TSchema } from "@sinclair/typebox";
import { stringify } from "yaml";
import { CapacityBufferSchema } from "./capacitybuffer.ts";
import { EC2NodeClassSchema } from "./ec2nodeclass.ts";
import { ExecNodeClassSchema } from "./execnodeclass.ts";
import { InstanceTypeObjectSchema } from "./instancetype.ts";
import { KwokNodeClassSchema } from "./kwoknodeclass.ts";
import { NodeClaimSchema } from "./nodeclaim.ts";
import { NodeOverlaySchema } from "./nodeoverlay.ts";
import { NodePoolSchema } from "./nodepool.ts";
import {
  nodeClaimPrinterColumns,
  nodePoolPrinterColumns,
  nodePoolScale,
  type PrinterColumn,
} from "./nodepool-crd-columns.ts";
import { StaticNodeClassSchema } from "./staticnodeclass.ts";

/**
 * CustomResourceDefinitions from the same TypeBox schemas that type and validate the objects:
 * the JSON Schema is turned into a Kubernetes structural schema (no `const`, unions of literals
 * as `enum`, int-or-string marked, maps as additionalProperties). CEL rules
 * (`x-kubernetes-validations`) and `default:` values given as schema options are carried over.
 */
export function structuralSchema(schema: TSchema): Record<string, unknown> {
  const source = schema as Record<string, unknown>;
  const anyOf = source.anyOf as TSchema[] | undefined;
  if (anyOf !== undefined) {
    const literals = anyOf.map((member) => (member as { const?: unknown }).const);
    if (literals.every((literal) => typeof literal === "string"))
      return {
        type: "string",
        ...(source.description !== undefined && { description: source.description }),
        enum: literals,
        ...(source.default !== undefined && { default: source.default }),
      };
    const types = new Set(anyOf.map((member) => (member as { type?: string }).type));
    if (types.has("string") && (types.has("integer") || types.has("number")))
      return {
        "x-kubernetes-int-or-string": true,
        anyOf: [{ type: "integer" }, { type: "string" }],
        // A quantity's pattern: the API server applies it to the string form only.
        ...(source.pattern !== undefined && { pattern: source.pattern }),
      };
    throw new Error(`a union of ${[...types].join(", ")} has no structural form`);
  }
  if (source.const !== undefined) return { type: "string", enum: [source.const] };
  const result: Record<string, unknown> = {};
  for (const key of [
    "type",
    "description",
    "format",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
    "minItems",
    "maxItems",
    "maxProperties",
    "default",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-list-type",
    "x-kubernetes-validations",
  ]) {
    if (source[key] !== undefined) result[key] = source[key];
  }
  // A free-form object (a provider's own settings) is kept as written: no schema below it.
  if (source.type === "object" && source["x-kubernetes-preserve-unknown-fields"] !== true) {
    const properties = source.properties as Record<string, TSchema> | undefined;
    const patternProperties = source.patternProperties as Record<string, TSchema> | undefined;
    if (properties !== undefined) {
      result.properties = Object.fromEntries(
        Object.entries(properties).map(([name, value]) => [name, structuralSchema(value)]),
      );
      if (Array.isArray(source.required) && source.required.length > 0)
        result.required = source.required;
      // A closed object (an empty spec that takes no fields) stays closed on the server too.
      if (source.additionalProperties === false) result.additionalProperties = false;
    } else if (patternProperties !== undefined) {
      const [value] = Object.values(patternProperties);
      if (value !== undefined) result.additionalProperties = structuralSchema(value);
    }
  }
  if (source.type === "array" && source.items !== undefined)
    result.items = structuralSchema(source.items as TSchema);
  return result;
}

interface CrdSpec {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly singular: string;
  readonly scope: "Cluster" | "Namespaced";
  readonly shortNames: readonly string[];
  readonly schema: TSchema;
  /** `kubectl get <plural>` finds the kind with these too (`kubectl get karpenter`). */
  readonly categories?: readonly string[];
  readonly printerColumns?: readonly PrinterColumn[];
  /** The scale subresource: which fields `kubectl scale` sets and reads. */
  readonly scale?: { readonly specReplicasPath: string; readonly statusReplicasPath: string };
}

const crds: readonly CrdSpec[] = [
  {
    group: "karpenter.sh",
    version: "v1",
    kind: "NodePool",
    plural: "nodepools",
    singular: "nodepool",
    scope: "Cluster",
    shortNames: [],
    schema: NodePoolSchema,
    categories: ["karpenter"],
    printerColumns: nodePoolPrinterColumns,
    scale: nodePoolScale,
  },
  {
    group: "karpenter.sh",
    version: "v1",
    kind: "NodeClaim",
    plural: "nodeclaims",
    singular: "nodeclaim",
    scope: "Cluster",
    shortNames: [],
    schema: NodeClaimSchema,
    categories: ["karpenter"],
    printerColumns: nodeClaimPrinterColumns,
  },
  {
    group: "karpenter.k8s.aws",
    version: "v1",
    kind: "EC2NodeClass",
    plural: "ec2nodeclasses",
    singular: "ec2nodeclass",
    scope: "Cluster",
    shortNames: ["ec2nc", "ec2ncs"],
    schema: EC2NodeClassSchema,
  },
  {
    group: "carpool.dev",
    version: "v1alpha1",
    kind: "InstanceType",
    plural: "instancetypes",
    singular: "instancetype",
    scope: "Cluster",
    shortNames: ["cit"],
    schema: InstanceTypeObjectSchema,
  },
  {
    group: "carpool.dev",
    version: "v1alpha1",
    kind: "KwokNodeClass",
    plural: "kwoknodeclasses",
    singular: "kwoknodeclass",
    scope: "Cluster",
    shortNames: [],
    schema: KwokNodeClassSchema,
  },
  {
    group: "carpool.dev",
    version: "v1alpha1",
    kind: "StaticNodeClass",
    plural: "staticnodeclasses",
    singular: "staticnodeclass",
    scope: "Cluster",
    shortNames: [],
    schema: StaticNodeClassSchema,
  },
  {
    group: "carpool.dev",
    version: "v1alpha1",
    kind: "ExecNodeClass",
    plural: "execnodeclasses",
    singular: "execnodeclass",
    scope: "Cluster",
    shortNames: [],
    schema: ExecNodeClassSchema,
  },
  {
    group: "karpenter.sh",
    version: "v1alpha1",
    kind: "NodeOverlay",
    plural: "nodeoverlays",
    singular: "nodeoverlay",
    scope: "Cluster",
    shortNames: ["overlays"],
    schema: NodeOverlaySchema,
  },
  // Karpenter ships this SIG Autoscaling CRD beside its own (pkg/apis/crds).
  {
    group: "autoscaling.x-k8s.io",
    version: "v1alpha1",
    kind: "CapacityBuffer",
    plural: "capacitybuffers",
    singular: "capacitybuffer",
    scope: "Namespaced",
    shortNames: ["cb"],
    schema: CapacityBufferSchema,
  },
];

/** Every CRD as `[file name, YAML text]`, the text starting with how to regenerate it. */
export function generateCrds(): [string, string][] {
  return crds.map((crd) => {
    const schema = structuralSchema(crd.schema);
    const properties = { ...(schema.properties as Record<string, unknown>) };
    // apiVersion, kind and metadata are the API server's to validate.
    properties.apiVersion = { type: "string" };
    properties.kind = { type: "string" };
    properties.metadata = { type: "object" };
    const required = ((schema.required ?? []) as string[]).filter(
      (r) => r !== "apiVersion" && r !== "kind" && r !== "metadata",
    );
    const definition = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `${crd.plural}.${crd.group}` },
      spec: {
        group: crd.group,
        names: {
          ...(crd.categories !== undefined && { categories: crd.categories }),
          kind: crd.kind,
          listKind: `${crd.kind}List`,
          plural: crd.plural,
          singular: crd.singular,
          ...(crd.shortNames.length > 0 && { shortNames: crd.shortNames }),
        },
        scope: crd.scope,
        versions: [
          {
            ...(crd.printerColumns !== undefined && {
              additionalPrinterColumns: crd.printerColumns,
            }),
            name: crd.version,
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties,
                ...(required.length > 0 && { required }),
              },
            },
            subresources: {
              ...(crd.scale !== undefined && { scale: crd.scale }),
              status: {},
            },
          },
        ],
      },
    };
    return [
      `${crd.group}_${crd.plural}.yaml`,
      `# Generated by: npm run crds (scripts/gen-crds.ts) from src/api — do not edit\n${stringify(definition, { lineWidth: 0 })}`,
    ];
  });
}
