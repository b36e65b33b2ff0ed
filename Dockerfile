# syntax=docker/dockerfile:1
# ExtractPortal: the operations portal (Blazor Server) and its command-line verbs in one image.
#   docker build -t extractportal:dev .
#   docker run --rm -p 8080:8080 --read-only --tmpfs /tmp -v extractportal-data:/var/lib/extractportal extractportal:dev
# Not built on our CI machines (no Docker engine, no registry access): docker/tests/run.sh checks this
# file statically (stages, COPY sources, USER, EXPOSE, HEALTHCHECK, no secrets). See docker/README.md.

# ---------------------------------------------------------------- build
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
ENV DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# 1. Restore in its own layer: it only re-runs when a project file changes. Only the portal and its
#    pipeline library are restored (the test and benchmark projects are not part of the image).
COPY global.json ExtractPortal.sln ./
COPY src/ExtractPortal/ExtractPortal.csproj src/ExtractPortal/
COPY src/ExtractPortal.Pipeline/ExtractPortal.Pipeline.csproj src/ExtractPortal.Pipeline/
RUN dotnet restore src/ExtractPortal/ExtractPortal.csproj -r linux-x64

# 2. The sources. The pipeline embeds the business-logic SQL from Glue/sql (one definition for Glue
#    and the local engine), so that folder is part of the build context too.
COPY Glue/sql/ Glue/sql/
COPY src/ExtractPortal.Pipeline/ src/ExtractPortal.Pipeline/
COPY src/ExtractPortal/ src/ExtractPortal/
# linux-x64 only: without -r the output carries DuckDB/SQLite natives for every OS (~400 MB).
RUN dotnet publish src/ExtractPortal/ExtractPortal.csproj -c Release -r linux-x64 --self-contained false \
        --no-restore -o /app \
    && rm -f /app/appsettings.Development.json /app/appsettings.Local.json

# ---------------------------------------------------------------- runtime
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime

# The only writable paths (everything else can be a read-only root filesystem):
#   /var/lib/extractportal  Portal:DataFolder in Local mode: demo ODS, extract store, run history (SQLite)
#   /tmp                    temporary files (.NET, DuckDB spills); mount a tmpfs
# The app files are owned by root and not writable by the app user.
RUN mkdir -p /var/lib/extractportal \
    && chown 1654:1654 /var/lib/extractportal \
    && chmod 0750 /var/lib/extractportal

WORKDIR /app
COPY --from=build /app ./

# No secrets here: connection strings, AWS settings and credentials come from the environment at run
# time (ECS task role, docker/.env), never from the image.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    TMPDIR=/tmp \
    Portal__DataFolder=/var/lib/extractportal \
    ASPNETCORE_CONTENTROOT=/app

# The process runs in /tmp so relative scratch paths (DuckDB spills to ./.tmp) land on the writable
# tmpfs; the content root (appsettings.json, wwwroot) stays /app.
WORKDIR /tmp

VOLUME ["/var/lib/extractportal", "/tmp"]

# The aspnet image's non-root "app" user (UID/GID 1654, $APP_UID), numeric so runAsNonRoot can verify it.
USER 1654:1654

EXPOSE 8080

# The runtime image ships neither curl nor wget: the app probes its own /healthz (healthcheck verb).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["dotnet", "/app/ExtractPortal.dll", "healthcheck"]

# No verb: the portal. A verb runs it once: extract, seed-ods, healthcheck (see README).
ENTRYPOINT ["dotnet", "/app/ExtractPortal.dll"]
