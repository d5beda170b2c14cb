# One image for every Pedigree service (the command picks the service). Used by docker-compose.yml.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
# The official EPCIS schema is not vendored: mount the GS1 standard files at /app/standard/epcis.
ENV EPCIS_STANDARD_DIR=/app/standard/epcis
CMD ["node", "dist/apps/api/src/main.js"]
