// Compiles the CLI to JavaScript in dist/ (run by `npm install` through "prepare"), so
// `bin/carpool` starts without compiling TypeScript on the fly. Source maps point at src/.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
await build({
  entryPoints: ["src/cli/main.ts"],
  outdir: "dist/cli",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node24",
  // Small dependencies are bundled (resolving their many files cost more than running them);
  // heavy ones, loaded only by the commands that talk to clusters and clouds, stay outside.
  external: [
    "@kubernetes/client-node",
    "@aws-sdk/*",
    "@smithy/*",
    "pino",
    "prom-client",
    "highs",
    "playwright-core",
    "fast-check",
  ],
  // Bundled CommonJS dependencies require Node's built-ins: give each ES module chunk a require.
  banner: {
    js: 'import { createRequire as __carpoolRequire } from "node:module"; const require = __carpoolRequire(import.meta.url);',
  },
  sourcemap: true,
  logLevel: "warning",
});
mkdirSync("dist", { recursive: true });
writeFileSync("dist/BUILT", `${new Date().toISOString()}\n`);
