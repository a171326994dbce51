import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseResources, type Resources } from "../resources/resource-list.ts";
import { awsCatalog } from "./aws-catalog.ts";

/** One row of the committed extract of Karpenter's published allocatable (see its header). */
interface PublishedFigures {
  readonly instanceType: string;
  readonly allocatable: Resources;
}

const compared = ["cpu", "memory", "ephemeral-storage", "pods", "nvidia.com/gpu"] as const;

function publishedFigures(): PublishedFigures[] {
  const text = readFileSync(new URL("./data/karpenter-allocatable.txt", import.meta.url), "utf8");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("#"))
    .map((line) => {
      const [instanceType = "", cpu, memory, storage, pods, gpus] = line.trim().split(/\s+/);
      const parsed = parseResources({
        cpu: cpu ?? "",
        memory: memory ?? "",
        "ephemeral-storage": storage ?? "",
        pods: pods ?? "",
        ...(gpus !== undefined && { "nvidia.com/gpu": gpus }),
      });
      assert.ok(parsed.ok, `${instanceType}: ${JSON.stringify(parsed)}`);
      return { instanceType, allocatable: parsed.resources };
    });
}

// Karpenter's reference page lists, per EC2 type, the allocatable its AWS provider computes for
// an AL2023 node without blockDeviceMappings (karpenter-provider-aws
// pkg/providers/instancetype/types.go: memory less Graviton's 64 MiB and VM_MEMORY_OVERHEAD_PERCENT,
// kube-reserved by the EKS formulas, eviction at memory.available 100Mi and nodefs.available 10%).
describe("the built-in AWS catalog against Karpenter's published allocatable", () => {
  const published = publishedFigures();
  const catalog = new Map(awsCatalog("us-east-1").instanceTypes.map((t) => [t.name, t]));
  const both = published.filter((row) => catalog.has(row.instanceType));

  it("ships every type of the extract (all have facts and a price in ../shared/data)", () => {
    assert.deepEqual(
      published.filter((row) => !catalog.has(row.instanceType)).map((row) => row.instanceType),
      [],
    );
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
      t.diagnostic(`${resource}: ${both.length - differing.length} of ${both.length} agree`);
      assert.deepEqual(differing, []);
    });
  }
});
