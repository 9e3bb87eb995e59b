#!/usr/bin/env bash
# Throwaway PostgreSQL 15 for `make run`: a private cluster listening on
# 127.0.0.1 only, owned by a non-root user. Sourced by run.sh.
#   pg_start <data_dir> <port> <log_file>   initializes on first use, starts
#   pg_stop  <data_dir>
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin

# PostgreSQL refuses to run as root; as root we run it as `postgres`.
pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

pg_start() {
  local data=$1 port=$2 log=$3
  if [[ ! -f "$data/PG_VERSION" ]]; then
    mkdir -p "$data"
    [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$data"
    chmod 700 "$data"
    pg_as_owner "$PG_BIN/initdb" -D "$data" -U caunoi --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >/dev/null
  fi
  touch "$log"
  [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$log"
  # Unix sockets off: the cluster is reached over loopback TCP only. Pages
  # read out of order cost about what pages in order do (memory or SSD).
  pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c random_page_cost=1.1" \
    start >/dev/null
  local dsn="host=127.0.0.1 port=$port user=caunoi dbname=postgres"
  if [[ -z $(psql "$dsn" -tAc "SELECT 1 FROM pg_database WHERE datname = 'caunoi'") ]]; then
    psql "$dsn" -qc "CREATE DATABASE caunoi" >/dev/null
  fi
}

pg_stop() {
  local data=$1
  [[ -f "$data/postmaster.pid" ]] || return 0
  pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
}
