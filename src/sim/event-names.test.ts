import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { objectRef, withoutStutter } from "./event-names.ts";

describe("event object names", () => {
  const rows: { name: string; args: [string, string, string?]; want: string }[] = [
    {
      name: "a namespaced kind names its namespace",
      args: ["Deployment", "web", "shop"],
      want: "Deployment/shop/web",
    },
    {
      name: "a namespace left out is default (the API server's default)",
      args: ["Pod", "web-0"],
      want: "Pod/default/web-0",
    },
    { name: "a cluster-scoped kind has none", args: ["NodePool", "spot"], want: "NodePool/spot" },
    {
      name: "a cluster-scoped kind ignores one given",
      args: ["NodeClaim", "x", "default"],
      want: "NodeClaim/x",
    },
  ];
  for (const row of rows) it(row.name, () => assert.equal(objectRef(...row.args), row.want));
});

describe("event messages say their reason once", () => {
  const rows: { name: string; message: string; want: string }[] = [
    {
      name: "a reason prefixed to a sentence that starts with it",
      message: "Underutilized: underutilized: 3 pods fit on other nodes",
      want: "Underutilized: 3 pods fit on other nodes",
    },
    {
      name: "without the second colon",
      message: "Disrupted: disrupted by drift",
      want: "Disrupted: by drift",
    },
    {
      name: "a message that does not stutter is kept",
      message: "Empty: only daemonset pods run there",
      want: "Empty: only daemonset pods run there",
    },
    {
      name: "a message without a prefix is kept",
      message: "assigned to Node/node-0001",
      want: "assigned to Node/node-0001",
    },
  ];
  for (const row of rows) it(row.name, () => assert.equal(withoutStutter(row.message), row.want));
});
