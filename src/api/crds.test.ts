import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { Type } from "@sinclair/typebox";
import { parse } from "yaml";
import { generateCrds, structuralSchema } from "./crds.ts";

describe("CRDs from the TypeBox schemas", () => {
  for (const [file, text] of generateCrds()) {
    it(`crds/${file} is what npm run crds writes (regenerate it after a schema change)`, () => {
      assert.equal(readFileSync(new URL(`../../crds/${file}`, import.meta.url), "utf8"), text);
      assert.equal(
        readFileSync(new URL(`../../charts/carpool/crds/${file}`, import.meta.url), "utf8"),
        text,
        "the Helm chart ships the same CRDs",
      );
    });
  }
  it("a union of literals becomes an enum (structural schemas have no const)", () => {
    assert.deepEqual(structuralSchema(Type.Union([Type.Literal("A"), Type.Literal("B")])), {
      type: "string",
      enum: ["A", "B"],
    });
  });
  it("an int-or-string union is marked x-kubernetes-int-or-string", () => {
    assert.equal(
      structuralSchema(Type.Union([Type.Integer(), Type.String()]))["x-kubernetes-int-or-string"],
      true,
    );
  });
  it("maps become additionalProperties", () => {
    assert.deepEqual(structuralSchema(Type.Record(Type.String(), Type.String())), {
      type: "object",
      additionalProperties: { type: "string" },
    });
  });
  it("the NodePool CRD carries the taint effect enum and the budget pattern", () => {
    const nodePools = generateCrds().find(([file]) => file === "karpenter.sh_nodepools.yaml");
    const crd = parse(nodePools?.[1] ?? "");
    const spec = crd.spec.versions[0].schema.openAPIV3Schema.properties.spec;
    const taint = spec.properties.template.properties.spec.properties.taints.items;
    assert.deepEqual(taint.properties.effect.enum, ["NoSchedule", "PreferNoSchedule", "NoExecute"]);
    assert.equal(
      spec.properties.disruption.properties.budgets.items.properties.nodes.pattern,
      "^((100|[0-9]{1,2})%|[0-9]+)$",
    );
  });
  it("the KwokNodeClass CRD is cluster-scoped, has a status subresource and an empty spec", () => {
    const kwok = generateCrds().find(([file]) => file === "carpool.dev_kwoknodeclasses.yaml");
    const crd = parse(kwok?.[1] ?? "");
    assert.equal(crd.metadata.name, "kwoknodeclasses.carpool.dev");
    assert.equal(crd.spec.scope, "Cluster");
    const [version] = crd.spec.versions;
    assert.equal(version.name, "v1alpha1");
    assert.deepEqual(version.subresources, { status: {} });
    const schema = version.schema.openAPIV3Schema;
    // No fields, and closed: the API server refuses anything written into spec, as carpool's loader
    // does (test/e2e/crds.test.ts checks it on a real server).
    assert.deepEqual(schema.properties.spec, {
      type: "object",
      properties: {},
      additionalProperties: false,
    });
    assert.equal(schema.required, undefined);
    assert.deepEqual(schema.properties.status.properties.conditions.items.required, [
      "type",
      "status",
    ]);
  });
});
