// Compiles the CLI to JavaScript in dist/ (run by `npm install` through "prepare"), so
// `bin/carpool` starts without compiling TypeScript on the fly. Source maps point at src/.
import { mkdirSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

await build({
  entryPoints: ["src/cli/main.ts"],
  outdir: "dist/cli",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
mkdirSync("dist", { recursive: true });
writeFileSync("dist/BUILT", `${new Date().toISOString()}\n`);
