# One image for the API, the worker, the demo page and the HubSpot emulator (the command picks the role).
# Build: docker build -t ticket-portal .   (docker-compose.yml does this for you)
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json nx.json tsconfig.base.json .npmrc ./
COPY api/package.json api/
COPY widget/package.json widget/
COPY e2e/package.json e2e/
COPY e2e/hubspot-emulator/package.json e2e/hubspot-emulator/
COPY e2e/mail-catcher/package.json e2e/mail-catcher/
# `npm install`, not `npm ci`: see docs/operations.md.
RUN npm install --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build --projects=@ticket-portal/api,@ticket-portal/widget,@ticket-portal/hubspot-emulator,@ticket-portal/mail-catcher

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 3000 8080 8090
CMD ["node", "api/dist/main.js"]
