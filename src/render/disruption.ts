import type { DisruptionPlan } from "../disrupt.ts";
import { formatDuration } from "../disruption/duration.ts";
import type {
  BlockReason,
  CommandDetail,
  DriftReason,
  EvictionRefusal,
} from "../disruption/reasons.ts";
import { renderReason } from "./reasons.ts";
import { abbreviateList, formatPrice, renderTable } from "./table.ts";
import { plainStyle, type TextStyle } from "./text-style.ts";

/** Why a node is left alone, in plain words. */
export function renderBlockReason(reason: BlockReason): string {
  switch (reason.code) {
    case "node_do_not_disrupt":
      return `the ${reason.object} has karpenter.sh/do-not-disrupt`;
    case "pod_do_not_disrupt":
      return `pod ${reason.pod} has karpenter.sh/do-not-disrupt${reason.until === undefined ? "" : ` until ${new Date(reason.until).toISOString()}`}`;
    case "eviction":
      return renderRefusal(reason.refusal);
    case "not_initialized":
      return "its NodeClaim is not initialized yet";
    case "when_empty":
      return `its NodePool consolidates only empty nodes (consolidationPolicy WhenEmpty) and it runs ${reason.pods} pod${reason.pods === 1 ? "" : "s"}`;
    case "consolidate_never":
      return "its NodePool never consolidates (consolidateAfter: Never)";
    case "static_pool":
      return `its NodePool is static (spec.replicas: ${reason.replicas}): consolidation does not apply`;
    case "consolidate_after":
      return `consolidateAfter ${reason.after} not yet reached (${formatDuration(reason.remainingMs)} to go)`;
    case "budget":
      return `NodePool ${reason.nodePool}'s disruption budget for ${reason.reason} allows ${reason.allowed === 0 ? "no more nodes" : `${reason.allowed} more node${reason.allowed === 1 ? "" : "s"}`} now`;
    case "price_unknown":
      return `its price is not known (instance type ${reason.instanceType ?? "unlabelled"} is not in the catalog)`;
    case "nowhere_to_go":
      return `pod ${reason.pod} would have nowhere to go${reason.reasons.length > 0 ? `: ${reason.reasons.slice(0, 2).map(renderReason).join("; ")}` : ""}`;
    case "not_cheaper":
      return `no cheaper placement: its pods need a ${formatPrice(reason.cheapest)}/h node, and it costs ${formatPrice(reason.current)}/h`;
    case "multiple_replacements":
      return `no cheaper placement: its pods would need ${reason.count} new nodes (consolidation replaces with at most one)`;
    case "spot_to_spot_disabled":
      return "spot-to-spot consolidation is disabled";
    case "spot_to_spot_flexibility":
      return `spot-to-spot consolidation needs ${reason.needed} cheaper instance types, only ${reason.cheaper} fit`;
    case "balanced_rejected":
      return `consolidationPolicy Balanced: ${reason.deleteOnly ? "even deleting it would save" : "the move saves"} ${percent(reason.savingsFraction)} of its NodePool's cost for ${percent(reason.disruptionFraction)} of its disruption (score ${reason.score.toFixed(2)}, needs ${reason.threshold.toFixed(2)})`;
  }
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function renderRefusal(refusal: EvictionRefusal): string {
  switch (refusal.code) {
    case "pdb_multiple":
      return `pod ${refusal.pod} is selected by more than one PodDisruptionBudget (${refusal.budgets.join(", ")}), so it cannot be evicted`;
    case "pdb_exhausted":
      return `PodDisruptionBudget ${refusal.budget} allows no disruption of pod ${refusal.pod} now`;
    case "pdb_insufficient":
      return `PodDisruptionBudget ${refusal.budget} allows ${refusal.allowed} more eviction${refusal.allowed === 1 ? "" : "s"}, the node's pods need at least ${refusal.needed}`;
  }
}

export function renderDrift(reason: DriftReason): string {
  switch (reason.code) {
    case "template_field":
      return `${reason.field} changed`;
    case "template_hash":
      return `NodePool template changed (hash ${reason.recorded} → ${reason.current})`;
    case "requirements":
      return reason.reasons.map(renderReason).join("; ");
    case "node_class_hash":
      return `${reason.nodeClass} changed`;
    case "ami":
      return `image ${reason.imageID} is no longer one ${reason.nodeClass} selects`;
    case "provider":
      return `the cloud provider reports ${reason.reason}`;
  }
}

/** What a command does and why, in a sentence. */
export function renderDetail(detail: CommandDetail): string {
  switch (detail.code) {
    case "empty":
      return "empty: only daemonset pods run there";
    case "drifted":
      return `drifted: ${detail.drift.map(renderDrift).join("; ")}`;
    case "expired":
      return `expired: older than expireAfter ${detail.expireAfter} by ${formatDuration(detail.overdueMs)}${detail.waiting.length > 0 ? `; drain waits for ${abbreviateList(detail.waiting, 3)} until terminationGracePeriod` : ""}`;
    case "underutilized": {
      const moved = `${detail.moved} pod${detail.moved === 1 ? "" : "s"} fit${detail.moved === 1 ? "s" : ""} on other nodes`;
      if (detail.replacements === 0) return `underutilized: ${moved}`;
      if (detail.moved === 0) return "underutilized: its pods fit on a cheaper replacement";
      return `underutilized: ${moved}, the rest on a cheaper replacement`;
    }
  }
}

/**
 * `carpool disrupt -o table`: the commands in order, the nodes left alone, and the cost. `wide`
 * lists every node of a command (the table shortens after three) and the pods that move.
 */
export function renderDisruptionTable(
  plan: DisruptionPlan,
  options: { wide?: boolean; style?: TextStyle } = {},
): string {
  const wide = options.wide === true;
  const style = options.style ?? plainStyle;
  const sections: string[] = [];
  if (plan.commands.length > 0) {
    sections.push(
      renderTable(
        [
          "#",
          "ACTION",
          "REASON",
          "NODES",
          "REPLACEMENTS",
          "SAVINGS/H",
          ...(wide ? ["PODS MOVED", "STRANDED"] : []),
          "WHY",
        ],
        plan.commands.map((command, i) => [
          String(i + 1),
          command.action,
          command.reason,
          wide ? command.nodes.join(", ") : abbreviateList(command.nodes, 3),
          command.replacements.length === 0
            ? "-"
            : command.replacements
                .map((r) => `${r.instanceType} ${r.capacityType} ${r.zone} ${formatPrice(r.price)}`)
                .join(", "),
          formatPrice(command.savings),
          ...(wide ? [String(command.moves.length), String(command.stranded.length)] : []),
          command.why,
        ]),
        style,
      ),
    );
  }
  if (plan.blocked.length > 0) {
    sections.push(
      renderTable(
        ["LEFT ALONE", "REASON"],
        plan.blocked.map((b) => [b.node, b.reason]),
        style,
      ),
    );
  }
  const s = plan.summary;
  sections.push(
    `${s.nodes} node${s.nodes === 1 ? "" : "s"}: ${s.disrupted} disrupted by ${plan.commands.length} command${plan.commands.length === 1 ? "" : "s"}, ${plan.blocked.length} left alone. ` +
      `Hourly cost ${formatPrice(s.hourlyCostBefore)} → ${formatPrice(s.hourlyCostAfter)}.`,
  );
  return `${sections.join("\n\n")}\n`;
}
