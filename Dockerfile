# One recipe for the four Node images, so they cannot drift apart (and for the secrets job's,
# jobs/secrets). The build context is the repository root (the services need packages/);
# WORKSPACE picks the image:
#   docker build --build-arg WORKSPACE=services/users -t shopstack/users .
ARG NODE_IMAGE=node:24-alpine

# --- manifests: the lockfile and every package.json, nothing else. Later stages copy this
# before any source, so `npm ci` is cached until a dependency changes, not on every edit.
# It is the course's `COPY package*.json ./`, for a repository of several packages: their
# package.json files sit in many folders, which one COPY line cannot pick out.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /out \
 && find . -name node_modules -prune -o \( -name package.json -o -name package-lock.json \) -print \
    | tar -cf - -T - | tar -xf - -C /out

# --- build: all dependencies and the TypeScript compiler; compiles this workspace and the
# packages it references, then lays out what the runtime needs (JavaScript, manifests,
# migrations) in /deploy, the same shape as the repository.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY scripts/workspace-closure.mjs scripts/
COPY packages/ packages/
COPY services/ services/
COPY api-gateway/ api-gateway/
COPY jobs/ jobs/
ARG WORKSPACE
RUN test -n "${WORKSPACE}" || { echo "set --build-arg WORKSPACE=<folder>" >&2; exit 1; }
RUN npx tsc -b "${WORKSPACE}" \
 && for dir in $(node scripts/workspace-closure.mjs "${WORKSPACE}"); do \
      mkdir -p "/deploy/${dir}" \
      && cp "${dir}/package.json" "/deploy/${dir}/" \
      && cp -R "${dir}/dist" "/deploy/${dir}/" \
      && if [ -d "${dir}/migrations" ]; then cp -R "${dir}/migrations" "/deploy/${dir}/"; fi; \
    done \
 && find /deploy \( -name '*.d.ts' -o -name '*.map' -o -name '*.tsbuildinfo' \) -type f -delete

# --- prod-deps: the production dependencies of this one workspace. npm links every
# workspace; the links this one does not use are removed, and so is what Node never reads
# at run time: type declarations, TypeScript sources, source maps, docs, packages' tests.
# A workspace that needs another version of a package than the one at the top (cookie 1
# beside express's cookie 0.7, say) gets it in its own node_modules: those are laid out in
# /nested, the same shape as the repository, for the runtime stage to copy beside its code.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY --from=manifests /out/ ./
COPY scripts/workspace-closure.mjs scripts/
ARG WORKSPACE
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund --workspace "${WORKSPACE}" \
 && keep=" $(node scripts/workspace-closure.mjs --names "${WORKSPACE}" | tr '\n' ' ') " \
 && for link in node_modules/@shopstack/*; do \
      case "${keep}" in *" ${link#node_modules/} "*) ;; *) rm "${link}" ;; esac; \
    done \
 && mkdir /nested \
 && for dir in $(node scripts/workspace-closure.mjs "${WORKSPACE}"); do \
      if [ -d "${dir}/node_modules" ]; then mkdir -p "/nested/${dir}" && mv "${dir}/node_modules" "/nested/${dir}/"; fi; \
    done \
 && find node_modules /nested -type d \( -name test -o -name tests -o -name __tests__ \) -prune -exec rm -rf {} + \
 && find node_modules /nested -type f \( -name '*.ts' -o -name '*.cts' -o -name '*.mts' -o -name '*.map' -o -name '*.md' \
      -o -name '*.test.js' -o -name 'tsconfig*.json' \) -delete

# --- runtime: compiled JavaScript and production dependencies, owned by root and run by
# the unprivileged `node` user, so the process cannot modify its own code.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
ARG WORKSPACE
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=prod-deps /nested/ ./
COPY --from=build /deploy/ ./
COPY scripts/healthcheck.cjs /app/healthcheck.cjs
WORKDIR /app/${WORKSPACE}
USER node
EXPOSE 3000
# Liveness only (the process answers); docker-compose.yml checks /ready instead, which also
# needs the database and Redis. The script prints the answer, so `docker inspect` shows why.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/healthcheck.cjs", "/health"]
# node itself, not `npm start`: signals reach the process (compose adds an init as PID 1).
CMD ["node", "dist/server.js"]
