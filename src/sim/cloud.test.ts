import { describe } from "node:test";
import { catalogFromInstanceTypes } from "../catalog/user-catalog.ts";
import { cloudProviderContract } from "../ports/cloud-provider.contract.ts";
import { instanceType } from "../solver/fixtures.test-helpers.ts";
import { SimulatedCloud } from "./cloud.ts";
import { Engine } from "./engine.ts";

describe("CloudProvider contract: the simulated cloud", () => {
  cloudProviderContract(() => {
    const { catalog } = catalogFromInstanceTypes([
      instanceType("cheap", 2, 4, 0.05, { zones: ["z1"] }),
      instanceType("dear", 4, 8, 0.1, { zones: ["z1"] }),
    ]);
    const cloud = new SimulatedCloud(catalog, new Engine(new Date(0)));
    return {
      provider: cloud,
      exhaust: (type) => cloud.makeUnavailable({ instanceType: type }, Number.POSITIVE_INFINITY),
    };
  });
});
