#!/bin/sh
# Joins this machine to the cluster as a k3s agent. Rendered by carpool.
set -eu
umask 077
mkdir -p /etc/rancher/k3s
cat >/etc/rancher/k3s/config.yaml <<'CARPOOL_K3S_CONFIG'
server: "https://10.0.0.1:6443"
token: "K105f3c1e0a9b7d24685f3c1e0a9b7d24685f3c1e0a9b7d24685f3c1e0a9b7d2468::server:9d3a7e61c04b58f2"
node-name: "edge-7xk2p"
node-label:
  - "example.com/team=yes"
  - "karpenter.sh/capacity-type=on-demand"
  - "karpenter.sh/nodepool=edge"
  - "node.kubernetes.io/instance-type=rack-m"
  - "topology.kubernetes.io/zone=rack-1"
node-taint:
  - "dedicated=camera:NoSchedule"
  - "example.com/warming:NoExecute"
  - "karpenter.sh/unregistered:NoExecute"
kubelet-arg:
  - "max-pods=58"
  - "system-reserved=cpu=100m,memory=500Mi"
  - "kube-reserved=cpu=200m,memory=1Gi"
  - "eviction-hard=memory.available<100Mi,nodefs.available<10%"
  - "provider-id=static://rack-1/box-07"
CARPOOL_K3S_CONFIG
chmod 0600 /etc/rancher/k3s/config.yaml
umask 022
installer=$(mktemp)
trap 'rm -f "$installer"' EXIT
if command -v curl >/dev/null 2>&1; then
  curl -sfL --retry 5 -o "$installer" 'https://get.k3s.io'
else
  wget -qO "$installer" 'https://get.k3s.io'
fi
INSTALL_K3S_VERSION='v1.31.4+k3s1' INSTALL_K3S_FORCE_RESTART='true' INSTALL_K3S_EXEC='agent' sh "$installer"
