import type { EC2NodeClass, EC2NodeClassSpec } from "./ec2nodeclass.ts";
import {
  AliasFamilies,
  aliasRules,
  amiFamilyRequired,
  amiTermRules,
  blockDeviceRules,
  type CelRule,
  capacityReservationTermRules,
  EvictionSignals,
  emptyInstanceProfile,
  emptyRole,
  evictionSignalRule,
  familyOfAlias,
  kubeletRules,
  ReservedResourceKeys,
  reservedRules,
  restrictedTagRules,
  roleXorInstanceProfile,
  securityGroupTermRules,
  selectorTagsNotEmpty,
  specRules,
  subnetTermRules,
  WindowsAliasFamilies,
} from "./ec2nodeclass-cel.ts";
import type { KubeletConfiguration } from "./ec2nodeclass-kubelet.ts";
import type { FieldError } from "./field-errors.ts";

/**
 * Karpenter's EC2NodeClass CEL rules (ec2nodeclass-cel.ts) evaluated by carpool, each reported at
 * the field the CRD puts it on, with the CRD's message: what the API server answers, offline. The
 * structure (patterns, enums, limits) is checked before, from the same schema.
 */
export function ec2NodeClassErrors(nodeClass: EC2NodeClass): FieldError[] {
  const spec = nodeClass.spec;
  if (spec === undefined) return [];
  const errors: FieldError[] = [];
  const fail: Fail = (path, rule) => {
    errors.push({ path, message: rule.message });
  };
  const has = (value: unknown) => value !== undefined;

  for (const rule of specLevelErrors(spec)) fail("spec", rule);

  const subnets = spec.subnetSelectorTerms;
  if (subnets.length === 0) fail("spec.subnetSelectorTerms", subnetTermRules.notEmpty);
  if (!subnets.every((t) => has(t.tags) || has(t.id)))
    fail("spec.subnetSelectorTerms", subnetTermRules.oneField);
  // `!self.all(...)` in Karpenter's CRD: refused only when every term has both (an empty list too).
  if (subnets.every((t) => has(t.id) && has(t.tags)))
    fail("spec.subnetSelectorTerms", subnetTermRules.idExclusive);
  subnets.forEach((t, i) => {
    tagErrors(t.tags, `spec.subnetSelectorTerms[${i}].tags`, fail);
  });

  const groups = spec.securityGroupSelectorTerms;
  if (groups.length === 0) fail("spec.securityGroupSelectorTerms", securityGroupTermRules.notEmpty);
  if (!groups.every((t) => has(t.tags) || has(t.id) || has(t.name)))
    fail("spec.securityGroupSelectorTerms", securityGroupTermRules.oneField);
  if (groups.every((t) => has(t.id) && (has(t.tags) || has(t.name))))
    fail("spec.securityGroupSelectorTerms", securityGroupTermRules.idExclusive);
  if (groups.every((t) => has(t.name) && (has(t.tags) || has(t.id))))
    fail("spec.securityGroupSelectorTerms", securityGroupTermRules.nameExclusive);
  groups.forEach((t, i) => {
    tagErrors(t.tags, `spec.securityGroupSelectorTerms[${i}].tags`, fail);
  });

  const reservations = spec.capacityReservationSelectorTerms;
  if (reservations !== undefined) {
    const at = "spec.capacityReservationSelectorTerms";
    if (!reservations.every((t) => has(t.tags) || has(t.id) || has(t.instanceMatchCriteria)))
      fail(at, capacityReservationTermRules.oneField);
    if (
      reservations.every(
        (t) => has(t.id) && (has(t.tags) || has(t.ownerID) || has(t.instanceMatchCriteria)),
      )
    )
      fail(at, capacityReservationTermRules.idExclusive);
    reservations.forEach((t, i) => {
      tagErrors(t.tags, `${at}[${i}].tags`, fail);
    });
  }

  const amis = spec.amiSelectorTerms;
  const at = "spec.amiSelectorTerms";
  if (!amis.every((t) => [t.tags, t.id, t.name, t.alias, t.ssmParameter].some(has)))
    fail(at, amiTermRules.oneField);
  if (amis.some((t) => has(t.id) && [t.alias, t.tags, t.name, t.owner].some(has)))
    fail(at, amiTermRules.idExclusive);
  if (amis.some((t) => has(t.alias) && [t.id, t.tags, t.name, t.owner].some(has)))
    fail(at, amiTermRules.aliasExclusiveFields);
  if (amis.some((t) => has(t.alias)) && amis.length !== 1)
    fail(at, amiTermRules.aliasExclusiveTerms);
  amis.forEach((term, i) => {
    tagErrors(term.tags, `${at}[${i}].tags`, fail);
    for (const rule of aliasErrors(term.alias)) fail(`${at}[${i}].alias`, rule);
  });

  if (spec.role === "") fail("spec.role", emptyRole);
  if (spec.instanceProfile === "") fail("spec.instanceProfile", emptyInstanceProfile);
  for (const rule of restrictedTagErrors(spec.tags)) fail("spec.tags", rule);
  if (spec.kubelet !== undefined) kubeletErrors(spec.kubelet, fail);

  const devices = spec.blockDeviceMappings;
  if (devices !== undefined) {
    if (devices.filter((d) => d.rootVolume === true).length > 1)
      fail("spec.blockDeviceMappings", blockDeviceRules.oneRootVolume);
    devices.forEach(({ ebs }, i) => {
      if (ebs === undefined) return;
      const path = `spec.blockDeviceMappings[${i}].ebs`;
      if (!has(ebs.snapshotID) && !has(ebs.volumeSize)) fail(path, blockDeviceRules.sizeOrSnapshot);
      if (has(ebs.volumeInitializationRate) && !ebs.snapshotID)
        fail(path, blockDeviceRules.initializationRateNeedsSnapshot);
    });
  }
  return errors;
}

