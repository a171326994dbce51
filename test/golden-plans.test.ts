import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { assertGolden } from "./golden.ts";

/** What people read, fixed in files: a diff in review is a diff in behaviour (UPDATE_GOLDEN=1 rewrites). */
function carpool(...args: string[]): string {
  const result = spawnSync(process.execPath, ["bin/carpool.mjs", ...args], { encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`carpool ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

describe("golden plans of the bundled examples", () => {
  for (const example of ["eks", "k3s"]) {
    it(`carpool plan -f examples/${example} -o json`, () => {
      assertGolden(
        `test/golden/${example}.plan.json`,
        carpool("plan", "-f", `examples/${example}`, "-o", "json"),
      );
    });
    it(`carpool plan -f examples/${example} (table)`, () => {
      assertGolden(`test/golden/${example}.plan.txt`, carpool("plan", "-f", `examples/${example}`));
    });
  }
  it("carpool explain shop/web-0 -f examples/eks", () => {
    assertGolden(
      "test/golden/eks.explain-web-0.txt",
      carpool("explain", "shop/web-0", "-f", "examples/eks"),
    );
  });
  it("carpool explain default/huge -f examples/eks", () => {
    assertGolden(
      "test/golden/eks.explain-huge.txt",
      carpool("explain", "default/huge", "-f", "examples/eks"),
    );
  });
  it("carpool explain stores/camera-vision-0 -f examples/k3s", () => {
    assertGolden(
      "test/golden/k3s.explain-camera-vision-0.txt",
      carpool("explain", "stores/camera-vision-0", "-f", "examples/k3s"),
    );
  });
});

describe("golden disruption plans of the bundled snapshot", () => {
  const now = "2026-11-25T20:00:00Z";
  it("carpool disrupt -f examples/disruption -o json", () => {
    assertGolden(
      "test/golden/disruption.disrupt.json",
      carpool("disrupt", "-f", "examples/disruption", "--now", now, "-o", "json"),
    );
  });
  it("carpool disrupt -f examples/disruption (table)", () => {
    assertGolden(
      "test/golden/disruption.disrupt.txt",
      carpool("disrupt", "-f", "examples/disruption", "--now", now),
    );
  });
  it("inside the business-hours window, the drift budget holds drift back", () => {
    assertGolden(
      "test/golden/disruption.disrupt-noon.txt",
      carpool("disrupt", "-f", "examples/disruption", "--now", "2026-11-25T12:00:00Z"),
    );
  });
});
