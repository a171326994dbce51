import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { plan } from "../plan.ts";

const dir = new URL("../../examples/eks-overlay/", import.meta.url);
const objects: Record<string, unknown>[] = readdirSync(dir)
  .filter((file) => file.endsWith(".yaml"))
  .flatMap((file) => parseAllDocuments(readFileSync(new URL(file, dir), "utf8")))
  .map((document) => document.toJS());
const without = (kind: string) => objects.filter((o) => o.kind !== kind);

// examples/eks-overlay planned end to end: the overlays change what the plan buys, and the
// CapacityBuffer's virtual pods are planned beside the real ones (Karpenter's provisioner).
describe("plan with NodeOverlays and a CapacityBuffer (examples/eks-overlay)", () => {
  it("the savings-plan overlay makes m7i the cheapest choice, at 70 % of its listed price", () => {
    const [claim] = plan(objects).nodeClaims;
    assert.match(claim?.instanceType ?? "", /^m7i\./);
    const listed = plan(
      without("NodeOverlay").filter(
        (o) => o.metadata && (o.metadata as { name?: string }).name !== "licensed-agent",
      ),
    ).nodeClaims;
    assert.ok(
      listed.every((c) => !c.instanceType.startsWith("m7i.")),
      "without the overlay m7i is not chosen",
    );
  });
  it("the licensed pod is placed only because the license-seats overlay adds the resource", () => {
    assert.equal(plan(objects).summary.unschedulable, 0);
    const unschedulable = plan(without("NodeOverlay")).unschedulable.map((u) => u.pod);
    assert.deepEqual(unschedulable, ["shop/licensed-agent"]);
  });
  it("the buffer's two virtual pods are planned as pending pods", () => {
    const pods = plan(objects).nodeClaims.flatMap((claim) => claim.pods);
    assert.deepEqual(pods.filter((p) => p.includes("capacity-buffer")).sort(), [
      "shop/capacity-buffer-web-headroom-1",
      "shop/capacity-buffer-web-headroom-2",
    ]);
    assert.equal(plan(without("CapacityBuffer")).summary.pods, 4);
  });
});
