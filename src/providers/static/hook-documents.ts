import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { Taint } from "../../api/pod.ts";
import type { StaticMachine } from "../../api/staticnodeclass.ts";

export const HookDocumentVersion = "carpool.dev/hooks/v1";

/** The machine as a hook sees it: where to find it, and what it is. */
export interface MachineDocument {
  readonly name: string;
  /** The operator's `address` as written (IP, host name, MAC); absent when the class gives none. */
  readonly address?: string;
  readonly zone: string;
  readonly instanceType: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface NodeClaimDocument {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints?: readonly Taint[];
}

/** What `powerOn` gets on standard input (or as the POST body): switch this machine on with this user data. */
export interface PowerOnDocument {
  readonly apiVersion: typeof HookDocumentVersion;
  readonly kind: "PowerOn";
  readonly machine: MachineDocument;
  readonly nodeClaim: NodeClaimDocument;
  readonly nodeClass: string;
  /** Joins the machine as Node `<nodeClaim.name>`; holds the join token, so never log it. */
  readonly userData: { readonly format: string; readonly content: string };
}

/** What `powerOff` gets: switch this machine off (it is already off: succeed). */
export interface PowerOffDocument {
  readonly apiVersion: typeof HookDocumentVersion;
  readonly kind: "PowerOff";
  readonly machine: MachineDocument;
  readonly nodeClaim: NodeClaimDocument;
  readonly nodeClass: string;
}

export function powerOnDocument(
  machine: StaticMachine,
  claim: NodeClaim,
  nodeClass: string,
  userData: { readonly format: string; readonly content: string },
): PowerOnDocument {
  return {
    apiVersion: HookDocumentVersion,
    kind: "PowerOn",
    machine: machineDocument(machine),
    nodeClaim: nodeClaimDocument(claim),
    nodeClass,
    userData: { format: userData.format, content: userData.content },
  };
}

export function powerOffDocument(
  machine: StaticMachine,
  claim: NodeClaim,
  nodeClass: string,
): PowerOffDocument {
  return {
    apiVersion: HookDocumentVersion,
    kind: "PowerOff",
    machine: machineDocument(machine),
    nodeClaim: nodeClaimDocument(claim),
    nodeClass,
  };
}

function machineDocument(machine: StaticMachine): MachineDocument {
  return {
    name: machine.name,
    ...(machine.address !== undefined && { address: machine.address }),
    zone: machine.zone,
    instanceType: machine.instanceType,
    labels: machine.labels ?? {},
  };
}

function nodeClaimDocument(claim: NodeClaim): NodeClaimDocument {
  const taints = claim.spec.taints ?? [];
  return {
    name: claim.metadata.name ?? "",
    labels: claim.metadata.labels ?? {},
    ...(taints.length > 0 && { taints }),
  };
}
