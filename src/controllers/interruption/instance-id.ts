/**
 * The cloud's own ID of an instance: the last path segment of its provider ID, as Karpenter's AWS
 * provider parses `aws:///us-west-2a/i-0123` (`utils.ParseInstanceID`). Undefined for an empty one.
 */
export function instanceIDOf(providerID: string): string | undefined {
  const id = providerID.slice(providerID.lastIndexOf("/") + 1);
  return id === "" ? undefined : id;
}
