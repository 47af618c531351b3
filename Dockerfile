# syntax=docker/dockerfile:1
# Build stage: the same Maven build as on a developer's machine, tests left to CI.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
# The English messages go into the jar too: the list of messages this version uses, checked at start.
COPY messages ./messages
RUN mvn -B -q package -DskipTests

# Runtime stage: a JRE, the jar, the operator's files, a non-root user and a volume for the database.
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin forumgateway \
 && mkdir -p /data /app \
 && chown forumgateway /data \
 && ln -s /data /app/data
# /app/data leads into the volume too: a .env that still sets DATABASE_PATH=data/forum-gateway.db (the default
# outside Docker) keeps the database in the volume instead of failing to create /app/data.
WORKDIR /app
COPY --from=build /src/target/forum-gateway.jar /app/forum-gateway.jar
# config/ is also mounted from the host by compose.yaml, so an edited events.yaml is what /reload reads.
COPY config /app/config
COPY messages /app/messages
ENV DATABASE_PATH=/data/forum-gateway.db \
    BACKUP_FOLDER=/data/backups \
    HTTP_PORT=8080
VOLUME ["/data"]
EXPOSE 8080
USER forumgateway
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${HTTP_PORT}/healthz" || exit 1
# exec form: SIGTERM from `docker stop` reaches the JVM, which shuts down cleanly (within about 15 s at most).
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/forum-gateway.jar"]
