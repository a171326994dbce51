import type { FieldError } from "../../api/field-errors.ts";
import type { OfferingChoice } from "../offering-choice.ts";
import { instanceErrors, offeringOf } from "./instance.ts";
import type { ErrorResponse, Instance } from "./protocol.ts";
import type { Answers } from "./response.ts";

/**
 * What carpool checks in an answer beyond its schema: a user's script is never trusted to have
 * launched what was asked. A create's instance must carry the claim's name and be on one of the
 * offerings sent, not terminating, with the provider ID the user data registers the Node with when
 * it sets one; the offerings an InsufficientCapacity error names must be some
 * of those sent; a get's instance must be the one asked for.
 */
export function createAnswerErrors(
  nodeClaim: string,
  sent: readonly OfferingChoice[],
  providerID: string | undefined,
): (answer: Answers["create"] | ErrorResponse) => FieldError[] {
  return (answer) => {
    if (answer.kind === "ErrorResponse")
      return (answer.error.offerings ?? []).flatMap((named, i) =>
        offeringOf(named, sent) === undefined
          ? [{ path: `error.offerings[${i}]`, message: `${describe(named)} was not offered` }]
          : [],
      );
    const { instance } = answer;
    const errors = instanceErrors(instance, "instance");
    if (instance.nodeClaim === undefined)
      errors.push({
        path: "instance.nodeClaim",
        message: `is required: carpool tags every instance with its NodeClaim (${nodeClaim})`,
      });
    else if (instance.nodeClaim !== nodeClaim)
      errors.push({
        path: "instance.nodeClaim",
        message: `must be ${nodeClaim}, the NodeClaim this create is for, not ${instance.nodeClaim}`,
      });
    if (offeringOf(instance, sent) === undefined)
      errors.push({
        path: `instance.${unofferedField(instance, sent)}`,
        message: `${describe(instance)} is not one of the offerings sent (${sent
          .slice(0, 5)
          .map(({ instanceType, offering }) =>
            describe({ instanceType: instanceType.name, ...offering }),
          )
          .join(", ")}${sent.length > 5 ? ", …" : ""})`,
      });
    if (providerID !== undefined && instance.providerID !== providerID)
      errors.push({
        path: "instance.providerID",
        message: `must be ${providerID}, the provider ID the user data registers the Node with`,
      });
    if (instance.state === "terminating")
      errors.push({ path: "instance.state", message: "must not be terminating for a create" });
    return errors;
  };
}

export function getAnswerErrors(
  providerID: string,
): (answer: Answers["get"] | ErrorResponse) => FieldError[] {
  return (answer) => {
    if (answer.kind === "ErrorResponse") return [];
    const errors = instanceErrors(answer.instance, "instance");
    if (answer.instance.providerID !== providerID)
      errors.push({
        path: "instance.providerID",
        message: `must be ${providerID}, the instance asked for, not ${answer.instance.providerID}`,
      });
    return errors;
  };
}

export function listAnswerErrors(answer: Answers["list"] | ErrorResponse): FieldError[] {
  if (answer.kind === "ErrorResponse") return [];
  return answer.instances.flatMap((instance, i) => instanceErrors(instance, `instances[${i}]`));
}

/** The first of instance type, zone and capacity type that no offering sent shares with the instance. */
function unofferedField(
  instance: Instance,
  sent: readonly OfferingChoice[],
): "instanceType" | "zone" | "capacityType" {
  const ofType = sent.filter((c) => c.instanceType.name === instance.instanceType);
  if (ofType.length === 0) return "instanceType";
  return ofType.some((c) => c.offering.zone === instance.zone) ? "capacityType" : "zone";
}

function describe(offering: Pick<Instance, "instanceType" | "zone" | "capacityType">): string {
  return `${offering.instanceType} in ${offering.zone} (${offering.capacityType})`;
}
