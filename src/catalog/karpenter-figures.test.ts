import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseResources, type Resources } from "../resources/resource-list.ts";
import { awsCatalog } from "./aws-catalog.ts";
import type { SharedInstanceType } from "./aws-catalog-data.ts";

/** One row of the committed extract of Karpenter's published allocatable (see its header). */
interface PublishedFigures {
  readonly instanceType: string;
  readonly allocatable: Resources;
}

const compared = ["cpu", "memory", "ephemeral-storage", "pods", "nvidia.com/gpu", "amd.com/gpu"];

function publishedFigures(): PublishedFigures[] {
  const text = readFileSync(new URL("./data/karpenter-allocatable.txt", import.meta.url), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((line) => {
      const [instanceType = "", cpu, memory, storage, pods, ...extended] = line.trim().split(/\s+/);
      const parsed = parseResources({
        cpu: cpu ?? "",
        memory: memory ?? "",
        "ephemeral-storage": storage ?? "",
        pods: pods ?? "",
        ...Object.fromEntries(extended.map((pair) => pair.split("=", 2))),
      });
      assert.ok(parsed.ok, `${instanceType}: ${JSON.stringify(parsed)}`);
      return { instanceType, allocatable: parsed.resources };
    });
}

/** The public facts the catalog is generated from (scripts/gen-aws-catalog.ts). */
function sharedFacts(): {
  types: Map<string, SharedInstanceType>;
  labels: Record<string, unknown>;
} {
  const shared = new URL("../../../shared/data/", import.meta.url);
  const types = JSON.parse(readFileSync(new URL("aws-instance-types.json", shared), "utf8")) as {
    instanceTypes: SharedInstanceType[];
  };
  const labels = JSON.parse(readFileSync(new URL("aws-instance-labels.json", shared), "utf8")) as {
    labels: Record<string, unknown>;
  };
  return { types: new Map(types.instanceTypes.map((t) => [t.name, t])), labels: labels.labels };
}

/** Why buildAwsCatalogData leaves a type out, or undefined when it has everything it needs. */
function whyLeftOut(name: string, facts: ReturnType<typeof sharedFacts>): string | undefined {
  const type = facts.types.get(name);
  if (type === undefined) return "no row in aws-instance-types.json";
  if (!(name in facts.labels)) return "no Karpenter labels in aws-instance-labels.json";
  if (type.maxPods === null) return "no ENI facts (maxPods)";
  if (type.onDemandPrice["us-east-1"] === undefined) return "no us-east-1 price";
  return undefined;
}

// Karpenter's reference page lists, per EC2 type, the allocatable its AWS provider computes for
// an AL2023 node without blockDeviceMappings (karpenter-provider-aws
// pkg/providers/instancetype/types.go: memory less Graviton's 64 MiB and VM_MEMORY_OVERHEAD_PERCENT,
// kube-reserved by the EKS formulas, eviction at memory.available 100Mi and nodefs.available 10%).
// The extract is the whole page at one commit (see its header). ../shared/data is not that
// version: its labels come from a later page (more families; no dl1, f1, p3) and its ENI facts
// and prices miss some page types, so a page type may be absent from the catalog. That is a
// data gap, which the first test tells apart from a rule gap; the rest compare every type both
// have (docs/catalog.md gives the figures).
describe("the built-in AWS catalog against Karpenter's published allocatable", () => {
  const published = publishedFigures();
  const catalog = new Map(awsCatalog("us-east-1").instanceTypes.map((t) => [t.name, t]));
  const both = published.filter((row) => catalog.has(row.instanceType));

  const shared = new URL("../../../shared/data/", import.meta.url);
  const sharedMissing = existsSync(shared) ? false : "../shared/data is not beside this checkout";
  it("leaves out a page type only when ../shared/data lacks a fact the catalog needs", {
    skip: sharedMissing,
  }, (t) => {
    const facts = sharedFacts();
    const reasons = new Map<string, string[]>();
    const unexplained: string[] = [];
    for (const row of published.filter((r) => !catalog.has(r.instanceType))) {
      const reason = whyLeftOut(row.instanceType, facts);
      if (reason === undefined) unexplained.push(row.instanceType);
      else reasons.set(reason, [...(reasons.get(reason) ?? []), row.instanceType]);
    }
    t.diagnostic(`${published.length} page types, ${both.length} shipped`);
    for (const [reason, names] of reasons) t.diagnostic(`${names.length} left out: ${reason}`);
    assert.deepEqual(unexplained, []);
  });

  for (const resource of compared) {
    it(`${resource}: agrees on every type in both`, (t) => {
      const differing = both
        .filter(
          (row) =>
            catalog.get(row.instanceType)?.allocatable[resource] !== row.allocatable[resource],
        )
        .map(
          (row) =>
            `${row.instanceType}: carpool ${catalog.get(row.instanceType)?.allocatable[resource]}, Karpenter ${row.allocatable[resource]}`,
        );
      const listed = both.filter((row) => row.allocatable[resource] !== undefined).length;
      t.diagnostic(
        `${resource}: ${both.length - differing.length} of ${both.length} agree (${listed} list it)`,
      );
      assert.deepEqual(differing, []);
    });
  }
});
