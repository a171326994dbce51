// The IAM policy docs/eks.md gives the controller is exactly what carpool calls: every AWS SDK
// command sent anywhere in src/ maps to one `service:Action`, and the policy grants those and the
// permissions AWS checks besides (CreateFleet launches through RunInstances and tags through
// CreateTags; an instance profile on a launch template needs iam:PassRole; tags on a new instance
// profile need iam:TagInstanceProfile) — nothing more.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Labels } from "../../api/wellknown.ts";
import {
  awsError,
  claim,
  ec2NodeClass,
  instanceType,
  offering,
  providerWith,
  ScriptedEc2,
} from "./launch/fixtures.test-helpers.ts";
import { resourceTags } from "./launch/tags.ts";
import { instanceProfileName, instanceProfileTags } from "./nodeclass/instance-profile.ts";

const root = join(import.meta.dirname, "..", "..", "..");

/** `ec2:CreateFleet`, … for every `new XCommand(` of an `@aws-sdk/client-*` import in src/. */
function actionsCalled(): Set<string> {
  const actions = new Set<string>();
  const files = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.includes("test-helpers"),
  );
  for (const file of files) {
    const text = readFileSync(join(root, "src", file), "utf8");
    for (const imported of text.matchAll(
      /import\s*\{([^}]*)\}\s*from\s*"@aws-sdk\/client-([a-z0-9-]+)"/g,
    )) {
      const service = imported[2] ?? "";
      for (const name of (imported[1] ?? "").split(",")) {
        const command = /^\s*(?:type\s+)?(\w+)Command\s*$/.exec(name)?.[1];
        if (command !== undefined && text.includes(`new ${command}Command(`))
          actions.add(`${service}:${command}`);
      }
    }
  }
  return actions;
}

/** What AWS authorizes beyond the API called, each for the rule that makes it checked. */
const checkedBesides = [
  // CreateFleet launches each instance through RunInstances, authorized per resource it touches.
  "ec2:RunInstances",
  // TagSpecifications on CreateFleet and CreateLaunchTemplate are authorized as CreateTags (with
  // ec2:CreateAction naming the creating call).
  "ec2:CreateTags",
  // A launch template's instance profile passes its role to EC2 at launch, and
  // AddRoleToInstanceProfile needs PassRole on the role it adds.
  "iam:PassRole",
  // Tags on CreateInstanceProfile are IAM tagging, authorized as TagInstanceProfile (Karpenter's
  // controller policy grants it for the same call).
  "iam:TagInstanceProfile",
];

it("the controller's IAM policy in docs/eks-iam-policy.json grants what carpool calls, and only that", () => {
  const policy = JSON.parse(readFileSync(join(root, "docs", "eks-iam-policy.json"), "utf8")) as {
    Statement: { Action: string | string[] }[];
  };
  const granted = new Set(
    policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])),
  );
  const needed = new Set([...actionsCalled(), ...checkedBesides]);
  assert.deepEqual([...granted].sort(), [...needed].sort());
});

// ---------------------------------------------------------------------------------------------
// The policy's conditions against the requests carpool really sends: IAM evaluates each resource
// of a call on its own, and a condition on a tag that the request does not carry fails.

interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

const facts = {
  ClusterName: "prod",
  AWSRegion: "us-east-1",
  AWSPartition: "aws",
  AWSAccountId: "123456789012",
  NodeRoleName: "CarpoolNodeRole-prod",
  InterruptionQueueName: "prod-interruption",
};

function policyText(): string {
  return readFileSync(join(root, "docs", "eks-iam-policy.json"), "utf8");
}

function statements(): Statement[] {
  const text = policyText().replace(
    /\$\{(\w+)\}/g,
    (_, name: string) => facts[name as keyof typeof facts] ?? `\${${name}}`,
  );
  return (JSON.parse(text) as { Statement: Statement[] }).Statement;
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
const glob = (pattern: string, value: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(value);

/** StringEquals and StringLike as IAM reads them: every key must be present and match. */
function conditionsHold(statement: Statement, context: Readonly<Record<string, string>>): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, wanted]) => {
      const have = context[key];
      if (have === undefined) return false;
      if (operator === "StringEquals") return list(wanted).includes(have);
      if (operator === "StringLike") return list(wanted).some((p) => glob(p, have));
      throw new Error(`${statement.Sid}: operator ${operator} is not evaluated by this test`);
    }),
  );
}

function allowed(action: string, arn: string, context: Readonly<Record<string, string>>): string[] {
  return statements()
    .filter(
      (s) =>
        list(s.Action).includes(action) &&
        list(s.Resource).some((r) => glob(r, arn)) &&
        conditionsHold(s, context),
    )
    .map((s) => s.Sid);
}

