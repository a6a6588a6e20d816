# syntax=docker/dockerfile:1
# Build stage: install with the pinned pnpm, build every package, keep production dependencies only.
FROM node:20-slim AS build
WORKDIR /app
RUN npm install -g pnpm@12.4.2
COPY . .
RUN pnpm install --frozen-lockfile && pnpm run build && pnpm deploy --filter=@pipe/api --prod --legacy /out

# Runtime: the API only, as a non-root user; mount or bake the model at MODEL_PATH.
FROM node:20-slim AS api
ENV NODE_ENV=production MODEL_PATH=/app/model/model.json PORT=8080
WORKDIR /app
COPY --from=build /out .
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8080/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/server.js"]
