// Compiles the CLI and the library to JavaScript in dist/ (run by `npm install` and `npm pack`
// through "prepare"), so `bin/carpool` starts without compiling TypeScript on the fly and
// `import { plan } from "carpool"` works from plain Node (package.json "exports" points at
// dist/index.js). Source maps point at src/.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

rmSync("dist", { recursive: true, force: true });
await build({
  // dist/cli/main.js and dist/index.js, sharing chunks.
  entryPoints: ["src/cli/main.ts", "src/index.ts"],
  outbase: "src",
  outdir: "dist",
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

// The library's types, as declaration files in dist/types: a consumer's TypeScript would reject
// the sources themselves (their imports end in .ts). Type errors are the typecheck's business, not
// the build's: the declarations are emitted all the same.
spawnSync(
  process.execPath,
  [
    "node_modules/typescript/bin/tsc",
    "src/index.ts",
    "--ignoreConfig",
    ...["--declaration", "--emitDeclarationOnly", "--outDir", "dist/types", "--rootDir", "src"],
    ...["--module", "nodenext", "--moduleResolution", "nodenext", "--target", "ES2022"],
    ...["--lib", "ES2023", "--types", "node", "--strict", "--skipLibCheck"],
    ...["--allowImportingTsExtensions", "--resolveJsonModule", "--verbatimModuleSyntax"],
  ],
  { stdio: ["ignore", "inherit", "inherit"] },
);
if (!existsSync("dist/types/index.d.ts")) throw new Error("no dist/types/index.d.ts was emitted");
mkdirSync("dist", { recursive: true });
writeFileSync("dist/BUILT", `${new Date().toISOString()}\n`);
