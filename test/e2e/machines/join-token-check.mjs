#!/usr/bin/env node
// The join-token check (join-token.mjs) in front of a machine's own hook: a call whose user data
// carries a k3s agent configuration is passed on only when its token is the cluster's; calls
// without user data (power off) pass as they are.
//
//   join-token-check.mjs --token-sha256 HEX --log FILE -- COMMAND [ARGS...]
//
// The wrapped command gets the same standard input; its output and exit code are this command's.
import { spawnSync } from "node:child_process";
import { admitJoin } from "./join-token.mjs";
import { agentConfig } from "./k3s-agent-config.mjs";

const args = process.argv.slice(2);
const split = args.indexOf("--");
const own = args.slice(0, split);
const [command, ...commandArgs] = args.slice(split + 1);
const option = (name) => own[own.indexOf(name) + 1];

let input = "";
for await (const chunk of process.stdin) input += chunk;
const userData = JSON.parse(input).userData;
if (userData !== undefined) {
  const config = agentConfig(userData);
  if (!admitJoin(config, option("--token-sha256"), option("--log"))) {
    console.error(`the server refused ${config["node-name"]}: wrong join token`);
    process.exit(6);
  }
}
const wrapped = spawnSync(command, commandArgs, { input, stdio: ["pipe", "inherit", "inherit"] });
process.exit(wrapped.status ?? 1);
