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
  it("CEL rules and defaults given as schema options reach the CRD (x-kubernetes-validations, default)", () => {
    const rule = { rule: "self.size() != 0", message: "cannot be empty" };
    assert.deepEqual(
      structuralSchema(Type.Array(Type.String(), { "x-kubernetes-validations": [rule] })),
      { type: "array", "x-kubernetes-validations": [rule], items: { type: "string" } },
    );
    assert.deepEqual(
      structuralSchema(Type.Union([Type.Literal("on"), Type.Literal("off")], { default: "on" })),
      { type: "string", enum: ["on", "off"], default: "on" },
    );
  });
  describe("the NodePool and NodeClaim CRDs are Karpenter v1.14's (pkg/apis/crds/karpenter.sh_*.yaml)", () => {
    const crdOf = (name: string) =>
      parse(generateCrds().find(([file]) => file === name)?.[1] ?? "");
    const nodePools = crdOf("karpenter.sh_nodepools.yaml");
    const nodeClaims = crdOf("karpenter.sh_nodeclaims.yaml");
    const [pool] = nodePools.spec.versions;
    const [claim] = nodeClaims.spec.versions;
    const poolSpec = pool.schema.openAPIV3Schema.properties.spec;
    const claimSpec = claim.schema.openAPIV3Schema.properties.spec;
    type Node = {
      "x-kubernetes-validations"?: { rule: string; message: string }[];
      properties?: Record<string, Node>;
      items?: Node;
      additionalProperties?: Node;
    };
    const rules = (node: Node): { rule: string; message: string }[] => [
      ...(node["x-kubernetes-validations"] ?? []),
      ...Object.values(node.properties ?? {}).flatMap(rules),
      ...(node.items ? rules(node.items) : []),
      ...(node.additionalProperties ? rules(node.additionalProperties) : []),
    ];
    const messages = (node: Node) => (node["x-kubernetes-validations"] ?? []).map((v) => v.message);

    it("names: category karpenter, cluster-scoped, v1, status subresource; NodePool scales", () => {
      for (const crd of [nodePools, nodeClaims]) {
        assert.deepEqual(crd.spec.names.categories, ["karpenter"]);
        assert.equal(crd.spec.scope, "Cluster");
        assert.equal(crd.spec.versions[0].name, "v1");
      }
      // +kubebuilder:subresource:scale:specpath=.spec.replicas,statuspath=.status.nodes
      assert.deepEqual(pool.subresources, {
        scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.nodes" },
        status: {},
      });
      assert.deepEqual(claim.subresources, { status: {} });
    });
    it("printer columns: 7 for NodePool, 11 for NodeClaim, priority 1 for -o wide", () => {
      const columns = (version: {
        additionalPrinterColumns: { name: string; priority?: number }[];
      }) => version.additionalPrinterColumns.map((c) => `${c.name}${c.priority ? "*" : ""}`);
      assert.deepEqual(columns(pool), [
        "NodeClass",
        "Nodes",
        "Ready",
        "Age",
        "Weight*",
        "CPU*",
        "Memory*",
      ]);
      assert.deepEqual(columns(claim), [
        "Type",
        "Capacity",
        "Zone",
        "Node",
        "Ready",
        "Age",
        "ImageID*",
        "ID*",
        "NodePool*",
        "NodeClass*",
        "Drifted*",
      ]);
      assert.equal(
        claim.additionalPrinterColumns[0].jsonPath,
        ".metadata.labels.node\\.kubernetes\\.io/instance-type",
      );
    });
    it("CEL: 19 rules on a NodePool, 9 on a NodeClaim, each where Karpenter puts it", () => {
      assert.equal(rules(pool.schema.openAPIV3Schema).length, 19);
      assert.equal(rules(claim.schema.openAPIV3Schema).length, 9);
      assert.deepEqual(messages(poolSpec), [
        "Cannot transition NodePool between static (replicas set) and dynamic (replicas unset) provisioning modes",
        "only 'limits.nodes' is supported on static NodePools",
        "'weight' is not supported on static NodePools",
      ]);
      assert.deepEqual(messages(claimSpec), ["spec is immutable"]);
      const template = poolSpec.properties.template.properties.spec;
      assert.deepEqual(messages(template.properties.nodeClassRef), [
        "nodeClassRef.group is immutable",
        "nodeClassRef.kind is immutable",
      ]);
      assert.deepEqual(messages(poolSpec.properties.disruption), [
        "consolidationThreshold is only valid when consolidationPolicy is Balanced",
      ]);
      // A NodeClaim's key may be karpenter.sh/nodepool (its pool's name); a NodePool's may not.
      assert.equal(messages(template.properties.requirements.items.properties.key).length, 3);
      assert.equal(messages(claimSpec.properties.requirements.items.properties.key).length, 2);
    });
    it("CEL expressions are Karpenter's, character for character", () => {
      const template = poolSpec.properties.template.properties.spec;
      assert.deepEqual(template.properties.requirements["x-kubernetes-validations"][1], {
        rule: "self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' || x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)",
        message:
          "requirements operator 'Gt', 'Lt', 'Gte', or 'Lte' must have a single positive integer value",
      });
      assert.deepEqual(
        poolSpec.properties.template.properties.metadata.properties.labels[
          "x-kubernetes-validations"
        ][0],
        {
          rule: 'self.all(x, x in ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"] || !x.find("^([^/]+)").endsWith("karpenter.sh"))',
          message: 'label domain "karpenter.sh" is restricted',
        },
      );
      assert.deepEqual(
        template.properties.requirements.items.properties.key["x-kubernetes-validations"][0],
        {
          rule: 'self in ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"] || !self.find("^([^/]+)").endsWith("karpenter.sh")',
          message: 'label domain "karpenter.sh" is restricted',
        },
      );
    });
    it("fields v1.14 added: replicas, consolidationThreshold, Balanced, Gte/Lte, nodeClassObservedGeneration", () => {
      assert.deepEqual(poolSpec.properties.replicas, {
        type: "integer",
        format: "int64",
        minimum: 0,
      });
      const disruption = poolSpec.properties.disruption;
      assert.deepEqual(disruption.properties.consolidationPolicy.enum, [
        "WhenEmpty",
        "WhenEmptyOrUnderutilized",
        "Balanced",
      ]);
      assert.deepEqual(disruption.properties.consolidationThreshold, {
        type: "integer",
        format: "int32",
        minimum: 1,
        maximum: 3,
      });
      for (const spec of [poolSpec.properties.template.properties.spec, claimSpec])
        assert.deepEqual(spec.properties.requirements.items.properties.operator.enum, [
          "Gte",
          "Lte",
          "In",
          "NotIn",
          "Exists",
          "DoesNotExist",
          "Gt",
          "Lt",
        ]);
      const status = pool.schema.openAPIV3Schema.properties.status.properties;
      assert.deepEqual(status.nodeClassObservedGeneration, { type: "integer", format: "int64" });
      assert.deepEqual(status.nodes, { type: "integer", format: "int64", default: 0 });
    });
    it("defaults: disruption {consolidateAfter: 0s}, its policy and budgets, expireAfter 720h", () => {
      const disruption = poolSpec.properties.disruption;
      assert.deepEqual(disruption.default, { consolidateAfter: "0s" });
      assert.deepEqual(disruption.required, ["consolidateAfter"]);
      assert.equal(disruption.properties.consolidationPolicy.default, "WhenEmptyOrUnderutilized");
      assert.deepEqual(disruption.properties.budgets.default, [{ nodes: "10%" }]);
      assert.equal(disruption.properties.budgets.items.properties.nodes.default, "10%");
      assert.equal(
        poolSpec.properties.template.properties.spec.properties.expireAfter.default,
        "720h",
      );
      assert.equal(claimSpec.properties.expireAfter.default, "720h");
    });
    it("quantities carry resource.Quantity's pattern; NodeClaim lists are atomic", () => {
      assert.equal(
        poolSpec.properties.limits.additionalProperties.pattern,
        "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
      );
      assert.equal(
        poolSpec.properties.limits.additionalProperties["x-kubernetes-int-or-string"],
        true,
      );
      for (const list of ["taints", "startupTaints", "requirements"])
        assert.equal(claimSpec.properties[list]["x-kubernetes-list-type"], "atomic");
    });
  });
  describe("the EC2NodeClass CRD is Karpenter's (karpenter.k8s.aws_ec2nodeclasses.yaml)", () => {
    const file = generateCrds().find(([name]) => name === "karpenter.k8s.aws_ec2nodeclasses.yaml");
    const crd = parse(file?.[1] ?? "");
    const [version] = crd.spec.versions;
    const spec = version.schema.openAPIV3Schema.properties.spec;
    const messages = (schema: { "x-kubernetes-validations"?: { message: string }[] }) =>
      (schema["x-kubernetes-validations"] ?? []).map((v) => v.message);
    it("names: ec2nodeclasses.karpenter.k8s.aws v1, cluster-scoped, short names ec2nc and ec2ncs, status subresource", () => {
      assert.equal(crd.metadata.name, "ec2nodeclasses.karpenter.k8s.aws");
      assert.equal(crd.spec.scope, "Cluster");
      assert.deepEqual(crd.spec.names.shortNames, ["ec2nc", "ec2ncs"]);
      assert.equal(version.name, "v1");
      assert.deepEqual(version.subresources, { status: {} });
    });
    it("spec requires the subnet, security group and AMI selectors; spec itself is optional", () => {
      assert.deepEqual([...spec.required].sort(), [
        "amiSelectorTerms",
        "securityGroupSelectorTerms",
        "subnetSelectorTerms",
      ]);
      assert.equal(version.schema.openAPIV3Schema.required, undefined);
    });
    it("spec carries the role/instanceProfile, alias-family and amiFamily-required rules", () => {
      assert.deepEqual(messages(spec), [
        "must specify exactly one of ['role', 'instanceProfile']",
        "if set, amiFamily must be 'AL2' or 'Custom' when using an AL2 alias",
        "if set, amiFamily must be 'AL2023' or 'Custom' when using an AL2023 alias",
        "if set, amiFamily must be 'Bottlerocket' or 'Custom' when using a Bottlerocket alias",
        "if set, amiFamily must be 'Windows2019' or 'Custom' when using a Windows2019 alias",
        "if set, amiFamily must be 'Windows2022' or 'Custom' when using a Windows2022 alias",
        "if set, amiFamily must be 'Windows2025' or 'Custom' when using a Windows2025 alias",
        "must specify amiFamily if amiSelectorTerms does not contain an alias",
      ]);
      assert.deepEqual(spec.properties.amiFamily.enum, [
        "AL2",
        "AL2023",
        "Bottlerocket",
        "Custom",
        "Windows2019",
        "Windows2022",
        "Windows2025",
      ]);
    });
    it("amiSelectorTerms: 1 to 30 terms, alias rules on the alias, tags at most 20", () => {
      const ami = spec.properties.amiSelectorTerms;
      assert.equal(ami.minItems, 1);
      assert.equal(ami.maxItems, 30);
      assert.equal(messages(ami).length, 4);
      assert.equal(ami.items.properties.alias.maxLength, 30);
      assert.equal(messages(ami.items.properties.alias).length, 3);
      assert.equal(ami.items.properties.tags.maxProperties, 20);
    });
    it("tags, kubelet and block device rules sit where Karpenter puts them", () => {
      assert.equal(messages(spec.properties.tags).length, 6);
      const kubelet = spec.properties.kubelet;
      assert.equal(messages(kubelet).length, 3);
      assert.deepEqual(messages(kubelet.properties.kubeReserved), [
        "valid keys for kubeReserved are ['cpu','memory','ephemeral-storage','pid']",
        "kubeReserved value cannot be a negative resource quantity",
      ]);
      assert.equal(kubelet.properties.imageGCHighThresholdPercent.maximum, 100);
      const devices = spec.properties.blockDeviceMappings;
      assert.equal(devices.maxItems, 50);
      assert.deepEqual(messages(devices), [
        "must have only one blockDeviceMappings with rootVolume",
      ]);
      assert.deepEqual(devices.items.properties.ebs.properties.volumeType.enum, [
        "standard",
        "io1",
        "io2",
        "gp2",
        "sc1",
        "st1",
        "gp3",
      ]);
    });
    it("metadataOptions defaults to IMDSv2 with one hop, as a whole and per field", () => {
      const options = spec.properties.metadataOptions;
      assert.deepEqual(options.default, {
        httpEndpoint: "enabled",
        httpProtocolIPv6: "disabled",
        httpPutResponseHopLimit: 1,
        httpTokens: "required",
      });
      assert.equal(options.properties.httpTokens.default, "required");
      assert.equal(options.properties.httpPutResponseHopLimit.default, 1);
    });
    it("status: subnets need id and zone, AMIs need id and requirements", () => {
      const status = version.schema.openAPIV3Schema.properties.status.properties;
      assert.deepEqual(status.subnets.items.required, ["id", "zone"]);
      assert.deepEqual(status.securityGroups.items.required, ["id"]);
      assert.deepEqual(status.amis.items.required, ["id", "requirements"]);
      assert.equal(status.instanceProfile.type, "string");
      assert.deepEqual(status.conditions.items.required, ["type", "status"]);
    });
  });
});
