// examples/eks is what docs/eks.md tells an EKS user to apply: it must load as Karpenter's CRDs
// would take it, name only classes it has, and be the class the guide prints.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import type { EC2NodeClass } from "../../api/ec2nodeclass.ts";
import { loadManifests } from "../../api/load.ts";
import { planObjects } from "../../plan.ts";
import { aliasParameters } from "./nodeclass/ami-alias.ts";

const root = join(import.meta.dirname, "..", "..", "..");
const examples = join(root, "examples", "eks");

describe("examples/eks", () => {
  const loaded = loadManifests([examples]);
  const classes = loaded.objects
    .map((o) => o.object)
    .filter((o): o is EC2NodeClass => o.kind === "EC2NodeClass");

  it("loads without errors or ignored objects, EC2NodeClasses included (their CEL rules checked)", () => {
    assert.deepEqual([...loaded.errors, ...loaded.warnings], []);
    assert.deepEqual(classes.map((c) => c.metadata.name).sort(), ["default", "gpu"]);
  });

  it("every NodePool's nodeClassRef names an EC2NodeClass of the folder", () => {
    const names = new Set(classes.map((c) => c.metadata.name));
    for (const { object } of loaded.objects)
      if (object.kind === "NodePool") {
        const ref = object.spec.template.spec.nodeClassRef;
        assert.equal(`${ref.group}/${ref.kind}`, "karpenter.k8s.aws/EC2NodeClass");
        assert.ok(names.has(ref.name), `NodePool/${object.metadata.name} → ${ref.name}`);
      }
  });

  it("the classes' aliases are ones the aws provider resolves (al2023, bottlerocket)", () => {
    for (const nodeClass of classes)
      for (const term of nodeClass.spec?.amiSelectorTerms ?? [])
        if (term.alias !== undefined) assert.ok(aliasParameters(term.alias, "1.33").ok, term.alias);
  });

  it("plans every workload but the one no instance type can hold", () => {
    const result = planObjects(loaded.objects);
    assert.ok(result.ok);
    assert.equal(result.plan.summary.unschedulable, 1);
  });

  it("docs/eks.md prints the default class as examples/eks/nodeclasses.yaml has it", () => {
    const guide = readFileSync(join(root, "docs", "eks.md"), "utf8");
    const printed = [...guide.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => parseAllDocuments(m[1] ?? "")[0]?.toJSON() as { kind?: string })
      .find((doc) => doc?.kind === "EC2NodeClass");
    const file = parseAllDocuments(readFileSync(join(examples, "nodeclasses.yaml"), "utf8"))
      .map((d) => d.toJSON() as EC2NodeClass)
      .find((c) => c.metadata.name === "default");
    assert.deepEqual(printed, file);
  });
});
