# Postwire: one image for every role. The command picks the role:
#   node dist/apps/standalone/src/main.js  tracker + worker in one process (default)
#   node dist/apps/tracker/src/main.js     HTTP only (scale out behind a load balancer)
#   node dist/apps/worker/src/main.js      forwarding workers only
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY scripts ./scripts
COPY apps ./apps
COPY libs ./libs
COPY plugins ./plugins
# The console build may be absent (then /console answers 404 saying so); the folder is made either way for the COPY below.
RUN npm run build && npm prune --omit=dev && mkdir -p apps/console/dist

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/apps/console/dist ./apps/console/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The V8 heap options are the standalone's (apps/standalone/src/node-options.ts); the other roles run without them.
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=256", "dist/apps/standalone/src/main.js"]
