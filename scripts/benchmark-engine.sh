#!/usr/bin/env bash
# Runs the engine benchmark (issue 2) against a throwaway PostgreSQL server on 127.0.0.1.
# Usage: scripts/benchmark-engine.sh [--loans N]    (default 10,000,000 loans; takes several minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/extractportal-bench-XXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$work"; runuser -u postgres -- "$@"; else "$@"; fi; }
as_pg "$bin/initdb" -D "$work/pg" --auth=trust --username=postgres --no-sync >/dev/null
as_pg "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $port -c listen_addresses=127.0.0.1 -k $work -c fsync=off -c synchronous_commit=off -c shared_buffers=512MB -c max_wal_size=4GB" start >/dev/null
trap 'as_pg "$bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null; rm -rf "$work"' EXIT
dotnet build -c Release src/ExtractPortal.Benchmarks -v q -nologo >/dev/null
# Raised priority (as root): the figures should measure the engine, not whatever else the machine runs.
prio=""; [ "$(id -u)" -eq 0 ] && prio="nice -n -10"
$prio dotnet src/ExtractPortal.Benchmarks/bin/Release/net10.0/ExtractPortal.Benchmarks.dll engine \
  --postgres "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" --work "$work/data" "$@"
