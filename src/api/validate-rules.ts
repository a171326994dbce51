import { tryParseQuantity } from "../resources/quantity.ts";
import { parseCron } from "./cron.ts";
import type { ExecNodeClass } from "./execnodeclass.ts";
import type { FieldError } from "./field-errors.ts";
import { hookErrors } from "./hooks.ts";
import type { InstanceTypeObject } from "./instancetype.ts";
import type { NodeClaim } from "./nodeclaim.ts";
import type { NodePool } from "./nodepool.ts";
import { nodeClaimCelErrors, nodePoolCelErrors } from "./nodepool-cel-errors.ts";
import type { Pod, PodSpec } from "./pod.ts";
import type { StaticNodeClass } from "./staticnodeclass.ts";
import { labelMapErrors } from "./validate-labels.ts";
import { requirementErrors, taintErrors } from "./validate-requirements.ts";
import { tolerationErrors } from "./validate-tolerations.ts";

/** Rules beyond the structure, per kind: what the API server and Karpenter's CRDs enforce. */
export function nodePoolErrors(nodePool: NodePool): FieldError[] {
  const spec = nodePool.spec.template.spec;
  const labels = nodePool.spec.template.metadata?.labels;
  const errors = [
    ...labelMapErrors(labels, "spec.template.metadata.labels"),
    // The CRD's CEL rules, restricted label keys among them, where the API server reports them.
    ...nodePoolCelErrors(nodePool),
    ...requirementErrors(spec.requirements, "spec.template.spec.requirements", { karpenter: true }),
    ...taintErrors(spec.taints, "spec.template.spec.taints"),
    ...taintErrors(spec.startupTaints, "spec.template.spec.startupTaints"),
    ...quantityErrors(nodePool.spec.limits, "spec.limits"),
  ];
  (nodePool.spec.disruption?.budgets ?? []).forEach((budget, i) => {
    if (budget.schedule !== undefined) {
      try {
        parseCron(budget.schedule);
      } catch (error) {
        errors.push({
          path: `spec.disruption.budgets[${i}].schedule`,
          message: (error as Error).message,
        });
      }
    }
  });
  return errors;
}

export function nodeClaimErrors(nodeClaim: NodeClaim): FieldError[] {
  return [
    // A claim carries the karpenter.sh/nodepool label its pool gave it; only pools may not require it.
    ...requirementErrors(nodeClaim.spec.requirements, "spec.requirements", {
      karpenter: true,
      use: "nodeClaimRequirement",
    }),
    ...nodeClaimCelErrors(nodeClaim),
    ...taintErrors(nodeClaim.spec.taints, "spec.taints"),
    ...quantityErrors(nodeClaim.status?.allocatable, "status.allocatable"),
    ...quantityErrors(nodeClaim.status?.capacity, "status.capacity"),
  ];
}

export function podSpecErrors(spec: PodSpec, path: string): FieldError[] {
  const errors: FieldError[] = [...labelMapErrors(spec.nodeSelector, `${path}.nodeSelector`)];
  errors.push(...tolerationErrors(spec.tolerations, `${path}.tolerations`));
  for (const [kind, containers] of [
    ["containers", spec.containers],
    ["initContainers", spec.initContainers ?? []],
  ] as const) {
    containers.forEach((container, i) => {
      const at = `${path}.${kind}[${i}].resources`;
      errors.push(...quantityErrors(container.resources?.requests, `${at}.requests`));
      errors.push(...quantityErrors(container.resources?.limits, `${at}.limits`));
    });
  }
  errors.push(...quantityErrors(spec.overhead, `${path}.overhead`));
  const terms =
    spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms ?? [];
  terms.forEach((term, i) => {
    const at = `${path}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`;
    errors.push(
      ...requirementErrors(term.matchExpressions, `${at}.matchExpressions`, { karpenter: false }),
    );
  });
  return errors;
}

export function podErrors(pod: Pod): FieldError[] {
  return [
    ...labelMapErrors(pod.metadata.labels, "metadata.labels"),
    ...podSpecErrors(pod.spec, "spec"),
  ];
}

export function instanceTypeErrors(instanceType: InstanceTypeObject): FieldError[] {
  return [
    ...quantityErrors(instanceType.spec.capacity, "spec.capacity"),
    ...quantityErrors(instanceType.spec.overhead, "spec.overhead"),
    ...labelMapErrors(instanceType.spec.labels, "spec.labels"),
  ];
}

function quantityErrors(
  list: Readonly<Record<string, string | number>> | undefined,
  path: string,
): FieldError[] {
  return Object.entries(list ?? {}).flatMap(([resource, text]) => {
    const parsed = tryParseQuantity(text);
    return parsed.ok ? [] : [{ path: `${path}.${resource}`, message: parsed.message }];
  });
}

/** A site's machines: unique names, one capacity and label set per instance type, valid hooks. */
export function staticNodeClassErrors(nodeClass: StaticNodeClass): FieldError[] {
  const errors: FieldError[] = [
    ...hookErrors(nodeClass.spec.powerOn, "spec.powerOn"),
    ...hookErrors(nodeClass.spec.powerOff, "spec.powerOff"),
  ];
  if (nodeClass.spec.bootstrap.k3s === undefined)
    errors.push({
      path: "spec.bootstrap",
      message: "needs k3s (the bootstrap own machines join with)",
    });
  const names = new Map<string, number>();
  const types = new Map<string, { index: number; capacity: string; labels: string }>();
  nodeClass.spec.machines.forEach((machine, i) => {
    const at = `spec.machines[${i}]`;
    const first = names.get(machine.name);
    if (first !== undefined)
      errors.push({
        path: `${at}.name`,
        message: `${machine.name} is also spec.machines[${first}]`,
      });
    else names.set(machine.name, i);
    errors.push(...quantityErrors(machine.capacity, `${at}.capacity`));
    errors.push(...labelMapErrors(machine.labels, `${at}.labels`));
    const shape = {
      index: i,
      capacity: JSON.stringify(Object.entries(machine.capacity).sort()),
      labels: JSON.stringify(Object.entries(machine.labels ?? {}).sort()),
    };
    const type = types.get(machine.instanceType);
    if (type === undefined) types.set(machine.instanceType, shape);
    else if (type.capacity !== shape.capacity || type.labels !== shape.labels)
      errors.push({
        path: `${at}.instanceType`,
        message: `${machine.instanceType} has another capacity or labels in spec.machines[${type.index}]; one instance type, one shape`,
      });
  });
  return errors;
}

export function execNodeClassErrors(nodeClass: ExecNodeClass): FieldError[] {
  return hookErrors(nodeClass.spec.provider, "spec.provider");
}
