#!/usr/bin/env node
// A cloud behind the exec provider in the end-to-end tests (carpool.dev/exec/v1,
// docs/exec-provider.md): its machines boot carpool's k3s user data and register their Node as
// the kubelet would (as system:node:NAME, so NodeRestriction applies), as agent.mjs does for a
// site's own machines. kwok then plays the kubelet. Everything else is the real control plane.
//
//   exec-cloud.mjs  (request on standard input, response on standard output)
//
// The ExecNodeClass's `spec.config` says where things are: `clusterDir` (the dev cluster, whose CA
// signs the node's certificate), `stateFile` (the machines, JSON), `log` (one JSON line per
// machine switched on or off: {"power":"on"|"off","machine":...}), `hardware` (capacity by
// instance type: a machine reports what it has, as a kubelet does), and the join-token check's
// `tokenSha256` and `joinLog` (join-token.mjs): a machine whose token is refused does not join.
// One process per call, as carpool's garbage collection lists through it on every pass.
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { admitJoin } from "./join-token.mjs";
import { agentConfig, agentNode } from "./k3s-agent-config.mjs";
import { registerNode } from "./node-registration.mjs";

const apiVersion = "carpool.dev/exec/v1";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const request = JSON.parse(input);
const config = request.nodeClass.config;
// carpool may call several times at once (a create beside garbage collection's list).
const release = await lock(`${config.stateFile}.lock`);
try {
  process.stdout.write(`${JSON.stringify(await answer(request))}\n`);
} finally {
  release();
}

async function answer(request) {
  const state = load();
  switch (request.kind) {
    case "CreateRequest": {
      const claim = request.nodeClaim.name;
      // Sent again for the same claim (a retry, a restart): the machine already made.
      const made = state.find((i) => i.nodeClaim === claim);
      if (made !== undefined) return { apiVersion, kind: "CreateResponse", instance: made };
      const [offering] = request.offerings;
      const agent = agentConfig(request.userData);
      if (!admitJoin(agent, config.tokenSha256, config.joinLog)) {
        console.error(`the server refused ${agent["node-name"]}: wrong join token`);
        process.exit(6);
      }
      const node = agentNode(agent, config.hardware[offering.instanceType]);
      const registered = await registerNode(config.clusterDir, node);
      if (registered.status !== 201) {
        console.error(`registering Node ${node.metadata.name}: ${registered.status}`);
        process.exit(5);
      }
      const instance = {
        providerID: request.providerID ?? node.spec.providerID,
        instanceType: offering.instanceType,
        zone: offering.zone,
        capacityType: offering.capacityType,
        nodeClaim: claim,
        state: "running",
      };
      save([...state, instance]);
      await appendFile(config.log, `${JSON.stringify({ power: "on", machine: claim })}\n`);
      return { apiVersion, kind: "CreateResponse", instance };
    }
    case "DeleteRequest": {
      const { providerID, nodeClaim } = request.instance;
      if (!state.some((i) => i.providerID === providerID))
        return failure("NotFound", `no machine ${providerID}`);
      save(state.filter((i) => i.providerID !== providerID));
      await appendFile(config.log, `${JSON.stringify({ power: "off", machine: nodeClaim })}\n`);
      return { apiVersion, kind: "DeleteResponse" };
    }
    case "GetRequest": {
      const instance = state.find((i) => i.providerID === request.providerID);
      return instance === undefined
        ? failure("NotFound", `no machine ${request.providerID}`)
        : { apiVersion, kind: "GetResponse", instance };
    }
    case "ListRequest":
      return { apiVersion, kind: "ListResponse", instances: state };
    default:
      return failure("InvalidRequest", `unknown kind ${request.kind}`);
  }
}

function failure(code, message) {
  return { apiVersion, kind: "ErrorResponse", error: { code, message } };
}

function load() {
  try {
    return JSON.parse(readFileSync(config.stateFile, "utf8"));
  } catch (error) {
    if (error.code === "ENOENT") return [];
    throw error;
  }
}

function save(instances) {
  writeFileSync(`${config.stateFile}.tmp`, JSON.stringify(instances));
  renameSync(`${config.stateFile}.tmp`, config.stateFile);
}

/** An exclusive lock file, waited for (a stale one is taken after 30 s). */
async function lock(file) {
  for (let waited = 0; ; waited += 50) {
    try {
      closeSync(openSync(file, "wx"));
      return () => rmSync(file, { force: true });
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      if (waited > 30_000) {
        rmSync(file, { force: true });
        waited = 0;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
