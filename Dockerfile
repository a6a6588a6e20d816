# syntax=docker/dockerfile:1
# pipe's images. Targets:
#   api        the prediction service on port 8080, production dependencies only, non-root;
#              mount the model: docker run -v "$PWD/data/output:/app/model:ro" -p 8080:8080 pipe-api
#   api-baked  the same with data/output/model.json baked in (run `pipe train` first)
#   pipeline   the batch pipeline (pipe run) with Debian's Chromium for the PNG plots
# Build: docker build --target api -t pipe-api .
# Base: Node 24, the LTS line supported the longest (Node 20 left support in April 2026), on Debian 12 —
# the Debian whose Chromium the pipeline's PNG plots are tested with.

FROM node:24-bookworm-slim AS build
WORKDIR /src
RUN npm install -g pnpm@12.4.2
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml turbo.json tsconfig.base.json ./
COPY packages ./packages
COPY apps ./apps
COPY scripts ./scripts
RUN pnpm install --frozen-lockfile \
 && pnpm run build \
 && pnpm deploy --filter=@pipe/api --prod --legacy /out/api \
 && pnpm deploy --filter=@pipe/cli --prod --legacy /out/cli

FROM node:24-bookworm-slim AS api
ENV NODE_ENV=production \
    MODEL_PATH=/app/model/model.json \
    PORT=8080 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /out/api ./
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["node", "dist/server.js"]

FROM api AS api-baked
COPY --chown=node:node data/output/model.json /app/model/model.json

FROM node:24-bookworm-slim AS pipeline
ENV NODE_ENV=production \
    PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build --chown=node:node /out/cli ./
COPY --chown=node:node pipe.config.json pipe.config.schema.json ./
COPY --chown=node:node data/input ./data/input
USER node
ENTRYPOINT ["node", "dist/pipe.js"]
CMD ["run"]
