import type { Plan } from "../solver/plan.ts";
import { abbreviateList, formatPrice, renderTable } from "./table.ts";

/** `carpool plan -o table`: new nodes, pods placed on existing capacity, unschedulable pods, summary. */
export function renderPlanTable(plan: Plan): string {
  const sections: string[] = [];
  if (plan.nodeClaims.length > 0) {
    sections.push(
      renderTable(
        ["NEW NODE", "POOL", "INSTANCE TYPE", "ZONE", "CAPACITY", "PRICE/H", "PODS"],
        plan.nodeClaims.map((claim) => [
          claim.name,
          claim.nodePool,
          claim.instanceType,
          claim.zone,
          claim.capacityType,
          formatPrice(claim.price),
          `${claim.pods.length}: ${abbreviateList(claim.pods)}`,
        ]),
      ),
    );
  }
  if (plan.existingNodes.length > 0) {
    sections.push(
      renderTable(
        ["EXISTING NODE", "PODS"],
        plan.existingNodes.map((node) => [
          node.name,
          `${node.pods.length}: ${abbreviateList(node.pods)}`,
        ]),
      ),
    );
  }
  if (plan.unschedulable.length > 0) {
    sections.push(
      renderTable(
        ["UNSCHEDULABLE POD", "TARGET", "REASON"],
        plan.unschedulable.flatMap((pod) =>
          pod.reasons.length === 0
            ? [[pod.pod, "-", "no NodePool or node to consider"]]
            : pod.reasons.map((reason, i) => [
                i === 0 ? pod.pod : "",
                reason.target,
                reason.reason,
              ]),
        ),
      ),
    );
  }
  sections.push(renderSummary(plan));
  return `${sections.join("\n\n")}\n`;
}

function renderSummary(plan: Plan): string {
  const s = plan.summary;
  const nodes = `${s.newNodes} new node${s.newNodes === 1 ? "" : "s"}`;
  return (
    `${s.pods} pending pod${s.pods === 1 ? "" : "s"}: ${s.onExistingNodes} on existing capacity, ` +
    `${s.onNewNodes} on ${nodes}, ${s.unschedulable} unschedulable. ` +
    `New nodes cost ${formatPrice(s.hourlyCost)} per hour.`
  );
}
