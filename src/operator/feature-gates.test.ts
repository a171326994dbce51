import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DefaultFeatureGates, parseFeatureGates } from "./feature-gates.ts";

describe("--feature-gates (Kubernetes' Name=bool,… form)", () => {
  const cases: { name: string; text: string | undefined; expect: boolean | string }[] = [
    { name: "absent: the defaults", text: undefined, expect: true },
    { name: "empty: the defaults", text: "", expect: true },
    { name: "a gate turned off", text: "SpotToSpotConsolidation=false", expect: false },
    {
      name: "spaces around entries are ignored",
      text: " SpotToSpotConsolidation=true , ",
      expect: true,
    },
    {
      name: "an unknown gate is refused by name",
      text: "NodeRepair=true",
      expect: 'unknown gate "NodeRepair"',
    },
    {
      name: "a value that is not a boolean is refused",
      text: "SpotToSpotConsolidation=yes",
      expect: "must be =true or =false",
    },
    {
      name: "a gate without a value is refused",
      text: "SpotToSpotConsolidation",
      expect: "must be =true or =false",
    },
  ];
  for (const c of cases)
    it(c.name, () => {
      const parsed = parseFeatureGates(c.text);
      if (typeof c.expect === "string") {
        assert.equal(parsed.ok, false);
        assert.match(
          parsed.ok ? "" : parsed.error,
          new RegExp(c.expect.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")),
        );
      } else {
        assert.ok(parsed.ok);
        assert.equal(parsed.gates.SpotToSpotConsolidation, c.expect);
      }
    });
  it("the defaults", () =>
    assert.deepEqual(DefaultFeatureGates, { SpotToSpotConsolidation: true }));
});
