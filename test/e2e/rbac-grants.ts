// A chart's Role or ClusterRole as its grants (one verb on one resource of one rule), and the
// same role less one grant: what the least-privilege tests take away, one at a time.
import type { Manifest } from "./cluster-client.ts";

export interface Rule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly resourceNames?: string[];
  readonly verbs: string[];
}
export type RbacRole = Manifest & { rules: Rule[] };

export interface Grant {
  /** `Kind/name` (and namespace) of the role that grants it. */
  readonly role: string;
  readonly rule: number;
  readonly resource: string;
  readonly verb: string;
}

const roleId = (role: RbacRole) =>
  `${role.kind}/${role.metadata.namespace ? `${role.metadata.namespace}/` : ""}${role.metadata.name}`;

export function grants(role: RbacRole): Grant[] {
  return role.rules.flatMap((rule, index) =>
    rule.resources.flatMap((resource) =>
      rule.verbs.map((verb) => ({ role: roleId(role), rule: index, resource, verb })),
    ),
  );
}

/** The role without that one verb on that one resource; any other role unchanged. */
export function without(role: RbacRole, grant: Grant): RbacRole {
  if (roleId(role) !== grant.role) return role;
  const rules = role.rules.flatMap((rule, index) => {
    if (index !== grant.rule) return [rule];
    const others = rule.resources.filter((r) => r !== grant.resource);
    const verbs = rule.verbs.filter((v) => v !== grant.verb);
    return [
      ...(others.length > 0 ? [{ ...rule, resources: others }] : []),
      ...(verbs.length > 0 ? [{ ...rule, resources: [grant.resource], verbs }] : []),
    ];
  });
  return { ...role, rules };
}
