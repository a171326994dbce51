/**
 * EC2 provider IDs as the AWS cloud provider and the kubelet write them: `aws:///<zone>/<id>`
 * (Karpenter's utils.ParseInstanceID reads the instance ID back out; the zone part may be empty).
 */
const pattern = /^aws:\/\/\/[^/]*\/(i-[0-9a-z]+)$/;

export function awsProviderID(zone: string, instanceId: string): string {
  return `aws:///${zone}/${instanceId}`;
}

/** The instance ID of an `aws:///zone/i-…` provider ID; undefined for any other form. */
export function parseInstanceID(providerID: string): string | undefined {
  return pattern.exec(providerID)?.[1];
}
