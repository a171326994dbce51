#!/usr/bin/env bash
# SKETCH — NEVER RUN AGAINST HETZNER: carpool's tests only check that it is shellcheck-clean and
# that it answers in the protocol when a stand-in plays hcloud. Read it, try it, then adapt it.
#
# carpool's exec provider protocol (carpool.dev/exec/v1, docs/exec-provider.md) for Hetzner Cloud,
# with the hcloud CLI and jq. The request is on stdin and the response goes to stdout. hcloud's
# own messages are kept out of stdout, and become the error message when a call fails.
#
# The ExecNodeClass's config:
#   tokenFile  a file holding the API token (a Secret mounted in carpool's pod: carpool passes
#              no credentials in the environment)
#   image      the server image, e.g. ubuntu-24.04
#   sshKey     optional: an SSH key name to add
# InstanceTypes are Hetzner server types (cx22, ...) and their zones are locations (fsn1, ...).
# Servers are named after their NodeClaim and labelled carpool.dev/nodeclaim and
# carpool.dev/nodeclass. The providerID is hcloud://<id>, which Hetzner's cloud-controller-manager
# puts on the Node, unless carpool's user data gives the kubelet one (the request's providerID):
# this sketch knows k3s://<nodeClaim>, recorded as the label carpool.dev/kubelet-provider-id=k3s.
set -euo pipefail

readonly version="carpool.dev/exec/v1"
request=$(cat)
errors=$(mktemp)
userdata=""
trap 'rm -f "$errors" "$userdata"' EXIT

# A Hetzner server as the protocol's Instance.
readonly instance='def instance: {
    providerID: (if .labels["carpool.dev/kubelet-provider-id"] == "k3s" then "k3s://\(.name)"
                 else "hcloud://\(.id)" end),
    instanceType: .server_type.name,
    zone: .datacenter.location.name,
    capacityType: "on-demand",
    state: (if .status == "running" then "running"
            elif .status == "deleting" then "terminating"
            else "pending" end)
  } + (if .labels["carpool.dev/nodeclaim"] then {nodeClaim: .labels["carpool.dev/nodeclaim"]} else {} end);'

# answer KIND [FIELDS]: prints a response; FIELDS is a JSON object of its other fields.
answer() {
  jq -cn --arg v "$version" --arg kind "$1" --argjson fields "${2:-null}" \
    '{apiVersion: $v, kind: $kind} + ($fields // {})'
}

# fail CODE MESSAGE: prints an ErrorResponse (exit 0: it is an answer, not a failed script).
fail() {
  answer ErrorResponse "$(jq -cn --arg code "$1" --arg message "$2" \
    '{error: {code: $code, message: $message}}')"
}

field() { jq -r "$1" <<<"$request"; }
config() { jq -r --arg key "$1" '.nodeClass.config[$key] // empty' <<<"$request"; }
hc() { hcloud "$@" 2>"$errors"; }

# server PROVIDER_ID: prints the server's JSON; fails (with "not found" in $errors) if none.
server() {
  local found
  case "$1" in
    hcloud://*) hc server describe "${1#hcloud://}" --output json ;;
    k3s://*)
      found=$(hc server list --selector "carpool.dev/nodeclaim=${1#k3s://}" --output json) || return 1
      if [[ $(jq length <<<"$found") -eq 0 ]]; then
        echo "server not found: $1" >"$errors"
        return 1
      fi
      jq -c '.[0]' <<<"$found"
      ;;
    *)
      echo "not found: $1 is not a provider ID of this script" >"$errors"
      return 1
      ;;
  esac
}

create() {
  local name class image existing created offering type zone
  local extra=()
  name=$(field .nodeClaim.name)
  class=$(field .nodeClass.name)
  image=$(config image)
  [[ -n $image ]] || { fail InvalidRequest "config.image is required"; return; }
  if [[ -n $(config sshKey) ]]; then extra+=(--ssh-key "$(config sshKey)"); fi
  case "$(field '.providerID // ""')" in
    "") ;;
    "k3s://$name") extra+=(--label "carpool.dev/kubelet-provider-id=k3s") ;;
    *) fail InvalidRequest "this sketch knows only k3s://<nodeClaim> as a kubelet provider ID"; return ;;
  esac
  # Idempotent: a create sent again for this claim gets the server already made for it.
  if ! existing=$(hc server list --selector "carpool.dev/nodeclaim=$name" --output json); then
    fail Internal "hcloud server list: $(cat "$errors")"
    return
  fi
  if [[ $(jq length <<<"$existing") -gt 0 ]]; then
    answer CreateResponse "$(jq -c "$instance {instance: (.[0] | instance)}" <<<"$existing")"
    return
  fi
  userdata=$(mktemp)
  chmod 600 "$userdata"
  field '.userData.content // ""' >"$userdata"
  # Offerings come cheapest first: the first one Hetzner has capacity for is launched.
  while read -r -u 3 offering; do
    type=$(jq -r .instanceType <<<"$offering")
    zone=$(jq -r .zone <<<"$offering")
    if created=$(hc server create --name "$name" --type "$type" --location "$zone" \
      --image "$image" --label "carpool.dev/nodeclaim=$name" --label "carpool.dev/nodeclass=$class" \
      --user-data-from-file "$userdata" ${extra[@]+"${extra[@]}"} --output json); then
      answer CreateResponse "$(jq -c "$instance {instance: (.server | instance)}" <<<"$created")"
      return
    fi
    # Out of capacity for this type in this location: try the next offering. Anything else fails.
    if ! grep -q -e resource_unavailable -e resource_limit_exceeded "$errors"; then
      fail Internal "hcloud server create $type in $zone: $(cat "$errors")"
      return
    fi
  done 3< <(jq -c '.offerings[] | select(.capacityType == "on-demand")' <<<"$request")
  fail InsufficientCapacity "Hetzner had none of the server types offered"
}

delete() {
  local id found
  id=$(field .instance.providerID)
  if found=$(server "$id") && hc server delete "$(jq -r .id <<<"$found")" >/dev/null; then
    answer DeleteResponse
  elif grep -qi "not found" "$errors"; then
    fail NotFound "no server $id"
  else
    fail Internal "deleting $id: $(cat "$errors")"
  fi
}

get() {
  local id found
  id=$(field .providerID)
  if found=$(server "$id"); then
    answer GetResponse "$(jq -c "$instance {instance: instance}" <<<"$found")"
  elif grep -qi "not found" "$errors"; then
    fail NotFound "no server $id"
  else
    fail Internal "looking up $id: $(cat "$errors")"
  fi
}

list() {
  local servers
  if servers=$(hc server list --selector "carpool.dev/nodeclass=$(field .nodeClass.name)" --output json); then
    answer ListResponse "$(jq -c "$instance {instances: map(instance)}" <<<"$servers")"
  else
    fail Internal "hcloud server list: $(cat "$errors")"
  fi
}

token_file=$(config tokenFile)
if [[ -z $token_file || ! -r $token_file ]]; then
  fail InvalidRequest "config.tokenFile must name a readable file holding the Hetzner API token"
  exit 0
fi
HCLOUD_TOKEN=$(<"$token_file")
export HCLOUD_TOKEN

case "$(field .kind)" in
  CreateRequest) create ;;
  DeleteRequest) delete ;;
  GetRequest) get ;;
  ListRequest) list ;;
  *) fail InvalidRequest "unknown kind $(field .kind)" ;;
esac
