#!/bin/sh
# carpool powerOn hook for examples/k3s-edge — an EXAMPLE to adapt, not a supported tool.
#
# carpool runs it as argv (no shell), with the PowerOn document on standard input and only PATH,
# HOME, LANG, LC_ALL, TZ and TMPDIR in the environment, so its settings come as arguments:
#
#   wake.sh <broadcast address> <DNS domain of the machines>
#
# It wakes the machine named in the document with a Wake-on-LAN magic packet sent to its MAC
# (`machine.address`), waits for SSH on <machine name>.<domain>, and runs the user data there as
# root (a `shell` document: the k3s agent install that joins it as Node <nodeClaim.name>).
# Exit status 0 means switched on and joining; anything else is a failure whose output carpool
# reports (with the join token redacted) before it runs powerOff and frees the machine.
#
# Idempotent, as carpool retries hooks: a machine that already runs the agent for this claim is
# left as it is. JSON is read with `node -e` (carpool's own runtime), so no jq is needed.
set -eu

broadcast=${1:?usage: wake.sh <broadcast address> <domain>}
domain=${2:?usage: wake.sh <broadcast address> <domain>}
document=$(cat)

# field <dotted.path>: one string field of the document, empty when absent.
field() {
  printf '%s' "$document" | node -e '
let text = "";
process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => {
  let value = JSON.parse(text);
  for (const key of process.argv[1].split(".")) value = value == null ? undefined : value[key];
  process.stdout.write(value == null ? "" : String(value));
});' "$1"
}

fail() {
  echo "wake.sh: $*" >&2
  exit 1
}

[ "$(field kind)" = PowerOn ] || fail "expected a PowerOn document, got '$(field kind)'"
machine=$(field machine.name)
claim=$(field nodeClaim.name)
mac=$(field machine.address)
format=$(field userData.format)
# Names go into an SSH command line: DNS names only.
case $machine in '' | *[!a-z0-9-]*) fail "unexpected machine name '$machine'" ;; esac
case $claim in '' | *[!a-z0-9.-]*) fail "unexpected NodeClaim name '$claim'" ;; esac
[ -n "$mac" ] || fail "machine $machine has no address (its MAC) in the StaticNodeClass"
[ "$format" = shell ] || fail "this example runs shell user data only, not '$format'"
host="$machine.$domain"
ssh_opts="-o BatchMode=yes -o ConnectTimeout=5 -o StrictHostKeyChecking=accept-new"

# Already joined for this claim (a retry after a slow first attempt): nothing to do. ssh_opts is
# a list of options (SC2086); $claim, checked above, is meant to expand here (SC2029).
# shellcheck disable=SC2086,SC2029
if ssh $ssh_opts "root@$host" "grep -qx '$claim' /var/lib/carpool/nodeclaim" 2>/dev/null; then
  echo "$machine already runs the k3s agent for $claim"
  exit 0
fi

node -e '
const dgram = require("node:dgram");
const [mac, broadcast] = process.argv.slice(1);
const hex = mac.replace(/[^0-9a-fA-F]/g, "");
if (hex.length !== 12) {
  console.error("not a MAC address: " + mac);
  process.exit(2);
}
const packet = Buffer.concat([Buffer.alloc(6, 0xff), ...Array(16).fill(Buffer.from(hex, "hex"))]);
const socket = dgram.createSocket("udp4");
socket.bind(() => {
  socket.setBroadcast(true);
  socket.send(packet, 9, broadcast, (error) => {
    socket.close();
    if (error) {
      console.error("magic packet: " + error.message);
      process.exit(1);
    }
  });
});' "$mac" "$broadcast"
echo "sent a magic packet to $mac for $machine"

# Booting takes a while; the hook's timeout (spec.powerOn.timeout) bounds the whole wait.
# shellcheck disable=SC2086
until ssh $ssh_opts "root@$host" true 2>/dev/null; do sleep 5; done
echo "$machine answers on SSH"

# The user data holds the join token: it goes over SSH to a root-only file, runs, and is removed.
# shellcheck disable=SC2086,SC2029
field userData.content | ssh $ssh_opts "root@$host" "umask 077 && cat > /run/carpool-user-data \
  && sh /run/carpool-user-data; status=\$?; rm -f /run/carpool-user-data; [ \$status -eq 0 ] \
  && mkdir -p /var/lib/carpool && echo '$claim' > /var/lib/carpool/nodeclaim"
echo "$machine is joining as Node $claim"
