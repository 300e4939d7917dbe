#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL cluster (Debian's package, issue 13.15):
# initdb in a temporary directory as the postgres user, listening on 127.0.0.1 only, trust
# authentication for local test connections; stopped and removed afterwards.
# The command sees HANDISTAT_TEST_POSTGRES_URL (a SQLAlchemy URL of the `postgres` database).
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bindir" ]; then
  echo "PostgreSQL is not installed; run scripts/system-deps.sh (as root) first" >&2
  exit 1
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
dir=$(mktemp -d /tmp/handistat-pg.XXXXXX)
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=${PGPORT_TEST:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
cleanup() { as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
export HANDISTAT_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
