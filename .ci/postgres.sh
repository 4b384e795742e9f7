#!/usr/bin/env bash
# A PostgreSQL for the hub's tests and benchmarks: installs Debian's package if missing,
# starts a private cluster (its own data folder, socket folder and port, so a system
# PostgreSQL is never touched), makes a role and a database, and prints the URL on its
# LAST line:
#
#     export KASSA_TEST_PG_URL=$(bash .ci/postgres.sh | tail -1)
#
# Idempotent: run it again and it reuses the running cluster.  Works as root (the cluster
# runs as the "postgres" user the package creates) and as a normal user (as that user,
# if PostgreSQL is already installed).  Settings: KASSA_PG_DIR (default /tmp/kassa-pg),
# KASSA_PG_PORT (default 54329), KASSA_PG_FSYNC (default on; `./dev test` sets off: the
# cluster is thrown away, no test needs a write to survive the machine's crash, and without
# the flushes a database made for a test takes 0.03 s instead of 0.22; the benchmarks keep
# it on, as a hub runs).  Messages go to stderr; only the URL goes to stdout.
set -euo pipefail

DATA="${KASSA_PG_DIR:-/tmp/kassa-pg}"
PORT="${KASSA_PG_PORT:-54329}"
ROLE=kassa
PASSWORD=kassa-test
DATABASE=kassa_test

say() { echo "postgres.sh: $*" >&2; }

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

BIN="$(find_bin)"
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    if [ "$(id -u)" != 0 ]; then
        say "PostgreSQL is not installed and I am not root: apt-get install postgresql"
        exit 2
    fi
    say "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    BIN="$(find_bin)"
fi

if [ "$(id -u)" = 0 ]; then
    OWNER=postgres
    as_owner() { runuser -u postgres -- "$@"; }
else
    OWNER="$(id -un)"
    as_owner() { "$@"; }
fi

if [ ! -f "$DATA/PG_VERSION" ]; then
    say "creating a cluster in $DATA"
    mkdir -p "$DATA"
    chown "$OWNER" "$DATA"
    chmod 700 "$DATA"
    as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >/dev/null
fi

if ! as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    say "starting PostgreSQL on 127.0.0.1:$PORT"
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -t 60 \
        -o "-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
        || { tail -20 "$DATA/server.log" >&2; exit 1; }
fi

psql_admin() { as_owner "$BIN/psql" -h "$DATA" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

psql_admin -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    END IF;
END \$\$;" >/dev/null
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]; then
    psql_admin -c "CREATE DATABASE $DATABASE OWNER $ROLE" >/dev/null
fi

# fsync and full-page writes are reloadable: set on each run (the cluster may be reused)
if [ "${KASSA_PG_FSYNC:-on}" = off ]; then
    psql_admin -c "ALTER SYSTEM SET fsync = off" -c "ALTER SYSTEM SET full_page_writes = off" >/dev/null
else
    psql_admin -c "ALTER SYSTEM RESET fsync" -c "ALTER SYSTEM RESET full_page_writes" >/dev/null
fi
psql_admin -c "SELECT pg_reload_conf()" >/dev/null

echo "postgresql+psycopg://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"
