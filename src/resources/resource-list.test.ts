import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  addResources,
  fitsIn,
  formatResourceAmount,
  formatResources,
  parseResources,
  shortfalls,
  subtractResources,
} from "./resource-list.ts";

describe("resource lists in scheduler units (kube-scheduler framework.Resource)", () => {
  it("cpu is kept in milli-units, memory and others in whole units rounded up", () => {
    const parsed = parseResources({ cpu: "1.5", memory: "100m", "nvidia.com/gpu": 1, pods: "110" });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.resources, { cpu: 1500, memory: 1, "nvidia.com/gpu": 1, pods: 110 });
  });
  it("every invalid quantity is reported, naming the resource", () => {
    const parsed = parseResources({ cpu: "lots", memory: "1Gi", pods: "x" });
    assert.ok(!parsed.ok);
    assert.deepEqual(
      parsed.errors.map((e) => e.resource),
      ["cpu", "pods"],
    );
  });
  it("a value beyond exact integers is an error, not a silent float", () => {
    assert.ok(!parseResources({ memory: "100E" }).ok);
  });
  it("formats amounts the way Kubernetes writes them", () => {
    assert.equal(formatResourceAmount("cpu", 1500), "1500m");
    assert.equal(formatResourceAmount("cpu", 2000), "2");
    assert.equal(formatResourceAmount("memory", 3 * 1024 ** 3), "3Gi");
    assert.equal(formatResourceAmount("memory", 512 * 1024 ** 2), "512Mi");
    assert.equal(formatResourceAmount("pods", 29), "29");
    assert.deepEqual(formatResources({ pods: 3, cpu: 250 }), { cpu: "250m", pods: "3" });
  });
  it("zero requests are ignored and missing resources count as zero (NodeResourcesFit)", () => {
    assert.ok(fitsIn({ cpu: 100, "example.com/dongle": 0 }, { cpu: 100 }));
    assert.ok(!fitsIn({ "nvidia.com/gpu": 1 }, { cpu: 4000 }));
    assert.deepEqual(shortfalls({ cpu: 200, memory: 5 }, { cpu: 100, memory: 10 }), [
      { resource: "cpu", requested: 200, available: 100 },
    ]);
  });
  it("subtract undoes add for any resource lists", () => {
    const list = fc.dictionary(
      fc.constantFrom("cpu", "memory", "pods", "nvidia.com/gpu"),
      fc.integer({ min: 0, max: 2 ** 40 }),
    );
    fc.assert(
      fc.property(list, list, (a, b) => {
        const back = subtractResources(addResources(a, b), b);
        for (const resource of Object.keys(a)) assert.equal(back[resource], a[resource]);
      }),
      { seed: 7 },
    );
  });
});
