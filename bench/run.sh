#!/usr/bin/env bash
# bench/run.sh: time wfo's db commands, as whole processes, on generated 2,000-revision projects.
#
#   bench/run.sh                              # SQLite only
#   scripts/with-postgres bench/run.sh        # SQLite and a throwaway PostgreSQL cluster
#
# See bench/README.md for what is timed and what the numbers mean. Settings (environment):
#
#   WFO_TEST_POSTGRES_URL  admin URL of a PostgreSQL server; when set, PostgreSQL is benchmarked too. The script
#                          creates and drops databases named wfo_bench_* there.
#   BENCH_DBS              databases to run (default: sqlite, plus postgres when WFO_TEST_POSTGRES_URL is set)
#   BENCH_SHAPES           shapes to run (default: linear branched orch)
#   BENCH_N                revisions per project (default 2000)
#   BENCH_READ_RUNS        hyperfine runs for commands that change nothing (default 10)
#   BENCH_WRITE_RUNS       hyperfine runs for full upgrades and downgrades (default 5)
#   BENCH_NAME             name of the results (default: today's date): bench/results/$BENCH_NAME.md and the
#                          hyperfine JSON exports in bench/results/$BENCH_NAME/
#   BENCH_QUIET_PSI        on a shared machine: before each benchmark, wait until tasks waited for a CPU less than
#                          this many per cent of the last 10 seconds (Linux PSI), at most BENCH_QUIET_WAIT seconds
#                          (default 600)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

export BENCH_WORK=$ROOT/bench/work
N=${BENCH_N:-2000}
SHAPES=${BENCH_SHAPES:-linear branched orch}
READ_RUNS=${BENCH_READ_RUNS:-10}
WRITE_RUNS=${BENCH_WRITE_RUNS:-5}
DBS=${BENCH_DBS:-sqlite${WFO_TEST_POSTGRES_URL:+ postgres}}
NAME=${BENCH_NAME:-$(date +%Y-%m-%d)}
RESULTS=$ROOT/bench/results
JSON=$RESULTS/$NAME
REPORT=$RESULTS/$NAME.md
PREPARE="bash $ROOT/bench/prepare.sh"

log() { printf '\n== %s\n' "$*" >&2; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 1; }

# --- tools ---
need_pkg() { # need_pkg COMMAND DEBIAN-PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    [ "$(id -u)" -eq 0 ] || die "$1 is missing: install the Debian package $2"
    log "installing $2"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "$2" >&2 ||
        { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "$2" >&2; } ||
        die "cannot install $2"
}
need_pkg hyperfine hyperfine
need_pkg jq jq
need_pkg sqlite3 sqlite3
need_pkg strace strace
for db in $DBS; do
    case "$db" in
    sqlite) ;;
    postgres)
        [ -n "${WFO_TEST_POSTGRES_URL:-}" ] || die "postgres needs WFO_TEST_POSTGRES_URL (run under scripts/with-postgres)"
        need_pkg psql postgresql-client
        export BENCH_PG_ADMIN=$WFO_TEST_POSTGRES_URL
        ;;
    *) die "unknown database $db (use sqlite or postgres)" ;;
    esac
done

