/**
 * Whether `a` is newer than `b`. resourceVersions are opaque to clients, but every datastore
 * kube-apiserver runs on (etcd, kine) hands out increasing integers; the cache uses that to keep
 * its own writes from being overwritten by an older watch event still in flight. Anything else
 * compares as newer, so the latest word wins.
 */
export function isNewer(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  if (!/^\d+$/.test(a) || !/^\d+$/.test(b)) return true;
  return BigInt(a) >= BigInt(b);
}
