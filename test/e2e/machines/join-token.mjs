// The k3s server's side of a join: an agent whose configuration carries a token other than the
// cluster's is refused, as a real server refuses it. The token is compared by its SHA-256, so the
// cluster's is on no command line; neither is ever printed. Each check is logged as one JSON line:
// {"join":"accepted"|"refused","node":...}.
import { createHash } from "node:crypto";
import { appendFileSync } from "node:fs";

/** Whether the agent `config` may join; logs the answer to `log`. */
export function admitJoin(config, tokenSha256, log) {
  const presented = createHash("sha256")
    .update(String(config.token ?? ""))
    .digest("hex");
  const accepted = presented === tokenSha256;
  appendFileSync(
    log,
    `${JSON.stringify({ join: accepted ? "accepted" : "refused", node: config["node-name"] })}\n`,
  );
  return accepted;
}
