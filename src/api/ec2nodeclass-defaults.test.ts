import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EC2NodeClass, EC2NodeClassSpec } from "./ec2nodeclass.ts";
import {
  amiFamilyOf,
  ec2NodeClassDefaults,
  ephemeralStorageSize,
  resolvedBlockDeviceMappings,
} from "./ec2nodeclass-defaults.ts";

const spec = (fields: Partial<EC2NodeClassSpec> = {}): EC2NodeClassSpec => ({
  amiSelectorTerms: [{ alias: "al2023@latest" }],
  subnetSelectorTerms: [{ tags: { a: "b" } }],
  securityGroupSelectorTerms: [{ tags: { a: "b" } }],
  role: "Nodes",
  ...fields,
});

describe("EC2NodeClass defaults (Karpenter's CRD defaults and pkg/providers/amifamily)", () => {
  it("amiFamily comes from spec, else the alias (EC2NodeClass.AMIFamily())", () => {
    assert.equal(amiFamilyOf(spec()), "AL2023");
    assert.equal(
      amiFamilyOf(spec({ amiSelectorTerms: [{ alias: "bottlerocket@v1.20.3" }] })),
      "Bottlerocket",
    );
    assert.equal(amiFamilyOf(spec({ amiFamily: "Custom" })), "Custom");
  });
  it("metadataOptions defaults whole, and per field when partly given (CRD default:)", () => {
    const nodeClass = (metadataOptions?: EC2NodeClassSpec["metadataOptions"]): EC2NodeClass => ({
      apiVersion: "karpenter.k8s.aws/v1",
      kind: "EC2NodeClass",
      metadata: { name: "default" },
      spec: spec(metadataOptions ? { metadataOptions } : {}),
    });
    assert.deepEqual(ec2NodeClassDefaults(nodeClass()).spec?.metadataOptions, {
      httpEndpoint: "enabled",
      httpProtocolIPv6: "disabled",
      httpPutResponseHopLimit: 1,
      httpTokens: "required",
    });
    assert.deepEqual(
      ec2NodeClassDefaults(nodeClass({ httpPutResponseHopLimit: 2 })).spec?.metadataOptions,
      {
        httpEndpoint: "enabled",
        httpProtocolIPv6: "disabled",
        httpPutResponseHopLimit: 2,
        httpTokens: "required",
      },
    );
  });
  const rows: [string, EC2NodeClassSpec, unknown][] = [
    [
      "AL2023: one 20Gi gp3 encrypted root volume",
      spec(),
      [
        {
          deviceName: "/dev/xvda",
          ebs: { encrypted: true, volumeType: "gp3", volumeSize: "20Gi" },
        },
      ],
    ],
    [
      "Bottlerocket: a 4Gi OS volume and a 20Gi data volume",
      spec({ amiSelectorTerms: [{ alias: "bottlerocket@latest" }] }),
      [
        { deviceName: "/dev/xvda", ebs: { encrypted: true, volumeType: "gp3", volumeSize: "4Gi" } },
        {
          deviceName: "/dev/xvdb",
          ebs: { encrypted: true, volumeType: "gp3", volumeSize: "20Gi" },
        },
      ],
    ],
    [
      "Windows: a 50Gi C: drive",
      spec({ amiSelectorTerms: [{ alias: "windows2022@latest" }] }),
      [
        {
          deviceName: "/dev/sda1",
          ebs: { encrypted: true, volumeType: "gp3", volumeSize: "50Gi" },
        },
      ],
    ],
    [
      "Custom: none (the AMI's own)",
      spec({ amiFamily: "Custom", amiSelectorTerms: [{ id: "ami-1" }] }),
      [],
    ],
    [
      "the spec's mappings replace the family's",
      spec({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: "100Gi" } }] }),
      [{ deviceName: "/dev/xvda", ebs: { volumeSize: "100Gi" } }],
    ],
  ];
  for (const [rule, given, expected] of rows) {
    it(`resolvedBlockDeviceMappings — ${rule}`, () =>
      assert.deepEqual(resolvedBlockDeviceMappings(given), expected));
  }
  const sizes: [string, EC2NodeClassSpec, number | undefined, string][] = [
    ["AL2023 default: 20Gi", spec(), undefined, "20Gi"],
    [
      "Bottlerocket default: the data volume's 20Gi, not the OS volume's 4Gi",
      spec({ amiSelectorTerms: [{ alias: "bottlerocket@latest" }] }),
      undefined,
      "20Gi",
    ],
    [
      "the rootVolume mapping wins",
      spec({
        blockDeviceMappings: [
          { deviceName: "/dev/xvdc", ebs: { volumeSize: "30Gi" } },
          { deviceName: "/dev/xvdz", rootVolume: true, ebs: { volumeSize: "80Gi" } },
        ],
      }),
      undefined,
      "80Gi",
    ],
    [
      "else the mapping on the family's kubelet device",
      spec({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: "60Gi" } }] }),
      undefined,
      "60Gi",
    ],
    [
      "Custom: the last mapping's size",
      spec({
        amiFamily: "Custom",
        blockDeviceMappings: [
          { deviceName: "/dev/xvda", ebs: { volumeSize: "10Gi" } },
          { deviceName: "/dev/xvdb", ebs: { volumeSize: "40Gi" } },
        ],
      }),
      undefined,
      "40Gi",
    ],
    [
      "RAID0 with instance store: its total in decimal GB",
      spec({ instanceStorePolicy: "RAID0" }),
      950,
      "950G",
    ],
  ];
  for (const [rule, given, instanceStorageGB, expected] of sizes) {
    it(`ephemeralStorageSize — ${rule}`, () =>
      assert.equal(ephemeralStorageSize(given, instanceStorageGB), expected));
  }
});