# pg_url NAME: the admin URL with its database replaced by NAME.
pg_url() {
    local u=$BENCH_PG_ADMIN query=""
    if [[ $u == *\?* ]]; then
        query="?${u#*\?}"
        u=${u%%\?*}
    fi
    local scheme=${u%%://*} rest=${u#*://}
    echo "$scheme://${rest%%/*}/$1$query"
}
psql_admin() { psql "$BENCH_PG_ADMIN" -X -q -v ON_ERROR_STOP=1 "$@"; }

# --- build and generate ---
mkdir -p "$BENCH_WORK" "$JSON"
rm -f "$JSON"/*.json "$JSON"/*.tsv
log "building wfo and the helpers into bench/work"
go build -o "$BENCH_WORK/wfo" ./cmd/wfo
go build -o "$BENCH_WORK/genrevs" ./bench/genrevs
go build -o "$BENCH_WORK/sqlreplay" ./bench/sqlreplay
WFO=$BENCH_WORK/wfo
for shape in $SHAPES; do
    rm -rf "${BENCH_WORK:?}/$shape"
    "$BENCH_WORK/genrevs" -shape "$shape" -n "$N" -dir "$BENCH_WORK/$shape"
done

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# CPU contention. The machine may be shared: Linux's pressure stall information counts the time in which some
# runnable task waited for a CPU. stall_us prints that counter (microseconds; 0 where PSI is missing).
stall_us() { awk '/^some/ { sub("total=", "", $5); print $5; exit }' /proc/pressure/cpu 2>/dev/null || echo 0; }
now_us() { date +%s%6N; }

# wait_quiet: with BENCH_QUIET_PSI=P, wait (at most BENCH_QUIET_WAIT seconds, default 600) until tasks waited for
# a CPU less than P % of the last 10 seconds.
wait_quiet() {
    [ -n "${BENCH_QUIET_PSI:-}" ] && [ -r /proc/pressure/cpu ] || return 0
    local waited=0
    while [ "$waited" -lt "${BENCH_QUIET_WAIT:-600}" ]; do
        awk -v max="$BENCH_QUIET_PSI" '/^some/ { sub("avg10=", "", $2); exit !($2 < max) }' /proc/pressure/cpu && return 0
        sleep 5
        waited=$((waited + 5))
    done
    echo "bench/run.sh: the machine is still busy after ${waited}s; timing anyway" >&2
}

# bench DB SHAPE KEY RUNS PREPARE COMMAND: time COMMAND (run without a shell, in the project directory) and
# record its JSON export under KEY. index.tsv gets a line: db, shape, key, stall (the share of the benchmark's
# time in which some task waited for a CPU, in per cent) and the export's file name. PREPARE is run before every
# run ("" for none).
bench() {
    local db=$1 shape=$2 key=$3 runs=$4 prepare=$5
    shift 5
    local out=$JSON/$db-$shape-$key.json
    local args=(-N --style basic --warmup 1 --runs "$runs" --export-json "$out" --command-name "$db $shape $key")
    [ -n "$prepare" ] && args+=(--prepare "$prepare")
    wait_quiet
    local s0 t0
    s0=$(stall_us) t0=$(now_us)
    hyperfine "${args[@]}" "$*" >&2
    local stall
    stall=$(awk -v s="$(( $(stall_us) - s0 ))" -v t="$(( $(now_us) - t0 ))" 'BEGIN { printf "%.0f", 100 * s / t }')
    printf '%s\t%s\t%s\t%s\t%s\n' "$db" "$shape" "$key" "$stall" "${out##*/}" >>"$JSON/index.tsv"
}

# sql_variants DB SCRIPT [tx1]: for SQLite, write SCRIPT.cli (the connection settings wfo uses, then SCRIPT) for
# the sqlite3 shell; with tx1, also SCRIPT.tx1 (the same statements in one transaction).
sql_variants() {
    local db=$1 script=$2 header=""
    if [ "$db" = sqlite ]; then
        header=$'PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\nPRAGMA foreign_keys=ON;\n'
        { printf '%s' "$header"; cat "$script"; } >"$script.cli"
    fi
    if [ "${3:-}" = tx1 ]; then
        { printf '%sBEGIN;\n' "$header"; grep -v -x -e 'BEGIN;' -e 'COMMIT;' "$script"; printf 'COMMIT;\n'; } >"$script.tx1"
    fi
}

