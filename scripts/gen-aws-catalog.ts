/**
 * Regenerates src/catalog/data/aws.generated.json, carpool's built-in AWS catalog:
 *   npm run catalog:aws
 * from the public facts gathered in ../shared/data (see its README for where each comes from).
 * With AWS credentials in the environment (AWS_ACCESS_KEY_ID or AWS_PROFILE), prices are then
 * refreshed from the Pricing API and EC2 spot price history for each region in CARPOOL_REGIONS
 * (comma-separated; default us-east-1,us-west-2,eu-west-1).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EC2Client } from "@aws-sdk/client-ec2";
import { PricingClient } from "@aws-sdk/client-pricing";
import {
  type AwsCatalogData,
  buildAwsCatalogData,
  type SharedInstanceType,
  withLivePrices,
} from "../src/catalog/aws-catalog-data.ts";
import { onDemandPrices, spotPrices } from "../src/providers/aws/catalog-source.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const shared = join(root, "..", "shared", "data");
const inputs = ["aws-instance-types.json", "aws-instance-labels.json"];
const missing = inputs.filter((file) => !existsSync(join(shared, file)));
if (missing.length > 0) {
  // A fresh clone has no ../shared/data: say what is needed, not a stack trace.
  process.stderr.write(
    `npm run catalog:aws: missing ${missing.map((file) => join(shared, file)).join(" and ")}.\n` +
      "It regenerates src/catalog/data/aws.generated.json from public facts about EC2 instance\n" +
      "types kept outside this repository, in a shared/data directory beside the checkout\n" +
      `(${shared}: ${inputs.join(", ")}; its README.md names the source of every field).\n` +
      "Put that directory there and run it again. The catalog checked in at\n" +
      "src/catalog/data/aws.generated.json works without it: this is needed only to rebuild it.\n",
  );
  process.exit(2);
}

const types = JSON.parse(readFileSync(join(shared, "aws-instance-types.json"), "utf8")) as {
  instanceTypes: SharedInstanceType[];
};
const labels = JSON.parse(readFileSync(join(shared, "aws-instance-labels.json"), "utf8")) as {
  labels: Record<string, Record<string, string>>;
};
let data = buildAwsCatalogData(types.instanceTypes, labels.labels);

if (process.env.AWS_ACCESS_KEY_ID || process.env.AWS_PROFILE) {
  // The Pricing API is served from us-east-1 whatever region it prices.
  const pricing = new PricingClient({ region: "us-east-1" });
  const since = new Date(Date.now() - 24 * 3600 * 1000);
  for (const region of (process.env.CARPOOL_REGIONS ?? "us-east-1,us-west-2,eu-west-1").split(
    ",",
  )) {
    const ec2 = new EC2Client({ region });
    const onDemand = await onDemandPrices(pricing, region);
    const spot = await spotPrices(ec2, since);
    data = withLivePrices(data, { region, onDemand, spot });
    console.log(`${region}: ${onDemand.size} on-demand prices, spot prices for ${spot.size} types`);
  }
} else {
  console.log("no AWS credentials: prices from ../shared/data only (us-east-1 on-demand)");
}

const target = join(root, "src", "catalog", "data", "aws.generated.json");
writeFileSync(target, serialize(data));
console.log(`wrote ${data.instanceTypes.length} instance types to ${target}`);

/** One instance type per line keeps diffs readable. */
function serialize(value: AwsCatalogData): string {
  const { instanceTypes, ...header } = value;
  const head = JSON.stringify(header, null, 1).slice(0, -2);
  return `${head},\n "instanceTypes": [\n${instanceTypes.map((t) => `  ${JSON.stringify(t)}`).join(",\n")}\n ]\n}\n`;
}
