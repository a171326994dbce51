import type { Pod } from "../api/pod.ts";
import type { Reason } from "./reasons.ts";

export interface HostPort {
  readonly port: number;
  readonly protocol: string;
  /** "0.0.0.0" when the pod binds every address. */
  readonly hostIP: string;
}

const portsCache = new WeakMap<Pod, HostPort[]>();

/**
 * The host ports a pod asks for (NodePorts plugin, getContainerPorts): ports with a non-zero
 * hostPort of its containers and of its sidecar init containers, which keep running; protocol
 * defaults to TCP and an empty hostIP means every address.
 */
export function podHostPorts(pod: Pod): HostPort[] {
  let ports = portsCache.get(pod);
  if (ports === undefined) {
    ports = computeHostPorts(pod);
    portsCache.set(pod, ports);
  }
  return ports;
}

function computeHostPorts(pod: Pod): HostPort[] {
  const containers = [
    ...pod.spec.containers,
    ...(pod.spec.initContainers ?? []).filter((container) => container.restartPolicy === "Always"),
  ];
  return containers.flatMap((container) =>
    (container.ports ?? [])
      .filter((port) => (port.hostPort ?? 0) > 0)
      .map((port) => ({
        port: port.hostPort as number,
        protocol: port.protocol ?? "TCP",
        hostIP: port.hostIP || "0.0.0.0",
      })),
  );
}

/**
 * HostPortInfo.CheckConflict: two ports conflict when protocol and port are equal and the
 * addresses overlap — the same address, or either binds every address (0.0.0.0 or ::).
 */
export function hostPortConflicts(
  wanted: readonly HostPort[],
  used: readonly (HostPort & { readonly usedBy?: string })[],
): Reason[] {
  const reasons: Reason[] = [];
  for (const port of wanted) {
    const clash = used.find(
      (other) =>
        other.port === port.port &&
        other.protocol === port.protocol &&
        (isWildcard(port.hostIP) || isWildcard(other.hostIP) || other.hostIP === port.hostIP),
    );
    if (clash) {
      reasons.push({
        code: "host_port_conflict",
        port: port.port,
        protocol: port.protocol,
        hostIP: port.hostIP,
        ...(clash.usedBy !== undefined && { usedBy: clash.usedBy }),
      });
    }
  }
  return reasons;
}

function isWildcard(ip: string): boolean {
  return ip === "0.0.0.0" || ip === "::" || ip === "";
}
