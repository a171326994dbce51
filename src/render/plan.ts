import type { Plan, PlannedNodeClaim } from "../solver/plan.ts";
import { abbreviateList, formatPrice, renderTable } from "./table.ts";
import { plainStyle, type TextStyle } from "./text-style.ts";

/**
 * `carpool plan -o table`: new nodes, pods placed on existing capacity, unschedulable pods,
 * summary. PRICE/H is what a node costs, its volumes and public IPv4 address included; `wide`
 * (`-o wide`) shows those parts beside it.
 */
export function renderPlanTable(
  plan: Plan,
  options: { wide?: boolean; style?: TextStyle } = {},
): string {
  const style = options.style ?? plainStyle;
  const sections: string[] = [];
  if (plan.nodeClaims.length > 0) {
    const wide = options.wide === true;
    sections.push(
      renderTable(
        [
          "NEW NODE",
          "POOL",
          "INSTANCE TYPE",
          "ZONE",
          "CAPACITY",
          ...(wide ? ["INSTANCE/H", "VOLUMES/H", "IPV4/H"] : []),
          "PRICE/H",
          "PODS",
        ],
        plan.nodeClaims.map((claim) => [
          claim.name,
          claim.nodePool,
          claim.instanceType,
          claim.zone,
          claim.capacityType,
          ...(wide
            ? [
                claimPrice(claim, claim.priceParts.instance),
                formatPrice(claim.priceParts.volumes),
                formatPrice(claim.priceParts.publicIPv4),
              ]
            : []),
          claimPrice(claim, claim.totalPrice),
          `${claim.pods.length}: ${abbreviateList(claim.pods)}`,
        ]),
        style,
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
        style,
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
        style,
      ),
    );
  }
  sections.push(renderSummary(plan, options.wide === true, style));
  return `${sections.join("\n\n")}\n`;
}

/** A stand-in price carries a mark, explained under the summary, so it never reads as a quote. */
const standInMark = "*";

function claimPrice(claim: PlannedNodeClaim, price: number): string {
  return `${formatPrice(price)}${claim.priceStandIn === true ? standInMark : ""}`;
}

function renderSummary(plan: Plan, wide: boolean, style: TextStyle): string {
  const s = plan.summary;
  const unschedulable =
    s.unschedulable > 0
      ? style.problem(`${s.unschedulable} unschedulable`)
      : `${s.unschedulable} unschedulable`;
  const nodes = `${s.newNodes} new node${s.newNodes === 1 ? "" : "s"}`;
  const extras = s.hourlyTotalCost - s.hourlyCost;
  // Only where something besides the instances is paid for, so catalogs of whole prices read as before.
  const parts =
    wide || extras > 5e-7
      ? ` (instances ${formatPrice(s.hourlyCost)}, volumes and addresses ${formatPrice(extras)})`
      : "";
  return (
    `${s.pods} pending pod${s.pods === 1 ? "" : "s"}: ${s.onExistingNodes} on existing capacity, ` +
    `${s.onNewNodes} on ${nodes}, ${unschedulable}. ` +
    `New nodes cost ${formatPrice(s.hourlyTotalCost)} per hour${parts}.` +
    standInNote(s.standInPrices)
  );
}

function standInNote(standIns: number | undefined): string {
  if (standIns === undefined || standIns === 0) return "";
  const which = standIns === 1 ? "1 new node's price is" : `${standIns} new nodes' prices are`;
  return (
    `\n${standInMark} ${which} a stand-in: the catalog knows no spot price, so spot is shown at ` +
    "the on-demand price, an upper bound (a user catalog with real spot prices replaces it)."
  );
}
