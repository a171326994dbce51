/**
 * IP addresses and CIDR blocks as Go's net.ParseIP / net.ParseCIDR read them, which is how nodeadm
 * reads `spec.cluster.cidr` and the kubelet reads `clusterDNS`: dotted-quad IPv4 without leading
 * zeros, IPv6 with at most one `::` and an optional IPv4 tail. No zones, no brackets.
 */

const ipv4Octet = /^(0|[1-9]\d{0,2})$/;

export function isIPv4(text: string): boolean {
  const octets = text.split(".");
  return (
    octets.length === 4 && octets.every((octet) => ipv4Octet.test(octet) && Number(octet) <= 255)
  );
}

const hextet = /^[0-9A-Fa-f]{1,4}$/;

export function isIPv6(text: string): boolean {
  if (!text.includes(":")) return false;
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groups = (half: string) => (half === "" ? [] : half.split(":"));
  const head = groups(halves[0] ?? "");
  const tail = halves.length === 2 ? groups(halves[1] ?? "") : [];
  const all = [...head, ...tail];
  // An IPv4 tail (::ffff:10.0.0.1) stands for two groups, and only at the very end.
  const last = all.at(-1);
  const v4Tail = last?.includes(".") === true;
  if (v4Tail && !isIPv4(last ?? "")) return false;
  const hex = v4Tail ? all.slice(0, -1) : all;
  if (!hex.every((group) => hextet.test(group))) return false;
  const width = hex.length + (v4Tail ? 2 : 0);
  return halves.length === 2 ? width <= 7 : width === 8;
}

export function isIP(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}

/** `10.100.0.0/16`, `fd00:10:96::/108`: an address and a prefix length that fits its family. */
export function isCIDR(text: string): boolean {
  const slash = text.indexOf("/");
  if (slash < 0) return false;
  const address = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(prefix)) return false;
  if (isIPv4(address)) return Number(prefix) <= 32;
  return isIPv6(address) && Number(prefix) <= 128;
}
