import {
  DescribeInstanceTypesCommand,
  DescribeSpotPriceHistoryCommand,
  type InstanceTypeInfo,
  type SpotPrice,
} from "@aws-sdk/client-ec2";
import { GetProductsCommand } from "@aws-sdk/client-pricing";
import type { SdkClient } from "./catalog-source.ts";

/**
 * An in-repo stand-in for the EC2 and Pricing clients: answers the real command classes with
 * responses in the SDK's shapes, split into pages to exercise NextToken handling, and records
 * the commands it was sent.
 */
export class FakeAwsClient implements SdkClient {
  readonly sent: object[] = [];
  readonly #pages: Map<string, object[]>;

  constructor(
    data: { instanceTypes?: InstanceTypeInfo[]; spotPrices?: SpotPrice[]; priceList?: object[] },
    pageSize = 2,
  ) {
    const paged = <T>(items: T[], key: string) =>
      Array.from({ length: Math.max(1, Math.ceil(items.length / pageSize)) }, (_, i) => ({
        [key]: items.slice(i * pageSize, (i + 1) * pageSize),
      }));
    this.#pages = new Map<string, object[]>([
      [DescribeInstanceTypesCommand.name, paged(data.instanceTypes ?? [], "InstanceTypes")],
      [DescribeSpotPriceHistoryCommand.name, paged(data.spotPrices ?? [], "SpotPriceHistory")],
      [
        GetProductsCommand.name,
        paged(
          (data.priceList ?? []).map((p) => JSON.stringify(p)),
          "PriceList",
        ),
      ],
    ]);
  }

  async send(command: object): Promise<unknown> {
    this.sent.push(command);
    const pages = this.#pages.get(command.constructor.name);
    if (pages === undefined)
      throw new Error(`the fake AWS client does not answer ${command.constructor.name}`);
    const input = (command as { input: { NextToken?: string } }).input;
    const index = input.NextToken === undefined ? 0 : Number(input.NextToken);
    const page = pages[index] ?? {};
    return { ...page, ...(index + 1 < pages.length && { NextToken: String(index + 1) }) };
  }
}
