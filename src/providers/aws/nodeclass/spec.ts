import type { FieldError } from "../../../api/field-errors.ts";
import type { EC2NodeClass } from "../../../api/nodeclass.ts";

/** One subnetSelectorTerms entry: its fields are ANDed (Karpenter v1 SubnetSelectorTerm). */
export interface SubnetTerm {
  readonly id?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** One securityGroupSelectorTerms entry; `name` is the group's name, not its Name tag. */
export interface SecurityGroupTerm {
  readonly id?: string;
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** One amiSelectorTerms entry (alias, or id, or name/owner/tags, or an SSM parameter). */
export interface AmiTerm {
  readonly alias?: string;
  readonly id?: string;
  readonly name?: string;
  readonly owner?: string;
  readonly ssmParameter?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** The EC2NodeClass spec fields the status controller resolves, read and checked. */
export interface ResolvableSpec {
  readonly amiFamily?: string;
  readonly subnetSelectorTerms: readonly SubnetTerm[];
  readonly securityGroupSelectorTerms: readonly SecurityGroupTerm[];
  readonly amiSelectorTerms: readonly AmiTerm[];
  readonly role?: string;
  readonly instanceProfile?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ReadSpecResult {
  readonly spec: ResolvableSpec;
  /** Each problem with its field path; a term with a problem is left out of `spec`. */
  readonly errors: readonly FieldError[];
}

/**
 * Tag keys an EC2NodeClass may not set (Karpenter v1's CEL rules on spec.tags): carpool and
 * Karpenter put them on every instance themselves.
 */
const restrictedTagKeys = [
  "eks:eks-cluster-name",
  "karpenter.sh/nodepool",
  "karpenter.sh/nodeclaim",
  "karpenter.k8s.aws/ec2nodeclass",
];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads the spec without trusting it: the API server's CEL rules are not run by every store
 * (a file snapshot, the simulator), so the rules Karpenter's CRD states are checked here too.
 */
export function readSpec(nodeClass: Pick<EC2NodeClass, "spec">): ReadSpecResult {
  const raw: Json = isObject(nodeClass.spec) ? nodeClass.spec : {};
  const errors: FieldError[] = [];
  const text = (value: unknown, path: string): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === "string" && value !== "") return value;
    errors.push({ path, message: "must be a non-empty string" });
    return undefined;
  };
  const tags = (value: unknown, path: string): Record<string, string> | undefined => {
    if (value === undefined) return undefined;
    if (!isObject(value)) {
      errors.push({ path, message: "must be a map of tag keys to values" });
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === "" || typeof v !== "string" || v === "")
        errors.push({
          path: `${path}.${key}`,
          message: "empty tag keys or values aren't supported",
        });
      else out[key] = v;
    }
    return out;
  };
  const terms = <T>(field: string, read: (term: Json, path: string) => T | undefined): T[] => {
    const value = raw[field];
    if (!Array.isArray(value) || value.length === 0) {
      errors.push({ path: `spec.${field}`, message: `${field} cannot be empty` });
      return [];
    }
    return value.flatMap((term, i) => {
      const path = `spec.${field}[${i}]`;
      if (!isObject(term)) {
        errors.push({ path, message: "must be an object" });
        return [];
      }
      const before = errors.length;
      const read_ = read(term, path);
      return read_ === undefined || errors.length > before ? [] : [read_];
    });
  };
  const exclusive = (term: Json, path: string, field: string, others: readonly string[]) => {
    if (term[field] !== undefined && others.some((o) => term[o] !== undefined))
      errors.push({
        path: `${path}.${field}`,
        message: `'${field}' is mutually exclusive, cannot be set with a combination of other fields (${others.join(", ")})`,
      });
  };
  const atLeastOne = (term: Json, path: string, fields: readonly string[]) => {
    if (!fields.some((f) => term[f] !== undefined))
      errors.push({ path, message: `expected at least one, got none, [${fields.join(", ")}]` });
  };

  const subnetSelectorTerms = terms<SubnetTerm>("subnetSelectorTerms", (term, path) => {
    atLeastOne(term, path, ["tags", "id"]);
    exclusive(term, path, "id", ["tags"]);
    return pruned({ id: text(term.id, `${path}.id`), tags: tags(term.tags, `${path}.tags`) });
  });
  const securityGroupSelectorTerms = terms<SecurityGroupTerm>(
    "securityGroupSelectorTerms",
    (term, path) => {
      atLeastOne(term, path, ["tags", "id", "name"]);
      exclusive(term, path, "id", ["tags", "name"]);
      exclusive(term, path, "name", ["tags", "id"]);
      return pruned({
        id: text(term.id, `${path}.id`),
        name: text(term.name, `${path}.name`),
        tags: tags(term.tags, `${path}.tags`),
      });
    },
  );
  const amiSelectorTerms = terms<AmiTerm>("amiSelectorTerms", (term, path) => {
    atLeastOne(term, path, ["tags", "id", "name", "alias", "ssmParameter"]);
    exclusive(term, path, "id", ["alias", "tags", "name", "owner"]);
    exclusive(term, path, "alias", ["id", "tags", "name", "owner"]);
    const alias = text(term.alias, `${path}.alias`);
    if (alias !== undefined && !/^[a-zA-Z0-9]+@.+$/.test(alias))
      errors.push({
        path: `${path}.alias`,
        message: "'alias' is improperly formatted, must match the format 'family@version'",
      });
    return pruned({
      alias,
      id: text(term.id, `${path}.id`),
      name: text(term.name, `${path}.name`),
      owner: text(term.owner, `${path}.owner`),
      ssmParameter: text(term.ssmParameter, `${path}.ssmParameter`),
      tags: tags(term.tags, `${path}.tags`),
    });
  });
  const aliases = amiSelectorTerms.filter((t) => t.alias !== undefined);
  if (aliases.length > 0 && amiSelectorTerms.length !== 1)
    errors.push({
      path: "spec.amiSelectorTerms",
      message:
        "'alias' is mutually exclusive, cannot be set with a combination of other amiSelectorTerms",
    });
  const amiFamily = text(raw.amiFamily, "spec.amiFamily");
  if (aliases.length === 0 && amiFamily === undefined && amiSelectorTerms.length > 0)
    errors.push({
      path: "spec.amiFamily",
      message: "must specify amiFamily if amiSelectorTerms does not contain an alias",
    });

  const role = text(raw.role, "spec.role");
  const instanceProfile = text(raw.instanceProfile, "spec.instanceProfile");
  if ((role === undefined) === (instanceProfile === undefined))
    errors.push({
      path: "spec",
      message: "must specify exactly one of ['role', 'instanceProfile']",
    });

  const specTags = tags(raw.tags, "spec.tags") ?? {};
  for (const key of Object.keys(specTags))
    if (restrictedTagKeys.includes(key) || key.startsWith("kubernetes.io/cluster"))
      errors.push({
        path: `spec.tags.${key}`,
        message: `tag contains a restricted tag matching ${key.startsWith("kubernetes.io/cluster") ? "kubernetes.io/cluster/" : key}`,
      });

  return {
    spec: pruned({
      amiFamily,
      subnetSelectorTerms,
      securityGroupSelectorTerms,
      amiSelectorTerms,
      role,
      instanceProfile,
      tags: specTags,
    }),
    errors,
  };
}

/** The object without its undefined fields (exactOptionalPropertyTypes). */
function pruned<T extends object>(object: { [K in keyof T]: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}
