# syntax=docker/dockerfile:1
# Landform image: the loader (the entrypoint), the analytics API (`serve`) and the scheduled extract.
# Production dependencies only: the embedded BigQuery (a workspace package
# under packages/, which is not copied) and embedded Postgres are optionalDependencies and are left
# out, so no embedded server and no DuckDB is in the image.
# Node matches the development machines (v20.20.2).
# Build: docker build -t <registry>/loader:<tag> .  or  gcloud builds submit --tag <registry>/loader:<tag> .

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# --omit=optional also drops esbuild's platform package; esbuild's install script then puts the
# binary in place itself (tsx needs it to run the TypeScript sources).
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund \
  && npm cache clean --force
COPY tsconfig.json ./
COPY bin/ ./bin/
COPY cli/ ./cli/
COPY common/ ./common/
COPY loader/ ./loader/
COPY api/ ./api/
COPY extracts/ ./extracts/
COPY contracts/ ./contracts/
# Fail the build, not the first scheduled run, if the CLI cannot start without the optional packages.
RUN node bin/landform.js load --help > /dev/null \
  && node bin/landform.js extract --help > /dev/null \
  && node bin/landform.js serve --help > /dev/null

FROM node:20.20.2-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production
# Files stay owned by root: the loader only reads them (tsx caches compiled sources in /tmp).
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/cli ./cli
COPY --from=build /app/common ./common
COPY --from=build /app/loader ./loader
COPY --from=build /app/api ./api
COPY --from=build /app/extracts ./extracts
COPY --from=build /app/contracts ./contracts
# The official image's unprivileged user (uid 1000).
USER node
ENTRYPOINT ["node", "bin/landform.js", "load"]