function tagContext(prefix: string, tags: readonly { Key: string; Value: string }[] | undefined) {
  return Object.fromEntries((tags ?? []).map((t) => [`${prefix}${t.Key}`, t.Value]));
}

type TagSpecification = { ResourceType: string; Tags: { Key: string; Value: string }[] };

/** The CreateLaunchTemplate and CreateFleet requests of one launch by the real provider. */
async function launchRequests(capacityType: "on-demand" | "spot") {
  const ec2 = new ScriptedEc2()
    .on("DescribeLaunchTemplatesCommand", () => {
      throw awsError("InvalidLaunchTemplateName.NotFoundException");
    })
    .on("CreateLaunchTemplateCommand", () => ({ LaunchTemplate: { LaunchTemplateId: "lt-1" } }))
    .on("CreateFleetCommand", () => ({
      Instances: [{ InstanceIds: ["i-0abc"], InstanceType: "m5.large", Lifecycle: capacityType }],
    }));
  const nodeClass = ec2NodeClass(
    "default",
    {
      subnets: [{ id: "subnet-a", zone: "us-east-1a" }],
      securityGroups: [{ id: "sg-1" }],
      amis: [{ id: "ami-x86", requirements: [] }],
      instanceProfile: "carpool_prod_1",
    },
    { tags: { team: "platform" } },
  );
  const types = [instanceType("m5.large", [offering("us-east-1a", 0.096, capacityType)])];
  const { provider } = await providerWith(ec2, nodeClass, types, facts.ClusterName);
  await provider.create(
    claim("general-abcde", [{ key: Labels.capacityType, operator: "In", values: [capacityType] }]),
  );
  const template = ec2.inputsOf("CreateLaunchTemplateCommand")[0] as {
    TagSpecifications: TagSpecification[];
    LaunchTemplateData: { TagSpecifications: TagSpecification[] };
  };
  const fleet = ec2.inputsOf("CreateFleetCommand")[0] as { TagSpecifications: TagSpecification[] };
  return { template, fleet };
}

const arn = (resource: string) =>
  `arn:aws:ec2:us-east-1:${facts.AWSAccountId}:${resource === "fleet" ? "fleet/fleet-1" : `${resource}/x-1`}`;

