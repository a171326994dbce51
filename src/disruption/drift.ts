import { createHash } from "node:crypto";
import type { NodeClaim } from "../api/nodeclaim.ts";
import type { EC2NodeClass } from "../api/nodeclass.ts";
import type { NodePool } from "../api/nodepool.ts";
import type { Taint } from "../api/pod.ts";
import { Annotations, WellKnownLabelKeys } from "../api/wellknown.ts";
import { Requirements } from "../scheduling/requirements.ts";
import type { DriftReason } from "./reasons.ts";

/** The hash version carpool writes next to its own template hash on the NodeClaims it creates. */
export const CarpoolHashVersion = "carpool-v1";

/**
 * carpool's hash of a NodePool template: the fields Karpenter hashes for static drift (template
 * labels and annotations, taints, startup taints, nodeClassRef; not requirements, expireAfter or
 * terminationGracePeriod), as a SHA-256 of their canonical JSON. Recorded on each NodeClaim as
 * `karpenter.sh/nodepool-hash` with version `carpool-v1`.
 */
export function nodePoolHash(pool: NodePool): string {
  const template = pool.spec.template;
  return createHash("sha256")
    .update(
      canonicalJson({
        labels: template.metadata?.labels ?? {},
        annotations: template.metadata?.annotations ?? {},
        taints: template.spec.taints ?? [],
        startupTaints: template.spec.startupTaints ?? [],
        nodeClassRef: template.spec.nodeClassRef,
      }),
    )
    .digest("hex")
    .slice(0, 16);
}

/**
 * Whether a node has drifted from its NodePool and node class, and in which fields (Karpenter's
 * drift: static drift by the template hash recorded on the NodeClaim, requirement drift by the
 * node's labels, and the node class's own drift). The hash decides when it can be compared — the
 * NodePool's `karpenter.sh/nodepool-hash` (set by Karpenter) or carpool's own, at the same hash
 * version as the NodeClaim's; when neither can be, the template's fields are compared with the
 * NodeClaim's directly. Empty when the node is current.
 */
export function driftOf(
  pool: NodePool,
  claim: NodeClaim | undefined,
  nodeLabels: Readonly<Record<string, string>>,
  nodeClasses: readonly EC2NodeClass[],
): DriftReason[] {
  const reasons: DriftReason[] = [];
  if (claim !== undefined) reasons.push(...staticDrift(pool, claim));
  const requirements = Requirements.fromLabels(nodeLabels).compatible(
    Requirements.from(pool.spec.template.spec.requirements),
    WellKnownLabelKeys,
    "nodePool",
  );
  if (requirements.length > 0) reasons.push({ code: "requirements", reasons: requirements });
  if (claim !== undefined) reasons.push(...nodeClassDrift(claim, nodeClasses));
  return reasons;
}

function staticDrift(pool: NodePool, claim: NodeClaim): DriftReason[] {
  const claimHash = claim.metadata.annotations?.[Annotations.nodePoolHash];
  const claimVersion = claim.metadata.annotations?.[Annotations.nodePoolHashVersion];
  const poolHash = pool.metadata.annotations?.[Annotations.nodePoolHash];
  const poolVersion = pool.metadata.annotations?.[Annotations.nodePoolHashVersion];
  const fields = fieldDrift(pool, claim);
  let current: string | undefined;
  if (claimHash !== undefined && poolHash !== undefined && claimVersion === poolVersion)
    current = poolHash;
  else if (claimHash !== undefined && claimVersion === CarpoolHashVersion)
    current = nodePoolHash(pool);
  // No comparable hash: the fields the NodeClaim carries decide.
  if (current === undefined || claimHash === undefined) return fields;
  if (current === claimHash) return [];
  return fields.length > 0 ? fields : [{ code: "template_hash", recorded: claimHash, current }];
}

/** Template fields that differ from what the NodeClaim carries (a claim copies them at launch). */
function fieldDrift(pool: NodePool, claim: NodeClaim): DriftReason[] {
  const template = pool.spec.template;
  const reasons: DriftReason[] = [];
  const field = (name: string) => reasons.push({ code: "template_field", field: name });
  if (!sameTaints(template.spec.taints ?? [], claim.spec.taints ?? []))
    field("spec.template.spec.taints");
  if (!sameTaints(template.spec.startupTaints ?? [], claim.spec.startupTaints ?? []))
    field("spec.template.spec.startupTaints");
  if (canonicalJson(template.spec.nodeClassRef) !== canonicalJson(claim.spec.nodeClassRef))
    field("spec.template.spec.nodeClassRef");
  const claimLabels = claim.metadata.labels ?? {};
  for (const [key, value] of Object.entries(template.metadata?.labels ?? {}).sort()) {
    if (claimLabels[key] !== value) field(`spec.template.metadata.labels[${key}]`);
  }
  const claimAnnotations = claim.metadata.annotations ?? {};
  for (const [key, value] of Object.entries(template.metadata?.annotations ?? {}).sort()) {
    if (claimAnnotations[key] !== value) field(`spec.template.metadata.annotations[${key}]`);
  }
  return reasons;
}

/**
 * The node class side (Karpenter's AWS provider): the class's hash annotation differs from the one
 * recorded on the NodeClaim (same hash version), or the claim's image is no longer one the class
 * resolves to.
 */
function nodeClassDrift(claim: NodeClaim, nodeClasses: readonly EC2NodeClass[]): DriftReason[] {
  const ref = claim.spec.nodeClassRef;
  if (ref.kind !== "EC2NodeClass") return [];
  const nodeClass = nodeClasses.find((c) => c.metadata.name === ref.name);
  if (nodeClass === undefined) return [];
  const name = `EC2NodeClass/${ref.name}`;
  const reasons: DriftReason[] = [];
  const classHash = nodeClass.metadata.annotations?.[Annotations.nodeClassHash];
  const claimHash = claim.metadata.annotations?.[Annotations.nodeClassHash];
  const versionKey = `${Annotations.nodeClassHash}-version`;
  if (
    classHash !== undefined &&
    claimHash !== undefined &&
    classHash !== claimHash &&
    nodeClass.metadata.annotations?.[versionKey] === claim.metadata.annotations?.[versionKey]
  )
    reasons.push({ code: "node_class_hash", nodeClass: name });
  const amis = nodeClass.status?.amis;
  const imageID = claim.status?.imageID;
  if (amis !== undefined && amis.length > 0 && imageID !== undefined) {
    if (!amis.some((ami) => ami.id === imageID))
      reasons.push({ code: "ami", nodeClass: name, imageID });
  }
  return reasons;
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  const key = (t: Taint) => `${t.key}=${t.value ?? ""}:${t.effect}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((k, i) => k === right[i]);
}

/** JSON with object keys sorted at every level: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
