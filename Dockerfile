# carpool's image: `carpool controller` (the default command) on Node.js 24, as user 65532, without a
# shell. Build it with `docker build -t carpool .` at the repository root.
#
# scripts/image-tree.mjs carries out this file's COPY and RUN lines without Docker and lays out the
# files of the final stage; test/image/image-tree.test.ts runs the CLI from that tree. Keep to what it
# understands: FROM ... AS, WORKDIR, ENV, COPY [--from=stage] with plain paths, RUN in the shell form
# with paths relative to WORKDIR, USER, EXPOSE, LABEL, ENTRYPOINT and CMD in the exec form.

FROM node:24-bookworm-slim AS build
WORKDIR /app
# Every dependency from the lock, install scripts off: the build needs only esbuild's JavaScript API and
# its platform package, and the `node` dev dependency (Node for `npm install` checkouts) would download
# a second Node.js that the base image already has.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.mjs scripts/
COPY src/ src/
# The esbuild bundle in dist/ (scripts/build.mjs); its externals are resolved from node_modules/.
RUN npm run build
# The library's type declarations are for npm consumers; the image runs the CLI and needs none.
RUN rm -rf dist/types
# Production dependencies only. Optional ones are Biome's and esbuild's native binaries, which
# nothing in dist/ runs.
RUN npm prune --omit=dev --omit=optional --no-audit --no-fund

FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
ENV NODE_ENV=production
# package.json: "type": "module" for dist/, and how src/package-files.ts finds the package root.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules/ node_modules/
COPY --from=build /app/dist/ dist/
# Read at run time: the built-in AWS catalog (the kwok provider's instance types when the cluster has
# no InstanceType objects; plan, catalog, simulate) and the bundled example scenarios (simulate's default).
COPY --from=build /app/src/catalog/data/aws.generated.json src/catalog/data/
COPY examples/ examples/
USER 65532:65532
# Metrics, health probes (--metrics-port, --health-port).
EXPOSE 8080 8081
ENTRYPOINT ["/nodejs/bin/node", "dist/cli/main.js"]
CMD ["controller"]
