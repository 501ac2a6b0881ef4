# syntax=docker/dockerfile:1
# image-server: multi-stage build, non-root runtime. Build from the repository root:
#   docker build -f docker/image-server.Dockerfile -t openexp/image-server .
# (docker/compose.yaml does this for the whole stack.)

# ── builder: every dependency, then the Nx build of this app only ──────────────────────────
FROM node:20-bookworm-slim AS builder
WORKDIR /src
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true
COPY package.json package-lock.json .npmrc ./
# The lock lists only the Linux builds of optional platform packages; when npm ci refuses it,
# install from the same lock without rewriting it.
RUN npm ci --no-audit --no-fund || npm install --no-save --no-audit --no-fund
COPY . .
RUN npx nx build image-server --skip-nx-cache --outputStyle=static

# ── production dependencies only (webpack keeps node_modules external) ─────────────────────
FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN (npm ci --omit=dev --no-audit --no-fund || npm install --no-save --omit=dev --no-audit --no-fund) && npm cache clean --force

# ── runtime ────────────────────────────────────────────────────────────────────────────────
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Named volumes mounted here start out owned by the non-root user; the level cache goes here.
RUN mkdir -p /var/lib/openexp/image-levels && chown -R node:node /var/lib/openexp
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=prod-deps --chown=node:node /app/package.json ./package.json
COPY --from=builder --chown=node:node /src/dist/apps/image-server ./dist
ENV IMAGE_SERVER_PORT=8080 \
    IS_CATALOG_ROOT=/srv/catalog \
    IS_ROOT_PATH=/srv/images \
    DATA_DIR=/var/lib/openexp
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.IMAGE_SERVER_PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM reaches node directly (exec form): the app drains and closes its connections.
CMD ["node", "--enable-source-maps", "dist/main.js"]
