#!/bin/sh
# carpool powerOff hook for examples/k3s-edge — an EXAMPLE to adapt, not a supported tool.
#
# carpool runs it as argv (no shell), with the PowerOff document on standard input and a minimal
# environment (PATH, HOME, LANG, LC_ALL, TZ, TMPDIR):
#
#   poweroff.sh <DNS domain of the machines>
#
# It removes the k3s agent from <machine name>.<domain> (so the box never rejoins as the old Node
# when it is next woken for another claim) and shuts it down, then waits until SSH stops
# answering. Exit status 0 means off. Idempotent: a machine that does not answer is off already.
set -eu

domain=${1:?usage: poweroff.sh <domain>}
document=$(cat)

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
  echo "poweroff.sh: $*" >&2
  exit 1
}

[ "$(field kind)" = PowerOff ] || fail "expected a PowerOff document, got '$(field kind)'"
machine=$(field machine.name)
case $machine in '' | *[!a-z0-9-]*) fail "unexpected machine name '$machine'" ;; esac
host="$machine.$domain"
ssh_opts="-o BatchMode=yes -o ConnectTimeout=5 -o StrictHostKeyChecking=accept-new"

# shellcheck disable=SC2086 # ssh_opts is a list of options
if ! ssh $ssh_opts "root@$host" true 2>/dev/null; then
  echo "$machine does not answer: already off"
  exit 0
fi

# The shutdown is started in the background so that SSH returns before the connection drops.
# shellcheck disable=SC2086
ssh $ssh_opts "root@$host" "if [ -x /usr/local/bin/k3s-agent-uninstall.sh ]; then \
  /usr/local/bin/k3s-agent-uninstall.sh >/dev/null 2>&1; fi; rm -f /var/lib/carpool/nodeclaim; \
  nohup sh -c 'sleep 2; systemctl poweroff' >/dev/null 2>&1 &"
echo "$machine is shutting down"

# The hook's timeout (spec.powerOff.timeout) bounds the wait.
# shellcheck disable=SC2086
while ssh $ssh_opts "root@$host" true 2>/dev/null; do sleep 5; done
echo "$machine is off"
