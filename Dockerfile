# lienthong: one image for every role (start | gateway | worker | migrate | keys).
#
#   docker build -t lienthong .
#   docker run --rm -p 8080:8080 -e REDIS_URL=redis://host:6379 -v lienthong-data:/app/data lienthong
#
# The image runs the compiled JavaScript in dist/ with plain node (tsx is a
# runtime dependency of the package, so it is installed, but it is not used).
# There is no redis-server in the image: set REDIS_URL. Without DATABASE_URL
# the embedded PGlite database lives in /app/data (mount a volume there).

# --- build: compile TypeScript to dist/ (with the SQL migrations next to it)
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# --- runtime: production dependencies and dist/ only
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/app/data \
    PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
# Owned by root, read-only to the node user; only /app/data is writable.
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8080
# Liveness of the HTTP roles (start, gateway). The worker and migrate roles
# serve no HTTP: disable it for them (docker-compose.yml does).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/bin/lienthong.js"]
CMD ["start"]
