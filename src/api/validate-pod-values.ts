import { compareQuantity, tryParseQuantity } from "../resources/quantity.ts";
import type { FieldError } from "./field-errors.ts";
import { nameProblems } from "./names.ts";
import type { Container, PodAffinityTerm, PodSpec } from "./pod.ts";
import { labelSelectorErrors } from "./validate-label-selector.ts";

/**
 * Values of a pod spec the API server refuses although they have the right type (core/v1
 * ValidatePodSpec): containers with DNS-label names, unique, at least one; requests and limits
 * not negative, a request not above its limit; label selectors it can parse. Messages follow the
 * API server's (`Invalid value: "-1": must be greater than or equal to 0`). The image the API
 * server also requires is not: a plan needs none, and sketches of pods (the plan contract's
 * examples, library callers) leave it out.
 */
export function podValueErrors(spec: PodSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (spec.containers.length === 0)
    errors.push({ path: `${path}.containers`, message: "Required value" });
  const names = new Set<string>();
  for (const [kind, containers] of [
    ["containers", spec.containers],
    ["initContainers", spec.initContainers ?? []],
  ] as const) {
    containers.forEach((container, i) => {
      const at = `${path}.${kind}[${i}]`;
      errors.push(...containerNameErrors(container, names, `${at}.name`));
      errors.push(...resourceValueErrors(container, `${at}.resources`));
    });
  }
  errors.push(...affinitySelectorErrors(spec, path));
  (spec.topologySpreadConstraints ?? []).forEach((constraint, i) => {
    errors.push(
      ...labelSelectorErrors(
        constraint.labelSelector,
        `${path}.topologySpreadConstraints[${i}].labelSelector`,
      ),
    );
  });
  return errors;
}

function containerNameErrors(container: Container, names: Set<string>, path: string): FieldError[] {
  // Init containers share the name space of containers (validateInitContainers).
  if (names.has(container.name))
    return [{ path, message: `Duplicate value: ${JSON.stringify(container.name)}` }];
  names.add(container.name);
  if (container.name === "") return [{ path, message: "Required value" }];
  return nameProblems(container.name, "dns1123Label").map((problem) => ({
    path,
    message: `Invalid value: ${JSON.stringify(container.name)}: ${problem}`,
  }));
}

function resourceValueErrors(container: Container, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  for (const [list, field] of [
    [requests, "requests"],
    [limits, "limits"],
  ] as const) {
    for (const [resource, text] of Object.entries(list)) {
      // Only a value written with a minus can be negative: the rest need no parsing here.
      if (!String(text).trimStart().startsWith("-")) continue;
      const parsed = tryParseQuantity(text);
      if (parsed.ok && parsed.quantity.nano < 0n)
        errors.push({
          path: `${path}.${field}.${resource}`,
          message: `Invalid value: ${JSON.stringify(String(text))}: must be greater than or equal to 0`,
        });
    }
  }
  // ValidateResourceRequirements: a request above its limit is refused, as the kubelet could
  // never honour it.
  for (const [resource, requestText] of Object.entries(requests)) {
    const limitText = limits[resource];
    if (limitText === undefined) continue;
    const request = tryParseQuantity(requestText);
    const limit = tryParseQuantity(limitText);
    if (request.ok && limit.ok && compareQuantity(request.quantity, limit.quantity) > 0)
      errors.push({
        path: `${path}.requests.${resource}`,
        message: `Invalid value: ${JSON.stringify(String(requestText))}: must be less than or equal to ${resource} limit of ${String(limitText)}`,
      });
  }
  return errors;
}

function affinitySelectorErrors(spec: PodSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const kind of ["podAffinity", "podAntiAffinity"] as const) {
    const affinity = spec.affinity?.[kind];
    const at = `${path}.affinity.${kind}`;
    const term = (t: PodAffinityTerm, p: string) => [
      ...labelSelectorErrors(t.labelSelector, `${p}.labelSelector`),
      ...labelSelectorErrors(t.namespaceSelector, `${p}.namespaceSelector`),
    ];
    (affinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      errors.push(...term(t, `${at}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`));
    });
    (affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      errors.push(
        ...term(
          t.podAffinityTerm,
          `${at}.preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm`,
        ),
      );
    });
  }
  return errors;
}
