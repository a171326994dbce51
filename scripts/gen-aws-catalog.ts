/**
 * Regenerates src/catalog/data/aws.generated.json, carpool's built-in AWS catalog:
 *   npm run catalog:aws
 * from the public facts gathered in ../shared/data (see its README for where each comes from).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildAwsCatalogData, type SharedInstanceType } from "../src/catalog/aws-catalog-data.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const shared = join(root, "..", "shared", "data");

const types = JSON.parse(readFileSync(join(shared, "aws-instance-types.json"), "utf8")) as {
  instanceTypes: SharedInstanceType[];
};
const labels = JSON.parse(readFileSync(join(shared, "aws-instance-labels.json"), "utf8")) as {
  labels: Record<string, Record<string, string>>;
};
const data = buildAwsCatalogData(types.instanceTypes, labels.labels);
const target = join(root, "src", "catalog", "data", "aws.generated.json");
writeFileSync(target, serialize(data));
console.log(`wrote ${data.instanceTypes.length} instance types to ${target}`);

/** One instance type per line keeps diffs readable. */
function serialize(value: ReturnType<typeof buildAwsCatalogData>): string {
  const { instanceTypes, ...header } = value;
  const head = JSON.stringify(header, null, 1).slice(0, -2);
  return `${head},\n "instanceTypes": [\n${instanceTypes.map((t) => `  ${JSON.stringify(t)}`).join(",\n")}\n ]\n}\n`;
}
