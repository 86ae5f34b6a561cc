#!/usr/bin/env bash
# bench/prepare.sh STATE DB SHAPE: put a benchmark database into a known state before one timed run.
# bench/run.sh passes it to hyperfine --prepare; it is not meant to be run by hand.
#
#   STATE  empty (no schema, no version table) or full (every revision applied, copied from a snapshot that
#          run.sh made once with a full upgrade)
#   DB     sqlite or postgres
#   SHAPE  linear, branched or orch
#
# Environment (exported by run.sh): BENCH_WORK, the work directory; for postgres BENCH_PG_ADMIN, an admin URL.
set -euo pipefail

state=$1 db=$2 shape=$3
work=${BENCH_WORK:?BENCH_WORK is not set}

case "$db" in
sqlite)
    lab=$work/$shape/lab.db
    rm -f "$lab" "$lab-wal" "$lab-shm" "$lab-journal"
    if [ "$state" = full ]; then
        cp "$work/$shape/full.db" "$lab"
    fi
    ;;
postgres)
    admin=${BENCH_PG_ADMIN:?BENCH_PG_ADMIN is not set}
    name=wfo_bench_$shape
    template=""
    if [ "$state" = full ]; then
        template=" TEMPLATE ${name}_full"
    fi
    psql "$admin" -X -q -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS $name" \
        -c "CREATE DATABASE $name$template" >/dev/null
    ;;
*)
    echo "prepare.sh: unknown database $db" >&2
    exit 2
    ;;
esac