describe("docs/eks-iam-policy.json lets carpool's own requests through, scoped by their tags", () => {
  for (const capacityType of ["on-demand", "spot"] as const) {
    it(`CreateLaunchTemplate and a ${capacityType} CreateFleet: every tagged resource is allowed by its tags (Karpenter's AllowScopedEC2InstanceActionsWithTags, AllowScopedResourceCreationTagging)`, async () => {
      const { template, fleet } = await launchRequests(capacityType);
      for (const spec of template.TagSpecifications) {
        const context = tagContext("aws:RequestTag/", spec.Tags);
        assert.deepEqual(allowed("ec2:CreateLaunchTemplate", arn(spec.ResourceType), context), [
          "CreateTaggedNodeResources",
        ]);
        assert.deepEqual(
          allowed("ec2:CreateTags", arn(spec.ResourceType), {
            ...context,
            "ec2:CreateAction": "CreateLaunchTemplate",
          }),
          ["TagNodeResourcesAtCreation"],
        );
      }
      // Network interfaces are tagged through the template, instances, volumes, the fleet by the fleet.
      const launched = [
        ...fleet.TagSpecifications,
        ...template.LaunchTemplateData.TagSpecifications,
      ];
      assert.deepEqual(launched.map((s) => s.ResourceType).sort(), [
        "fleet",
        "instance",
        "network-interface",
        "volume",
      ]);
      for (const spec of launched) {
        const context = tagContext("aws:RequestTag/", spec.Tags);
        for (const action of ["ec2:CreateFleet", "ec2:RunInstances"])
          assert.deepEqual(allowed(action, arn(spec.ResourceType), context), [
            "CreateTaggedNodeResources",
          ]);
        assert.deepEqual(
          allowed("ec2:CreateTags", arn(spec.ResourceType), {
            ...context,
            "ec2:CreateAction": "CreateFleet",
          }),
          ["TagNodeResourcesAtCreation"],
        );
      }
      // The launch reads the template by its own tags, and what it does not tag it needs untagged.
      const templateTags = tagContext(
        "aws:ResourceTag/",
        template.TagSpecifications.find((s) => s.ResourceType === "launch-template")?.Tags,
      );
      assert.deepEqual(allowed("ec2:CreateFleet", arn("launch-template"), templateTags), [
        "LaunchWithOwnLaunchTemplates",
      ]);
      for (const shared of [
        "arn:aws:ec2:us-east-1::image/ami-x86",
        "arn:aws:ec2:us-east-1::snapshot/snap-1",
        arn("subnet"),
        arn("security-group"),
        arn("spot-instances-request"),
        // A launch targeting a reservation (or one shared with the account) touches it untagged;
        // Karpenter's AllowScopedEC2InstanceAccessActions lists capacity-reservation/* the same way.
        arn("capacity-reservation"),
      ])
        for (const action of ["ec2:RunInstances", "ec2:CreateFleet"])
          assert.deepEqual(allowed(action, shared, {}), ["LaunchFromSharedResources"]);
    });
  }

  const rows: {
    rule: string;
    action: string;
    resource: string;
    tags: Record<string, string>;
    allowedBy: string[];
  }[] = [
    {
      rule: "TerminateInstances on an instance carpool tagged (Karpenter's AllowScopedDeletion)",
      action: "ec2:TerminateInstances",
      resource: arn("instance"),
      tags: carpoolInstanceTags(),
      allowedBy: ["DeleteOwnInstancesAndLaunchTemplates"],
    },
    {
      rule: "TerminateInstances of an instance of another cluster is not allowed",
      action: "ec2:TerminateInstances",
      resource: arn("instance"),
      tags: { ...carpoolInstanceTags(), "kubernetes.io/cluster/prod": "shared" },
      allowedBy: [],
    },
    {
      rule: "DeleteLaunchTemplate without karpenter.sh/nodepool (not a node template) is not allowed",
      action: "ec2:DeleteLaunchTemplate",
      resource: arn("launch-template"),
      tags: { "kubernetes.io/cluster/prod": "owned" },
      allowedBy: [],
    },
  ];
  for (const row of rows)
    it(row.rule, () => {
      const context = tagContext(
        "aws:ResourceTag/",
        Object.entries(row.tags).map(([Key, Value]) => ({ Key, Value })),
      );
      assert.deepEqual(allowed(row.action, row.resource, context), row.allowedBy);
    });

  it("the instance profile carpool creates for spec.role is allowed by its tags, and so are its role changes (Karpenter's AllowScopedInstanceProfile*Actions)", () => {
    const owner = {
      clusterName: facts.ClusterName,
      region: facts.AWSRegion,
      nodeClassName: "default",
    };
    const tags = Object.entries(instanceProfileTags(owner, { team: "platform" })).map(
      ([Key, Value]) => ({ Key, Value }),
    );
    const profile = `arn:aws:iam::${facts.AWSAccountId}:instance-profile/${instanceProfileName(owner)}`;
    const request = tagContext("aws:RequestTag/", tags);
    const resource = tagContext("aws:ResourceTag/", tags);
    assert.deepEqual(allowed("iam:CreateInstanceProfile", profile, request), [
      "CreateOwnInstanceProfiles",
    ]);
    assert.deepEqual(allowed("iam:TagInstanceProfile", profile, { ...request, ...resource }), [
      "TagOwnInstanceProfiles",
    ]);
    for (const action of [
      "iam:AddRoleToInstanceProfile",
      "iam:RemoveRoleFromInstanceProfile",
      "iam:DeleteInstanceProfile",
    ])
      assert.deepEqual(allowed(action, profile, resource), ["ManageOwnInstanceProfiles"]);
    // A profile of another region's carpool (same cluster name) is left alone.
    const elsewhere = { ...resource, "aws:ResourceTag/topology.kubernetes.io/region": "eu-west-1" };
    assert.deepEqual(allowed("iam:DeleteInstanceProfile", profile, elsewhere), []);
  });

  it("iam:PassRole is for the node role, passed to EC2 only", () => {
    const role = `arn:aws:iam::${facts.AWSAccountId}:role/${facts.NodeRoleName}`;
    const toEc2 = { "iam:PassedToService": "ec2.amazonaws.com" };
    assert.deepEqual(allowed("iam:PassRole", role, toEc2), ["PassNodeRoleToEC2"]);
    assert.deepEqual(
      allowed("iam:PassRole", role, { "iam:PassedToService": "lambda.amazonaws.com" }),
      [],
    );
    assert.deepEqual(
      allowed("iam:PassRole", `arn:aws:iam::${facts.AWSAccountId}:role/Admin`, toEc2),
      [],
    );
  });

  it("every placeholder of the policy is explained in docs/eks.md", () => {
    const guide = readFileSync(join(root, "docs", "eks.md"), "utf8");
    const placeholders = [...new Set([...policyText().matchAll(/\$\{(\w+)\}/g)].map((m) => m[0]))];
    assert.deepEqual(
      placeholders.sort(),
      Object.keys(facts)
        .map((k) => `\${${k}}`)
        .sort(),
    );
    for (const placeholder of placeholders) assert.ok(guide.includes(placeholder), placeholder);
  });
});

/** An instance's tags as carpool writes them (launch/tags.ts), for the deletion rows. */
function carpoolInstanceTags(): Record<string, string> {
  return resourceTags({ team: "platform" }, "default", "general", facts.ClusterName);
}
