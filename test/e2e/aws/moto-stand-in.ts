// The one stand-in of the AWS end-to-end test, in front of moto on loopback; every other call goes
// to moto unchanged. It stands in for exactly two behaviours moto lacks (test/cluster/aws/MOTO.md):
// - SSM's public EKS and Bottlerocket AMI parameters (`/aws/service/eks/optimized-ami/…`,
//   `/aws/service/bottlerocket/…`): moto has none and refuses PutParameter under /aws/service/,
//   so GetParameter(s) of the names the test maps are answered with the AMI ids given;
// - EC2 capacity: moto never runs out. For an instance type the test marks exhausted, CreateFleet
//   behaves as EC2 does: the type's overrides are not launched, each is reported in `errorSet`
//   with InsufficientInstanceCapacity, and the rest of the request goes to moto as sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export class MotoStandIn {
  /** AMI ids by SSM parameter name. */
  readonly parameters = new Map<string, string>();
  /** Instance types EC2 has no capacity for now. */
  readonly exhausted = new Set<string>();
  /** Instance types whose CreateFleet overrides were refused, in order. */
  readonly refused: string[] = [];
  readonly #moto: URL;
  readonly #server: Server;

  constructor(motoEndpoint: string) {
    this.#moto = new URL(motoEndpoint);
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString("utf8");
      const target = String(req.headers["x-amz-target"] ?? "");
      if (target === "AmazonSSM.GetParameter" || target === "AmazonSSM.GetParameters") {
        const answer = this.#parameters(target, JSON.parse(body) as Record<string, unknown>);
        if (answer !== undefined) {
          res.writeHead(200, { "Content-Type": "application/x-amz-json-1.1" });
          res.end(JSON.stringify(answer));
          return;
        }
      }
      const form = new URLSearchParams(body);
      if (form.get("Action") === "CreateFleet" && this.exhausted.size > 0) {
        await this.#createFleet(req, res, form);
        return;
      }
      await this.#forward(req, res, body);
    } catch (error) {
      res.writeHead(500);
      res.end(String(error));
    }
  }

  #parameters(target: string, input: Record<string, unknown>): object | undefined {
    const names = target.endsWith("GetParameter")
      ? [String(input.Name)]
      : (input.Names as string[]);
    if (!names.every((name) => this.parameters.has(name))) return undefined;
    const parameter = (name: string) => ({
      Name: name,
      Type: "String",
      Value: this.parameters.get(name),
      Version: 1,
      DataType: "aws:ec2:image",
    });
    return target.endsWith("GetParameter")
      ? { Parameter: parameter(names[0] ?? "") }
      : { Parameters: names.map(parameter), InvalidParameters: [] };
  }

  /** Drops the exhausted types' overrides, forwards the rest, and reports the dropped ones. */
  async #createFleet(req: IncomingMessage, res: ServerResponse, form: URLSearchParams) {
    const dropped: { config: number; fields: Record<string, string> }[] = [];
    const kept = new URLSearchParams();
    const overrides = new Map<string, Record<string, string>>();
    for (const [key, value] of form) {
      const match = /^LaunchTemplateConfigs\.(\d+)\.Overrides\.(\d+)\.(.+)$/.exec(key);
      if (match === null) kept.append(key, value);
      else {
        const id = `${match[1]}.${match[2]}`;
        overrides.set(id, { ...overrides.get(id), [match[3] ?? ""]: value });
      }
    }
    const next = new Map<string, number>();
    for (const [id, fields] of overrides) {
      const config = Number(id.split(".")[0]);
      if (this.exhausted.has(fields.InstanceType ?? "")) {
        dropped.push({ config, fields });
        this.refused.push(fields.InstanceType ?? "");
        continue;
      }
      const index = (next.get(String(config)) ?? 0) + 1;
      next.set(String(config), index);
      for (const [field, value] of Object.entries(fields))
        kept.append(`LaunchTemplateConfigs.${config}.Overrides.${index}.${field}`, value);
    }
    const errors = dropped.map(({ config, fields }) => errorItem(form, config, fields)).join("");
    if (next.size === 0) {
      res.writeHead(200, { "Content-Type": "text/xml" });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><CreateFleetResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>stand-in</requestId><fleetId>fleet-stand-in</fleetId><errorSet>${errors}</errorSet><fleetInstanceSet/></CreateFleetResponse>`,
      );
      return;
    }
    const answer = await this.#send(req, kept.toString());
    const text =
      errors === ""
        ? answer.text
        : answer.text.replace(
            "</CreateFleetResponse>",
            `<errorSet>${errors}</errorSet></CreateFleetResponse>`,
          );
    res.writeHead(answer.status, { "Content-Type": "text/xml" });
    res.end(text);
  }

  async #forward(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const answer = await this.#send(req, body);
    res.writeHead(answer.status, answer.headers);
    res.end(answer.text);
  }

  async #send(req: IncomingMessage, body: string) {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers))
      if (typeof value === "string" && !["host", "content-length", "connection"].includes(key))
        headers[key] = value;
    const response = await fetch(new URL(req.url ?? "/", this.#moto), {
      method: req.method ?? "POST",
      headers,
      ...(req.method !== "GET" && req.method !== "HEAD" && { body }),
    });
    const passed: Record<string, string> = {};
    const type = response.headers.get("content-type");
    if (type !== null) passed["content-type"] = type;
    return { status: response.status, headers: passed, text: await response.text() };
  }
}

/** One `errorSet` item as EC2 writes it for an override it could not fill. */
function errorItem(form: URLSearchParams, config: number, fields: Record<string, string>): string {
  const spec = (field: string) =>
    form.get(`LaunchTemplateConfigs.${config}.LaunchTemplateSpecification.${field}`);
  const xml = (name: string, value: string | null | undefined) =>
    value ? `<${name}>${escapeXml(value)}</${name}>` : "";
  const lifecycle =
    form.get("TargetCapacitySpecification.DefaultTargetCapacityType") ?? "on-demand";
  return `<item><launchTemplateAndOverrides><launchTemplateSpecification>${xml("launchTemplateId", spec("LaunchTemplateId"))}${xml("launchTemplateName", spec("LaunchTemplateName"))}${xml("version", spec("Version") ?? "$Latest")}</launchTemplateSpecification><overrides>${xml("instanceType", fields.InstanceType)}${xml("subnetId", fields.SubnetId)}${xml("availabilityZone", fields.AvailabilityZone)}</overrides></launchTemplateAndOverrides><lifecycle>${escapeXml(lifecycle)}</lifecycle><errorCode>InsufficientInstanceCapacity</errorCode><errorMessage>We currently do not have sufficient ${escapeXml(fields.InstanceType ?? "")} capacity in the Availability Zone you requested.</errorMessage></item>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
