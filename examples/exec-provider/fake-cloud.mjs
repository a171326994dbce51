#!/usr/bin/env node
// A pretend cloud speaking carpool's exec provider protocol (carpool.dev/exec/v1,
// docs/exec-provider.md): the reference implementation carpool's tests run, and a starting point
// to copy. Plain Node, no dependencies.
//
//   As a command:  node fake-cloud.mjs < request.json > response.json
//   As a module:   import { handle } from "./fake-cloud.mjs"; const response = handle(request);
//
// Its "instances" are records in a JSON file: the node class's `config.stateFile`, else
// $FAKE_CLOUD_STATE (carpool does not pass its environment to a command: set it when trying the
// script by hand), else carpool-fake-cloud.json in the temporary directory. An instance type
// listed in `config.exhausted` has no capacity. Not safe for concurrent calls on one file.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const apiVersion = "carpool.dev/exec/v1";

/** Answers one request of the protocol with one response. */
export function handle(request) {
  if (request?.apiVersion !== apiVersion)
    return failure("InvalidRequest", `apiVersion must be ${apiVersion}`);
  const config = request.nodeClass?.config ?? {};
  const file = stateFile(config);
  const state = load(file);
  switch (request.kind) {
    case "CreateRequest":
      return create(request, config, state, file);
    case "DeleteRequest": {
      const { providerID } = request.instance;
      if (!state.instances.some((i) => i.providerID === providerID))
        return failure("NotFound", `no instance ${providerID}`);
      state.instances = state.instances.filter((i) => i.providerID !== providerID);
      save(file, state);
      return { apiVersion, kind: "DeleteResponse" };
    }
    case "GetRequest": {
      const instance = state.instances.find((i) => i.providerID === request.providerID);
      if (instance === undefined) return failure("NotFound", `no instance ${request.providerID}`);
      return { apiVersion, kind: "GetResponse", instance };
    }
    case "ListRequest":
      return { apiVersion, kind: "ListResponse", instances: state.instances };
    default:
      return failure("InvalidRequest", `unknown kind ${request.kind}`);
  }
}

function create(request, config, state, file) {
  const nodeClaim = request.nodeClaim.name;
  // Idempotent: a retried create (carpool timed out, or restarted) gets the instance it made.
  const existing = state.instances.find((i) => i.nodeClaim === nodeClaim);
  if (existing !== undefined) return { apiVersion, kind: "CreateResponse", instance: existing };
  const exhausted = new Set(config.exhausted ?? []);
  // Offerings come cheapest first: launch the first one there is capacity for.
  const offering = request.offerings.find((o) => !exhausted.has(o.instanceType));
  if (offering === undefined)
    return failure(
      "InsufficientCapacity",
      "no capacity for any offering",
      request.offerings.map(({ instanceType, zone, capacityType }) => ({
        instanceType,
        zone,
        capacityType,
      })),
    );
  state.next += 1;
  const instance = {
    // The ID the user data gives the kubelet, when carpool sent one; else the cloud's own.
    providerID: request.providerID ?? `fake://${state.next}`,
    instanceType: offering.instanceType,
    zone: offering.zone,
    capacityType: offering.capacityType,
    // The tag carpool matches instances by: a list must give it back.
    nodeClaim,
    state: "running",
  };
  state.instances.push(instance);
  save(file, state);
  return { apiVersion, kind: "CreateResponse", instance };
}

function failure(code, message, offerings) {
  return {
    apiVersion,
    kind: "ErrorResponse",
    error: { code, message, ...(offerings && { offerings }) },
  };
}

function stateFile(config) {
  return (
    config.stateFile ?? process.env.FAKE_CLOUD_STATE ?? join(tmpdir(), "carpool-fake-cloud.json")
  );
}

function load(file) {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    if (error.code === "ENOENT") return { next: 0, instances: [] };
    throw error;
  }
}

function save(file, state) {
  // Written aside and renamed: a reader never sees half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${file}.tmp`, file);
}

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  let request;
  try {
    request = JSON.parse(input);
  } catch {
    request = undefined;
  }
  // Protocol errors are answers (exit 0); a non-zero exit means the script itself failed.
  const response = request === undefined ? failure("InvalidRequest", "not JSON") : handle(request);
  process.stdout.write(`${JSON.stringify(response)}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  await main();
