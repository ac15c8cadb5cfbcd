#!/usr/bin/env bash
# Scale on one machine (issue 20): the seed's Case 4 end to end, 100M rows of cart streamed to
# CSV, the same model into SQLite and PostgreSQL next to their own bulk loaders, and CSV write
# speed against dd of the same bytes. Prints one line per measurement (wall s, rows/s, peak RSS
# from /usr/bin/time -v). Needs a built calm (default build/calm), python3 with numpy/pandas,
# sqlite3 and Debian's postgresql (initdb/pg_ctl run as the postgres user when root).
#   usage: bash bench/bench_scale.sh [CALM] [WORKDIR]   (ROWS_100M=100000000 CASE4_ROWS=1000000)
set -euo pipefail
CALM="$(realpath "${1:-build/calm}")"
WORK="${2:-/tmp/calm_bench_scale}"
ROWS="${ROWS_100M:-100000000}"
DB_ROWS="${DB_ROWS:-10000000}"
CASE4_ROWS="${CASE4_ROWS:-1000000}"
HERE="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$WORK"
cd "$WORK"

timed() {  # label rows command...: wall seconds, rows/s, peak RSS
  local label="$1" rows="$2"
  shift 2
  /usr/bin/time -v "$@" 2>time.log >/dev/null || { cat time.log; exit 1; }
  local wall rss
  wall=$(grep "Elapsed (wall clock)" time.log | awk '{print $NF}' |
         awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(grep "Maximum resident set size" time.log | awk '{print $NF}')
  printf '%-44s %8.1f s %12.0f rows/s %8.0f MB RSS\n' "$label" "$wall" \
    "$(echo "$rows / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB, $(date -u +%F)"
# --- the seed's Case 4: 1M x 20 mixed table, lgbm, 5M rows, minimal report --------------------
[ -f case4.csv ] || python3 "$HERE/make_case4_table.py" case4.csv "$CASE4_ROWS" >/dev/null
timed "case4 lgbm 1M->5M minimal report" 5000000 \
  "$CALM" generate case4.csv -n 5000000 -m lgbm --minimal-report --threads 2 --seed 1 -o case4_out
timed "case4 lgbm --fit-rows 200000" 5000000 \
  "$CALM" generate case4.csv -n 5000000 -m lgbm --minimal-report --threads 2 --seed 1 \
  --fit-rows 200000 -o case4_fit
timed "case4 cart 1M->5M minimal report" 5000000 \
  "$CALM" generate case4.csv -n 5000000 -m cart --minimal-report --threads 2 --seed 1 -o case4_cart
# --- 100M rows of cart on diamonds --------------------------------------------------------------
DIAMONDS="$HERE/../../shared/datasets/diamonds.csv"
"$CALM" generate "$DIAMONDS" -n 100 -q --no-report --seed 1 -o fit --save-model diamonds.calm >/dev/null
timed "cart diamonds ${ROWS} rows -> CSV file" "$ROWS" \
  "$CALM" sample diamonds.calm -n "$ROWS" --seed 2 -q -o big.csv
BYTES=$(stat -c %s big.csv)
timed "dd of the same ${BYTES} bytes (physical limit)" "$ROWS" \
  dd if=big.csv of=big_copy.csv bs=16M conv=fsync
rm -f big_copy.csv
timed "cart diamonds ${ROWS} rows -> pipe (-o -)" "$ROWS" \
  sh -c "'$CALM' sample diamonds.calm -n $ROWS --seed 2 -q -o - | cat > /dev/null"
rm -f big.csv
# --- databases ------------------------------------------------------------------------------------
rm -f db.sqlite db_import.sqlite
timed "cart diamonds ${DB_ROWS} rows -> SQLite" "$DB_ROWS" \
  "$CALM" sample diamonds.calm -n "$DB_ROWS" --seed 2 -q -o db.sqlite --table t
"$CALM" sample diamonds.calm -n "$DB_ROWS" --seed 2 -q -o db.csv >/dev/null
timed "sqlite3 .import of the same CSV" "$DB_ROWS" \
  sqlite3 db_import.sqlite -cmd "PRAGMA journal_mode=OFF" -cmd "PRAGMA synchronous=OFF" \
  ".import --csv db.csv t"
# A throwaway PostgreSQL server (as the postgres user when root).
AS=""
[ "$(id -u)" = 0 ] && AS="runuser -u postgres --"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDIR=$(mktemp -d /tmp/calm_bench_pg_XXXX)
[ "$(id -u)" = 0 ] && chown postgres "$PGDIR"
PORT=$(python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])")
$AS "$PGBIN/initdb" -D "$PGDIR/data" -U calm -A trust --no-sync >/dev/null
$AS "$PGBIN/pg_ctl" -D "$PGDIR/data" -o "-p $PORT -k $PGDIR -c listen_addresses=127.0.0.1" -w start >/dev/null
trap '$AS "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null; rm -rf "$PGDIR"' EXIT
URL="postgresql://calm@127.0.0.1:$PORT/postgres"
timed "cart diamonds ${DB_ROWS} rows -> PostgreSQL" "$DB_ROWS" \
  "$CALM" sample diamonds.calm -n "$DB_ROWS" --seed 2 -q -o "$URL" --table t
psql "$URL" -qc "create table t2 (like t)" >/dev/null
chmod a+r db.csv
timed "psql \\copy of the same CSV (COPY FROM)" "$DB_ROWS" \
  psql "$URL" -qc "\\copy t2 from '$WORK/db.csv' csv header"
rm -f db.csv db.sqlite db_import.sqlite
