# Better Manager in a container: the dashboard, admin API and proxy on port 8094, state in /data.
#
#   docker build -t better-manager .
#   docker run -p 8094:8094 -v bm-data:/data -e BETTER_MANAGER_ADMIN_PASSWORD=... better-manager
#
# The container listens on every interface (it is reached through a published port), and the server
# refuses to listen off loopback without an admin password: without BETTER_MANAGER_ADMIN_PASSWORD the
# container stops at once with exit code 2 and says so.

# Build stage: the full development toolchain builds dist/ (server bundle and dashboard) and packs
# the same tarball `npm pack` publishes, so the image runs exactly what npm users install.
FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
# No dependency needs its install script for the build (npm 11 runs none by default either; the npm
# inside the image may be older).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# `npm pack` would run the build again through prepack: it has just run.
RUN npm run build \
  && npm pack --ignore-scripts --pack-destination /tmp \
  && mv /tmp/better-manager-*.tgz /tmp/better-manager.tgz

# Runtime stage: Node and the installed package only (it has no runtime dependencies).
FROM node:24-bookworm-slim AS runtime
COPY --from=build /tmp/better-manager.tgz /tmp/better-manager.tgz
RUN npm install --global --no-audit --no-fund /tmp/better-manager.tgz \
  && rm /tmp/better-manager.tgz \
  && npm cache clean --force \
  && mkdir /data \
  && chown node:node /data

ENV BETTER_MANAGER_HOST=0.0.0.0 \
  BETTER_MANAGER_PORT=8094 \
  BETTER_MANAGER_DATA_DIR=/data

# The image's unprivileged user (uid 1000); /data is created above so a new named volume is its own.
USER node
WORKDIR /data
VOLUME /data
EXPOSE 8094

# The slim image has no curl: Node's own fetch asks /health on loopback.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.BETTER_MANAGER_PORT || 8094) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Node runs as PID 1 and handles SIGTERM itself: in-flight requests finish and the database closes.
ENTRYPOINT ["better-manager"]
CMD ["serve"]
