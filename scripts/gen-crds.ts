/**
 * Writes crds/*.yaml, and the same files into the Helm chart's crds/, from the TypeBox schemas in
 * src/api: npm run crds
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCrds } from "../src/api/crds.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
for (const folder of ["crds", join("charts", "carpool", "crds")]) {
  mkdirSync(join(root, folder), { recursive: true });
  for (const [file, text] of generateCrds()) {
    writeFileSync(join(root, folder, file), text);
    console.log(`wrote ${folder}/${file}`);
  }
}
