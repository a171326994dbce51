/**
 * Writes crds/*.yaml from the TypeBox schemas in src/api: npm run crds
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCrds } from "../src/api/crds.ts";

const directory = join(dirname(fileURLToPath(import.meta.url)), "..", "crds");
mkdirSync(directory, { recursive: true });
for (const [file, text] of generateCrds()) {
  writeFileSync(join(directory, file), text);
  console.log(`wrote crds/${file}`);
}
