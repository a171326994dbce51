import assert from "node:assert/strict";
import { it } from "node:test";
import { awsProviderID, parseInstanceID } from "./provider-id.ts";

// karpenter-provider-aws pkg/utils/utils.go ParseInstanceID: `aws:///<zone>/<instance id>`.
const rows: [string, string, string | undefined][] = [
  ["a provider ID with its zone", "aws:///us-east-1a/i-0123456789abcdef0", "i-0123456789abcdef0"],
  ["the zone may be empty", "aws:////i-0abc", "i-0abc"],
  ["a k3s provider ID is not EC2's", "k3s://node-a", undefined],
  ["two slashes only (no empty host) is not the form", "aws://us-east-1a/i-0abc", undefined],
  ["an ID that is not an instance's", "aws:///us-east-1a/vol-0abc", undefined],
  ["something after the ID", "aws:///us-east-1a/i-0abc/x", undefined],
];
for (const [name, providerID, id] of rows)
  it(`parseInstanceID: ${name}`, () => assert.equal(parseInstanceID(providerID), id));

it("awsProviderID writes what parseInstanceID reads", () => {
  const id = awsProviderID("eu-west-1b", "i-0f00");
  assert.equal(id, "aws:///eu-west-1b/i-0f00");
  assert.equal(parseInstanceID(id), "i-0f00");
});
