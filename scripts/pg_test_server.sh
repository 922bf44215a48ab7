#!/usr/bin/env bash
# Start a throwaway PostgreSQL for the storage and API tests and print its URL.
# Used by .ci/run; works as root (runs the server as the `postgres` user) or as
# an ordinary user. Usage: scripts/pg_test_server.sh DATA_DIR [PORT]
set -euo pipefail
DATA="${1:?data dir}"
PORT="${2:-54329}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$BIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
AS=()
if [ "$(id -u)" -eq 0 ]; then AS=(runuser -u postgres --); fi
mkdir -p "$DATA"
[ "$(id -u)" -eq 0 ] && chown postgres "$DATA"
if [ ! -f "$DATA/PG_VERSION" ]; then
  "${AS[@]}" "$BIN/initdb" -D "$DATA" -A trust -U postgres >/dev/null
fi
"${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -w -l "$DATA/server.log" \
  -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" start >/dev/null
"${AS[@]}" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname='channelguard_test'" | grep -q 1 \
  || "${AS[@]}" "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres channelguard_test
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/channelguard_test"
