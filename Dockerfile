# syntax=docker/dockerfile:1
# TRON USDT Manager. Production images normally set MONGODB_URI (real MongoDB) and TRON_FULL_HOST; the embedded
# engine is included so that the image also runs on its own for evaluation.

FROM maven:3.9-eclipse-temurin-17 AS engine
WORKDIR /src/tools/embedded-mongo
COPY tools/embedded-mongo/ ./
RUN mvn -q -B package -Dengine.buildDir=/out

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig*.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
# The embedded engine runs on a Java 17 runtime; an image that always sets MONGODB_URI can drop it and JAVA_HOME.
COPY --from=eclipse-temurin:17-jre /opt/java/openjdk /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk \
    NODE_ENV=production \
    DATA_DIR=/data \
    CONFIG_DIR=/app/config \
    EMBEDDED_MONGO_JAR=/app/bin/embedded-mongo.jar \
    PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=engine /out/embedded-mongo.jar ./bin/embedded-mongo.jar
COPY config ./config
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/usdt-manager/apps/usdt-manager/src/main.js"]
