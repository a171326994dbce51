import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { metadataNameErrors, type NameRule, nameProblems } from "./names.ts";

// k8s.io/apimachinery/pkg/util/validation IsDNS1123Label / IsDNS1123Subdomain.
describe("nameProblems (apimachinery DNS-1123 rules)", () => {
  const rows: [string, string, NameRule, number][] = [
    ["a lowercase name is a subdomain", "web-0", "dns1123Subdomain", 0],
    ["dots separate subdomain labels", "ip-10-0-0-1.ec2.internal", "dns1123Subdomain", 0],
    ["upper case is refused", "Web", "dns1123Subdomain", 1],
    ["an underscore is refused", "my_app", "dns1123Subdomain", 1],
    ["a trailing dash is refused", "web-", "dns1123Subdomain", 1],
    ["a subdomain may be 253 characters", "a".repeat(253), "dns1123Subdomain", 0],
    ["but not 254", "a".repeat(254), "dns1123Subdomain", 1],
    ["a label has no dots (namespaces, container names)", "a.b", "dns1123Label", 1],
    ["a label may be 63 characters", "a".repeat(63), "dns1123Label", 0],
    ["but not 64", "a".repeat(64), "dns1123Label", 1],
    ["a label may start with a digit (RFC 1123, not 952)", "1st", "dns1123Label", 0],
  ];
  for (const [name, value, rule, count] of rows)
    it(name, () => assert.equal(nameProblems(value, rule).length, count));
  it("says what the API server says", () => {
    assert.match(
      nameProblems("Web", "dns1123Subdomain")[0] ?? "",
      /^a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '\.'/,
    );
  });
});

// ValidateObjectMeta: a name (a snapshot has no generateName to expand), a DNS-label namespace.
describe("metadataNameErrors (ValidateObjectMeta)", () => {
  const subdomain = { nameRule: "dns1123Subdomain", namespaced: true } as const;
  it("a missing name is required", () => {
    assert.deepEqual(metadataNameErrors({}, subdomain), [
      { path: "metadata.name", message: "Required value: name is required" },
    ]);
  });
  it("an invalid name quotes the value", () => {
    const [error] = metadataNameErrors({ name: "Web_1" }, subdomain);
    assert.equal(error?.path, "metadata.name");
    assert.match(error?.message ?? "", /^Invalid value: "Web_1": a lowercase RFC 1123 subdomain/);
  });
  it("a namespace is a DNS label: no dots (the API server's own words for that case)", () => {
    const [error] = metadataNameErrors({ name: "web", namespace: "team.a" }, subdomain);
    assert.equal(error?.path, "metadata.namespace");
    assert.equal(error?.message, 'Invalid value: "team.a": must not contain dots');
  });
  it("a cluster-scoped object's namespace is not checked (the API server clears it)", () => {
    assert.deepEqual(
      metadataNameErrors({ name: "n", namespace: "X.Y" }, { ...subdomain, namespaced: false }),
      [],
    );
  });
});