type Fail = (path: string, rule: CelRule) => void;

/** The rules on spec itself, in the CRD's order (specRules()). */
function specLevelErrors(spec: EC2NodeClassSpec): CelRule[] {
  const failed: CelRule[] = [];
  if ((spec.role !== undefined) === (spec.instanceProfile !== undefined))
    failed.push(roleXorInstanceProfile);
  const aliasFamilies = spec.amiSelectorTerms.flatMap((t) =>
    t.alias === undefined ? [] : [/^[^@]+/.exec(t.alias)?.[0] ?? ""],
  );
  const [, ...aliasFamilyRules] = specRules();
  AliasFamilies.forEach((alias, i) => {
    const family = familyOfAlias(alias);
    const rule = aliasFamilyRules[i];
    if (spec.amiFamily === undefined || rule === undefined || !aliasFamilies.includes(alias))
      return;
    if (spec.amiFamily !== "Custom" && spec.amiFamily !== family) failed.push(rule);
  });
  if (aliasFamilies.length === 0 && spec.amiFamily === undefined) failed.push(amiFamilyRequired);
  return failed;
}

function aliasErrors(alias: string | undefined): CelRule[] {
  if (alias === undefined) return [];
  const failed: CelRule[] = [];
  if (!/^[a-zA-Z0-9]+@.+$/.test(alias)) failed.push(aliasRules.format);
  const [family, version] = alias.split("@");
  if (!(AliasFamilies as readonly string[]).includes(family ?? "")) failed.push(aliasRules.family);
  if ((WindowsAliasFamilies as readonly string[]).includes(family ?? "") && version !== "latest")
    failed.push(aliasRules.windowsLatest);
  return failed;
}

function tagErrors(tags: Readonly<Record<string, string>> | undefined, path: string, fail: Fail) {
  if (tags !== undefined && Object.entries(tags).some(([k, v]) => k === "" || v === ""))
    fail(path, selectorTagsNotEmpty);
}

function restrictedTagErrors(tags: Readonly<Record<string, string>> | undefined): CelRule[] {
  const keys = Object.keys(tags ?? {});
  const r = restrictedTagRules;
  return [
    [r.emptyKey, (k: string) => k === ""],
    [r.eksClusterName, (k: string) => k === "eks:eks-cluster-name"],
    [r.kubernetesCluster, (k: string) => k.startsWith("kubernetes.io/cluster")],
    [r.nodePool, (k: string) => k === "karpenter.sh/nodepool"],
    [r.nodeClaim, (k: string) => k === "karpenter.sh/nodeclaim"],
    [r.nodeClass, (k: string) => k === "karpenter.k8s.aws/ec2nodeclass"],
  ].flatMap(([rule, restricted]) =>
    keys.some(restricted as (k: string) => boolean) ? [rule as CelRule] : [],
  );
}

function kubeletErrors(kubelet: KubeletConfiguration, fail: Fail): void {
  const at = "spec.kubelet";
  const { imageGCHighThresholdPercent: high, imageGCLowThresholdPercent: low } = kubelet;
  if (high !== undefined && low !== undefined && !(high > low)) fail(at, kubeletRules.imageGC);
  const soft = Object.keys(kubelet.evictionSoft ?? {});
  const grace = Object.keys(kubelet.evictionSoftGracePeriod ?? {});
  if (kubelet.evictionSoft !== undefined && !soft.every((k) => grace.includes(k)))
    fail(at, kubeletRules.softHasGracePeriod);
  if (kubelet.evictionSoftGracePeriod !== undefined && !grace.every((k) => soft.includes(k)))
    fail(at, kubeletRules.gracePeriodHasSoft);
  for (const field of ["kubeReserved", "systemReserved"] as const) {
    const reserved = kubelet[field];
    if (reserved === undefined) continue;
    const [keys, negative] = reservedRules(field);
    if (
      keys &&
      !Object.keys(reserved).every((k) => (ReservedResourceKeys as readonly string[]).includes(k))
    )
      fail(`${at}.${field}`, keys);
    if (negative && Object.values(reserved).some((v) => v.startsWith("-")))
      fail(`${at}.${field}`, negative);
  }
  for (const field of ["evictionHard", "evictionSoft", "evictionSoftGracePeriod"] as const) {
    const signals = kubelet[field];
    if (
      signals !== undefined &&
      !Object.keys(signals).every((k) => (EvictionSignals as readonly string[]).includes(k))
    )
      fail(`${at}.${field}`, evictionSignalRule(field));
  }
}
