# One image for the console and the worker service (and the demo workload).
# The console runs Next.js' standalone server; the worker runs with tsx from the same sources.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1 NEXT_STANDALONE=1
RUN npx next build

FROM node:20-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 HOST=0.0.0.0 PORT=3000
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY package.json tsconfig.json ./
COPY lib ./lib
COPY worker ./worker
COPY bin ./bin
USER node
EXPOSE 3000
CMD ["node", "server.js"]
