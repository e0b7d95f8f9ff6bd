# netsim's own image: the node-group worker for the docker backend
# (sim/backends/docker/docker-specs.ts `groupSpec`, image netsim-worker:local).
#
#   docker build -t netsim-worker:local .
#
# Node 22.18+ runs the .ts sources as they are (type stripping), so there is no build step.
# nftables and iproute2 (ss) let the backend cut a single link from inside a group's
# container (it runs with NET_ADMIN), the same rules as the netns backend.
FROM node:22-bookworm-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends nftables iproute2 \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
# Runtime dependencies only; no install scripts (the repo allows only the `node` dev
# dependency's, which --omit=dev leaves out anyway).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY sim ./sim

ENV NODE_ENV=production
# The node specs (tokens included) arrive as a file copied in at /spec/nodes.json (mode 0600),
# never in the environment; the backend passes `--spec /spec/nodes.json`.
CMD ["node", "--disable-warning=ExperimentalWarning", "sim/compute/worker-main.ts"]
