import type { ExecNodeClass } from "../../api/execnodeclass.ts";
import type { NodeClaim } from "../../api/nodeclaim.ts";
import type { Taint } from "../../api/pod.ts";
import type { OfferingChoice } from "../offering-choice.ts";
import {
  type CreateRequest,
  type DeleteRequest,
  type ExecNodeClaim,
  type ExecNodeClassRef,
  ExecProtocolVersion,
  type ExecUserData,
  type GetRequest,
  type ListRequest,
} from "./protocol.ts";

/** The requests carpool sends, built from its objects with only the fields the protocol names. */

export function createRequest(
  nodeClass: ExecNodeClass,
  nodeClaim: NodeClaim,
  offerings: readonly OfferingChoice[],
  userData: ExecUserData | undefined,
  providerID?: string,
): CreateRequest {
  return {
    apiVersion: ExecProtocolVersion,
    kind: "CreateRequest",
    nodeClass: nodeClassRef(nodeClass),
    nodeClaim: execNodeClaim(nodeClaim),
    offerings: offerings.map(({ instanceType, offering }) => ({
      instanceType: instanceType.name,
      zone: offering.zone,
      capacityType: offering.capacityType,
      price: offering.price,
    })),
    ...(userData !== undefined && { userData }),
    ...(providerID !== undefined && { providerID }),
  };
}

export function deleteRequest(
  nodeClass: ExecNodeClass,
  providerID: string,
  nodeClaim: string | undefined,
): DeleteRequest {
  return {
    apiVersion: ExecProtocolVersion,
    kind: "DeleteRequest",
    nodeClass: nodeClassRef(nodeClass),
    instance: { providerID, ...(nodeClaim ? { nodeClaim } : {}) },
  };
}

export function getRequest(nodeClass: ExecNodeClass, providerID: string): GetRequest {
  return {
    apiVersion: ExecProtocolVersion,
    kind: "GetRequest",
    nodeClass: nodeClassRef(nodeClass),
    providerID,
  };
}

export function listRequest(nodeClass: ExecNodeClass): ListRequest {
  return {
    apiVersion: ExecProtocolVersion,
    kind: "ListRequest",
    nodeClass: nodeClassRef(nodeClass),
  };
}

function nodeClassRef(nodeClass: ExecNodeClass): ExecNodeClassRef {
  return { name: nodeClass.metadata.name ?? "", config: nodeClass.spec.config ?? {} };
}

function execNodeClaim(nodeClaim: NodeClaim): ExecNodeClaim {
  const taint = ({ key, value, effect }: Taint) => ({
    key,
    ...(value !== undefined && { value }),
    effect,
  });
  return {
    name: nodeClaim.metadata.name ?? "",
    labels: { ...nodeClaim.metadata.labels },
    taints: (nodeClaim.spec.taints ?? []).map(taint),
    startupTaints: (nodeClaim.spec.startupTaints ?? []).map(taint),
    requirements: nodeClaim.spec.requirements.map(({ key, operator, values, minValues }) => ({
      key,
      operator,
      ...(values !== undefined && { values: [...values] }),
      ...(minValues !== undefined && { minValues }),
    })),
  };
}