for db in $DBS; do
    for shape in $SHAPES; do
        P=$BENCH_WORK/$shape
        cd "$P"
        if [ "$db" = sqlite ]; then
            export DATABASE_URI=sqlite:///$P/lab.db
            cli_run() { echo "sqlite3 -bail $P/lab.db .read\\ $1"; }
        else
            export DATABASE_URI=$(pg_url "wfo_bench_$shape")
            cli_run() { echo "psql $DATABASE_URI -X -q -v ON_ERROR_STOP=1 -f $1"; }
        fi

        log "$db $shape: the full database, once"
        if [ "$db" = sqlite ]; then
            $PREPARE empty sqlite "$shape"
            "$WFO" db upgrade heads 2>/dev/null
            sqlite3 "$P/lab.db" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
            cp "$P/lab.db" "$P/full.db"
        else
            psql_admin -c "DROP DATABASE IF EXISTS wfo_bench_${shape}_full" -c "CREATE DATABASE wfo_bench_${shape}_full"
            DATABASE_URI=$(pg_url "wfo_bench_${shape}_full") "$WFO" db upgrade heads 2>/dev/null
        fi
        $PREPARE full "$db" "$shape"
        rows=$("$WFO" db current | wc -l)
        [ "$rows" -ge 2 ] || die "$db $shape: the full database has $rows heads"

        log "$db $shape: the SQL of the full upgrade and downgrade"
        $PREPARE empty "$db" "$shape"
        if [ "$db" = sqlite ]; then
            # Without a database file, --sql neither opens nor creates one: planning and rendering only.
            DATABASE_URI=sqlite:///$P/none.db "$WFO" db upgrade heads --sql >"$P/up.$db.sql"
        else
            "$WFO" db upgrade heads --sql >"$P/up.$db.sql"
        fi
        $PREPARE full "$db" "$shape"
        "$WFO" db downgrade base --sql >"$P/down.$db.sql" 2>/dev/null
        sql_variants "$db" "$P/up.$db.sql" tx1
        sql_variants "$db" "$P/down.$db.sql"
        cli_up=$P/up.$db.sql cli_down=$P/down.$db.sql
        if [ "$db" = sqlite ]; then cli_up=$P/up.$db.sql.cli cli_down=$P/down.$db.sql.cli; fi

        log "$db $shape: commands that change nothing (database at head)"
        $PREPARE full "$db" "$shape"
        bench "$db" "$shape" heads "$READ_RUNS" "" "$WFO db heads"
        bench "$db" "$shape" history-no-current "$READ_RUNS" "" "$WFO db history --no-current"
        bench "$db" "$shape" history "$READ_RUNS" "" "$WFO db history"
        bench "$db" "$shape" upgrade-uptodate "$READ_RUNS" "$PREPARE full $db $shape" "$WFO db upgrade heads"
        if [ "$db" = sqlite ]; then
            DATABASE_URI=sqlite:///$P/none.db bench "$db" "$shape" upgrade-sql "$READ_RUNS" "" "$WFO db upgrade heads --sql"
        else
            $PREPARE empty "$db" "$shape"
            bench "$db" "$shape" upgrade-sql "$READ_RUNS" "" "$WFO db upgrade heads --sql"
        fi

        log "$db $shape: full upgrade and downgrade, and the same SQL run without wfo"
        bench "$db" "$shape" upgrade-empty "$WRITE_RUNS" "$PREPARE empty $db $shape" "$WFO db upgrade heads"
        bench "$db" "$shape" replay-up-driver "$WRITE_RUNS" "$PREPARE empty $db $shape" "$BENCH_WORK/sqlreplay $P/up.$db.sql"
        bench "$db" "$shape" replay-up-cli "$WRITE_RUNS" "$PREPARE empty $db $shape" "$(cli_run "$cli_up")"
        bench "$db" "$shape" replay-up-cli-tx1 "$WRITE_RUNS" "$PREPARE empty $db $shape" "$(cli_run "$P/up.$db.sql.tx1")"
        bench "$db" "$shape" downgrade-base "$WRITE_RUNS" "$PREPARE full $db $shape" "$WFO db downgrade base"
        bench "$db" "$shape" replay-down-driver "$WRITE_RUNS" "$PREPARE full $db $shape" "$BENCH_WORK/sqlreplay $P/down.$db.sql"
        bench "$db" "$shape" replay-down-cli "$WRITE_RUNS" "$PREPARE full $db $shape" "$(cli_run "$cli_down")"

        if [ "$db" = sqlite ]; then
            # Durability cost: how often one full upgrade asks the disk to sync (Alembic: 8 per revision).
            $PREPARE empty sqlite "$shape"
            strace -f -c -o "$P/strace.txt" -e trace=fsync,fdatasync "$WFO" db upgrade heads 2>/dev/null
            awk -v db="$db" -v shape="$shape" '$NF == "fsync" || $NF == "fdatasync" { n += $4 }
                END { printf "%s\t%s\t%d\n", db, shape, n }' "$P/strace.txt" >>"$JSON/syncs.tsv"
        fi
        cd "$ROOT"
    done
    if [ "$db" = postgres ]; then
        for shape in $SHAPES; do
            psql_admin -c "DROP DATABASE IF EXISTS wfo_bench_$shape" -c "DROP DATABASE IF EXISTS wfo_bench_${shape}_full"
        done
    fi
done

LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# --- the report ---
# hstat KEY-FILE: mean stddev min user system (seconds) of a hyperfine export.
hstat() { jq -r '.results[0] | "\(.mean) \(.stddev // 0) \(.min) \(.user) \(.system)"' "$1"; }
# t SECONDS: a duration for people: ms below 1 s, s above.
t() { awk -v s="$1" 'BEGIN { if (s < 1) printf "%.1f ms", s * 1000; else printf "%.2f s", s }'; }
json() { echo "$JSON/$1-$2-$3.json"; }
# lookup FILE DB SHAPE [KEY]: the first value after the matching columns of a .tsv file in the results.
lookup() {
    awk -F'\t' -v d="$2" -v s="$3" -v k="${4:-}" '$1 == d && $2 == s && (k == "" || $3 == k) { print (k == "" ? $3 : $4); exit }' \
        "$JSON/$1" 2>/dev/null
}

# Alembic 1.19.1 on the same workloads, SQLite (migrations spec, section 3.2): mean and min, seconds.
alembic() {
    case "$1 $2" in
    "linear heads") echo "1.164 1.129" ;; "linear history-no-current") echo "1.203 1.166" ;;
    "linear history") echo "1.266 1.230" ;; "linear upgrade-empty") echo "9.44 7.97" ;;
    "linear upgrade-uptodate") echo "1.284 1.182" ;; "linear downgrade-base") echo "20.06 16.04" ;;
    "branched heads") echo "1.309 1.194" ;; "branched history-no-current") echo "1.461 1.232" ;;
    "branched history") echo "1.503 1.266" ;; "branched upgrade-empty") echo "11.16 8.37" ;;
    "branched upgrade-uptodate") echo "1.413 1.302" ;; "branched downgrade-base") echo "13.18 9.87" ;;
    "orch heads") echo "1.348 1.191" ;; "orch history-no-current") echo "1.255 1.198" ;;
    "orch history") echo "1.418 1.230" ;; "orch upgrade-empty") echo "7.73 7.61" ;;
    "orch upgrade-uptodate") echo "1.357 1.256" ;; "orch downgrade-base") echo "11.33 9.84" ;;
    esac
}
label() {
    case "$1" in
    heads) echo '`db heads`' ;;
    history-no-current) echo '`db history --no-current`' ;;
    history) echo '`db history` (DB at head)' ;;
    upgrade-uptodate) echo '`db upgrade heads`, up to date' ;;
    upgrade-sql) echo '`db upgrade heads --sql`, from empty' ;;
    upgrade-empty) echo '`db upgrade heads`, empty DB' ;;
    downgrade-base) echo '`db downgrade base` from head' ;;
    esac
}
target() {
    case "$1" in
    heads | history-no-current | history) echo 0.100 ;;
    upgrade-uptodate) echo 0.150 ;;
    esac
}

