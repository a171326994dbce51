import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { plan } from "../plan.ts";
import { ProgressFromPods, podProgress } from "./progress.ts";

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { isTTY, writes, write: (text: string) => writes.push(text) };
}

describe("progress on a terminal for large plans (issue 16)", () => {
  it("draws at most once per whole percent and erases itself", () => {
    const terminal = sink(true);
    const progress = podProgress(terminal, "planning");
    for (let i = 1; i <= 4000; i++) progress.update(i, 4000);
    progress.done();
    assert.equal(terminal.writes.length, 101 + 1);
    assert.equal(terminal.writes[0], "\rplanning 1/4000 pods 0%");
    assert.equal(terminal.writes.at(-2), "\rplanning 4000/4000 pods 100%");
    assert.equal(terminal.writes.at(-1), "\r\x1b[K");
  });
  it("writes nothing to a pipe or a file, nor for a small input", () => {
    const pipe = sink(false);
    const piped = podProgress(pipe, "planning");
    piped.update(5000, 5000);
    piped.done();
    const small = sink(true);
    const few = podProgress(small, "planning");
    few.update(ProgressFromPods - 1, ProgressFromPods - 1);
    few.done();
    assert.deepEqual([pipe.writes, small.writes], [[], []]);
  });
  it("the solver reports each pending pod as it is placed", () => {
    const seen: [number, number][] = [];
    const pods = Array.from({ length: 3 }, (_, i) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `p${i}`, namespace: "default" },
      spec: { containers: [{ name: "c", image: "i", resources: { requests: { cpu: "100m" } } }] },
    }));
    const pool = {
      apiVersion: "karpenter.sh/v1",
      kind: "NodePool",
      metadata: { name: "default" },
      spec: {
        template: {
          spec: {
            nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" },
            requirements: [],
          },
        },
      },
    };
    plan([pool, ...pods], { onProgress: (placed, total) => seen.push([placed, total]) });
    assert.deepEqual(seen, [
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });
});
