import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareInstanceTypeNames } from "./instance-type-order.ts";

const sorted = (names: string[]) => [...names].sort(compareInstanceTypeNames);

// EC2 instance type names are FAMILY.SIZE; sizes grow nano → micro → small → medium → large →
// xlarge → Nxlarge, and metal is the whole host (AWS EC2 User Guide, "Instance type names").
describe("compareInstanceTypeNames: family, then size", () => {
  const rows: [string, string[], string[]][] = [
    [
      "the burstable sizes in the order they grow",
      ["t3.xlarge", "t3.2xlarge", "t3.large", "t3.micro", "t3.nano", "t3.small", "t3.medium"],
      ["t3.nano", "t3.micro", "t3.small", "t3.medium", "t3.large", "t3.xlarge", "t3.2xlarge"],
    ],
    [
      "Nxlarge by N, not by text (12xlarge after 4xlarge, 48xlarge last)",
      ["m5.48xlarge", "m5.12xlarge", "m5.4xlarge", "m5.24xlarge"],
      ["m5.4xlarge", "m5.12xlarge", "m5.24xlarge", "m5.48xlarge"],
    ],
    [
      "metal after every virtual size; metal-24xl before metal-48xl",
      ["m7i.metal-48xl", "m7i.48xlarge", "m7i.metal-24xl", "m5.metal", "m5.large"],
      ["m5.large", "m5.metal", "m7i.48xlarge", "m7i.metal-24xl", "m7i.metal-48xl"],
    ],
    [
      "families group before sizes compare (c5 before c5a before c6g)",
      ["c6g.large", "c5a.large", "c5.xlarge", "c5.large"],
      ["c5.large", "c5.xlarge", "c5a.large", "c6g.large"],
    ],
    [
      "a family with a hyphenated variant keeps apart from the plain one",
      ["m7i-flex.large", "m7i.xlarge", "m7i.large"],
      ["m7i.large", "m7i.xlarge", "m7i-flex.large"],
    ],
    [
      "a user catalog's own names sort naturally",
      ["node10", "node2", "big", "node1"],
      ["big", "node1", "node2", "node10"],
    ],
    [
      "an unknown size goes after the known ones of its family",
      ["x1.weird", "x1.metal", "x1.large"],
      ["x1.large", "x1.metal", "x1.weird"],
    ],
  ];
  for (const [rule, input, expected] of rows)
    it(rule, () => assert.deepEqual(sorted(input), expected));
});