report() {
    echo "# wfo benchmark results, $NAME"
    echo
    echo "Made by \`bench/run.sh\` (see bench/README.md). $N revision files per project, plus wfo's embedded core"
    echo "revisions ($(cd "$ROOT/coremigration/versions" && ls *.sql | sed -E 's/^[0-9-]+_([^_]+)_.*/\1/' | paste -sd, - | sed 's/,/, /g'))."
    echo "Every command is a whole \`wfo\` process (hyperfine -N, warm-up 1, $READ_RUNS runs for commands"
    echo "that change nothing, $WRITE_RUNS for full upgrades and downgrades)."
    echo
    echo "- machine: $(nproc) vCPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
    echo "- load average (1, 5, 15 min) at start: $LOAD_START; at end: $LOAD_END"
    echo "- wfo $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git --no-optional-locks -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo ' + uncommitted changes'), $(go version | cut -d' ' -f3)"
    echo "- $(hyperfine --version), sqlite3 $(sqlite3 --version | cut -d' ' -f1), $(psql --version 2>/dev/null || echo 'no psql')"
    for db in $DBS; do
        [ "$db" = postgres ] && echo "- PostgreSQL: $(psql "$BENCH_PG_ADMIN" -X -At -c 'SHOW server_version' 2>/dev/null || echo '?') at $(sed 's/@.*//; s/.*:\/\///' <<<"$BENCH_PG_ADMIN")@..., fsync $(psql "$BENCH_PG_ADMIN" -X -At -c 'SHOW fsync' 2>/dev/null), synchronous_commit $(psql "$BENCH_PG_ADMIN" -X -At -c 'SHOW synchronous_commit' 2>/dev/null)"
    done
    echo
    echo "## Commands"
    echo
    echo "Mean ± σ and min of the wall time; user + sys: the process's CPU time (mean); stall: the share of the"
    echo "benchmark's time in which some task waited for a CPU (Linux PSI), i.e. how busy the machine was."
    echo
    echo "| db | shape | command | wfo mean ± σ | min | user + sys | stall | Alembic 1.19.1 (SQLite) | speed-up | target |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for db in $DBS; do
        for shape in $SHAPES; do
            for key in heads history-no-current history upgrade-uptodate upgrade-sql upgrade-empty downgrade-base; do
                local f
                f=$(json "$db" "$shape" "$key")
                [ -f "$f" ] || continue
                read -r mean sd min user sys < <(hstat "$f")
                local ref="" speed="" tgt="" goal
                if [ "$db" = sqlite ] && [ -n "$(alembic "$shape" "$key")" ]; then
                    read -r amean amin < <(alembic "$shape" "$key")
                    ref="$(t "$amean") [$(t "$amin")]"
                    speed=$(awk -v a="$amean" -v w="$mean" 'BEGIN { printf "%.0f×", a / w }')
                fi
                goal=$(target "$key")
                if [ -n "$goal" ]; then
                    tgt=$(awk -v m="$mean" -v n="$min" -v g="$goal" 'BEGIN {
                        printf "< %.0f ms: %s", g * 1000, (m < g ? "met" : n < g ? "**missed** (min met)" : "**missed**") }')
                fi
                printf '| %s | %s | %s | %s ± %s | %s | %s | %s %% | %s | %s | %s |\n' "$db" "$shape" "$(label "$key")" \
                    "$(t "$mean")" "$(t "$sd")" "$(t "$min")" "$(t "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')")" \
                    "$(lookup index.tsv "$db" "$shape" "$key")" "$ref" "$speed" "$tgt"
            done
        done
    done
    echo
    echo "## wfo's own time in the full upgrade and downgrade (means)"
    echo
    echo "*wfo*: the whole \`wfo\` process. *CPU*: its user + sys time (for SQLite this includes the SQLite engine,"
    echo "which runs inside the process). *replay, same driver*: \`bench/sqlreplay\` running the statements of"
    echo "\`wfo db ... --sql\` one by one through wfo's database layer (same driver and settings, one transaction per"
    echo "revision, no planning or version-table checks). *replay, CLI*: the same script run by \`sqlite3\` / \`psql\`;"
    echo "*1 tx*: the same statements in one transaction. *wfo's own share* = (wfo − replay, same driver) / wfo."
    echo
    echo "| db | shape | direction | wfo | CPU | replay, same driver | replay, CLI | replay, CLI, 1 tx | wfo's own share | syncs |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    for db in $DBS; do
        for shape in $SHAPES; do
            for dir in up down; do
                local main=upgrade-empty
                [ "$dir" = down ] && main=downgrade-base
                [ -f "$(json "$db" "$shape" "$main")" ] || continue
                read -r wmean _ _ wuser wsys < <(hstat "$(json "$db" "$shape" "$main")")
                read -r dmean _ < <(hstat "$(json "$db" "$shape" "replay-$dir-driver")")
                read -r cmean _ < <(hstat "$(json "$db" "$shape" "replay-$dir-cli")")
                local tx1="" syncs=""
                if [ -f "$(json "$db" "$shape" "replay-$dir-cli-tx1")" ]; then
                    read -r xmean _ < <(hstat "$(json "$db" "$shape" "replay-$dir-cli-tx1")")
                    tx1=$(t "$xmean")
                fi
                if [ "$dir" = up ]; then
                    syncs=$(lookup syncs.tsv "$db" "$shape")
                fi
                printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$db" "$shape" "$dir" "$(t "$wmean")" \
                    "$(t "$(awk -v u="$wuser" -v s="$wsys" 'BEGIN { print u + s }')")" "$(t "$dmean")" "$(t "$cmean")" "$tx1" \
                    "$(awk -v w="$wmean" -v d="$dmean" 'BEGIN { printf "%.0f ms (%.0f %%)", (w - d) * 1000, 100 * (w - d) / w }')" "$syncs"
            done
        done
    done
    echo
    echo "Raw hyperfine exports: \`bench/results/$NAME/\`."
}

report | tee "$REPORT"
log "report written to ${REPORT#"$ROOT"/}"
