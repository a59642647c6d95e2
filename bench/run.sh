#!/usr/bin/env bash
# The performance benchmark, one command, one summary table:
#   1. BenchmarkDotNet over the pure pipeline (signature, parse + route, whole) on a ~8 KB delivery;
#   2. end to end: a Release ghfe on a local durable PostgreSQL, pre-signed distinct queued
#      deliveries from bench/Ghfe.Load, three runs at 16 and three at 64 connections: requests/s,
#      p50, p99, non-2xx, rows landed, delivery-log rows, NOTIFYs, and the CPU each side spent
#      per delivery (from /proc: ghfe's process; PostgreSQL's postmaster and all its children);
#   3. after each run, pgbench doing the same INSERT … ON CONFLICT + NOTIFY, one job per
#      transaction, at the same client count, and the ratio ghfe / pgbench;
#   then each target of the performance issue, met / NOT MET.
#   bash bench/run.sh [requests-per-run] [runs]      (PIPELINE=0 skips step 1)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
requests=${1:-30000}
runs=${2:-3}
port=8097
source "$root/bench/lib.sh"
scratch perf

echo "building (Release)..."
build_ghfe
build_load
dotnet build -c Release "$root/bench/Ghfe.Floor" -o "$work/floor" -v quiet -nologo >/dev/null

pipeline="skipped (PIPELINE=0)|-|-"
if [ "${PIPELINE:-1}" != 0 ]; then
  echo "pure pipeline (BenchmarkDotNet, short run)..."
  (cd "$work" && dotnet run -c Release --project "$root/bench/Ghfe.Bench" -- --artifacts "$work/bdn" >"$work/bdn.log" 2>&1) || { cat "$work/bdn.log"; exit 1; }
  pipeline=$(grep -E "^\| '?(signature|parse|whole)" "$work/bdn.log" | tr -d "'" \
    | awk -F'|' '{gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $3); gsub(/^ +| +$/, "", $(NF-1)); print $2 "|" $3 "|" $(NF-1)}')
fi

echo "end to end..."
cd "$work"
serve
psql=(psql -X -q -At -h 127.0.0.1 -p "$pg_port" -U postgres ghfe)

cat > notify.sql <<'SQL'
\set id random(1, 9000000000000000)
WITH inserted AS (
  INSERT INTO staging.jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name,
                            installation_id, job_labels, k8s_pool, k8s_image, html_url)
  VALUES (:id, 'pending', 'github', 42, 'someone', 'Organization', 'someone/project', 1,
          '["ubuntu-24.04-riscv"]', 'scw-em-rv1', 'img', NULL)
  ON CONFLICT (job_id) DO NOTHING RETURNING job_id)
SELECT pg_notify('staging_queue_event', job_id::text) FROM inserted;
SQL

rows() { "${psql[@]}" -c "SELECT count(*) FROM staging.jobs WHERE job_id BETWEEN $1 AND $2"; }
logged() { "${psql[@]}" -c "SELECT count(*) FROM staging.deliveries WHERE job_id BETWEEN $1 AND $2"; }
rss_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$ghfe_pid/status"; }
# The values of one |-separated field over rows: fields <n> <row>...
fields() { local n=$1; shift; for row in "$@"; do printf '%s ' "$(cut -d'|' -f"$n" <<<"$row")"; done; }
# The result rows of the runs at one connection count: runs_at <connections>
runs_at() { for line in "${results[@]}"; do if [ "${line%%|*}" = "$1" ]; then echo "$line"; fi; done; }

durability=$("${psql[@]}" -c "SELECT current_setting('fsync') || '/' || current_setting('synchronous_commit')")
results=()
first=1000000000
warm_up "http://127.0.0.1:$port/" 0
for connections in 16 64; do
  "$work/load/Ghfe.Load" "http://127.0.0.1:$port/" perf "$connections" 10000 "$((first - 100000))" >/dev/null
  for run in $(seq 1 "$runs"); do
    sleep 1 # the last pgbench's backends reaped, so that they count in "before" and not in this run
    ghfe_before=$(ticks "$ghfe_pid"); pg_before=$(pg_ticks)
    read -r _ _ _ rps p50 p99 failed load_cpu notifies notified < <("$work/load/Ghfe.Load" "http://127.0.0.1:$port/" perf \
      "$connections" "$requests" "$first" "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=ghfe" staging_queue_event)
    ghfe_us=$(per_delivery "$(ticks "$ghfe_pid")" "$ghfe_before")
    pg_us=$(per_delivery "$(pg_ticks)" "$pg_before")
    landed=$(rows "$first" "$((first + requests - 1))")
    # The delivery log is written off the answer's path: give its last batches a moment.
    for _ in $(seq 1 20); do
      log_rows=$(logged "$first" "$((first + requests - 1))"); [ "$log_rows" -ge "$requests" ] && break; sleep 0.25
    done
    pg_tps=$(pgbench -n -h 127.0.0.1 -p "$pg_port" -U postgres -c "$connections" -j 2 -T 10 -f notify.sql ghfe 2>/dev/null \
      | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)
    results+=("$connections|$run|$rps|$p50|$p99|$failed|$landed|$log_rows|$notifies|$notified|$ghfe_us|$pg_us|$load_cpu|${pg_tps%.*}")
    first=$((first + 10000000))
  done
done
peak=$(rss_mb)

# What the log line costs: the same 64-connection run with ghfe restarted under other log settings
# (the deployment's JSON lines, and no line per delivery at all).
logging=()
for setting in GHFE_LOG_FORMAT=json LOGLEVEL=WARNING; do
  stop_ghfe
  serve "$setting"
  # Warmed like the first, with ids never sent: the same inserting path as the measured run.
  warm_up "http://127.0.0.1:$port/" "$first"
  first=$((first + 10000000))
  ghfe_before=$(ticks "$ghfe_pid")
  read -r _ _ _ rps _ p99 failed _ _ _ < <("$work/load/Ghfe.Load" "http://127.0.0.1:$port/" perf 64 "$requests" "$first")
  logging+=("$setting|$rps|$p99|$failed|$(per_delivery "$(ticks "$ghfe_pid")" "$ghfe_before")")
  first=$((first + 10000000))
  rss=$(rss_mb); [ "$rss" -gt "$peak" ] && peak=$rss
done

# The floor: Kestrel alone, reading each body and answering 200, driven the same way at 64.
"$work/floor/Ghfe.Floor" --urls "http://127.0.0.1:$((port + 1))" > floor.log 2>&1 &
floor_pid=$!
for _ in $(seq 1 30); do curl -s -o /dev/null -X POST "http://127.0.0.1:$((port + 1))/" 2>/dev/null && break; sleep 0.5; done
warm_up "http://127.0.0.1:$((port + 1))/" 0
floor=()
for run in $(seq 1 "$runs"); do
  before=$(ticks "$floor_pid")
  read -r _ _ _ rps _ p99 _ load_cpu _ _ < <("$work/load/Ghfe.Load" "http://127.0.0.1:$((port + 1))/" perf 64 "$requests" 1)
  floor+=("$rps|$p99|$(per_delivery "$(ticks "$floor_pid")" "$before")|$load_cpu")
done
kill "$floor_pid"; wait "$floor_pid" 2>/dev/null || true

echo
echo "== pure pipeline (per ~8 KB delivery) =="
printf '%-34s %14s %12s\n' "benchmark" "mean" "allocated"
while IFS='|' read -r name mean alloc; do printf '%-34s %14s %12s\n' "$name" "$mean" "$alloc"; done <<<"$pipeline"
echo
echo "== end to end: ghfe (Release) vs pgbench INSERT+NOTIFY; $requests distinct queued deliveries a run; PostgreSQL fsync/synchronous_commit: $durability =="
echo "   (CPU µs per delivery: ghfe's process, PostgreSQL's processes, the load generator's)"
printf '%-5s %3s %8s %7s %7s %7s %12s %12s %8s %8s %6s %6s %6s %8s %6s\n' \
  "conns" "run" "rps" "p50 ms" "p99 ms" "non-2xx" "rows landed" "log rows" "NOTIFYs" "ids" "ghfe" "pg" "load" "pgbench" "ratio"
for line in "${results[@]}"; do
  IFS='|' read -r c run rps p50 p99 failed landed log_rows notifies notified ghfe_us pg_us load_us tps <<<"$line"
  ratio=$(awk -v a="$rps" -v b="$tps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '%-5s %3s %8s %7s %7s %7s %12s %12s %8s %8s %6s %6s %6s %8s %6s\n' \
    "$c" "$run" "$rps" "$p50" "$p99" "$failed" "$landed/$requests" "$log_rows/$requests" "$notifies" "$notified" "$ghfe_us" "$pg_us" "$load_us" "$tps" "$ratio"
done
echo
echo "ghfe peak resident memory: ${peak} MB"
echo
echo "== what the log line costs: ghfe restarted, one run at 64 connections =="
printf '%-28s %8s %7s %8s %10s\n' "setting" "rps" "p99 ms" "non-2xx" "ghfe µs"
IFS="|" read -r _ _ rps _ p99 failed _ _ _ _ ghfe_us _ <<<"$(runs_at 64 | tail -n 1)"
printf '%-28s %8s %7s %8s %10s\n' "text, INFO (last run above)" "$rps" "$p99" "$failed" "$ghfe_us"
for line in "${logging[@]}"; do IFS='|' read -r setting rps p99 failed ghfe_us <<<"$line"; printf '%-28s %8s %7s %8s %10s\n' "$setting" "$rps" "$p99" "$failed" "$ghfe_us"; done
echo
echo "== the floor: Kestrel alone reading each body and answering 200 (bench/Ghfe.Floor), 64 connections =="
printf '%-5s %8s %7s %16s %6s\n' "run" "rps" "p99 ms" "server µs/req" "load"
for i in "${!floor[@]}"; do IFS='|' read -r rps p99 server load_us <<<"${floor[$i]}"; printf '%-5s %8s %7s %16s %6s\n' "$((i + 1))" "$rps" "$p99" "$server" "$load_us"; done

# The targets of the performance issue, each checked against the numbers above.
check() { if [ "$2" = 1 ]; then echo "  met      $1"; else echo "  NOT MET  $1"; fi; }
column() { # column <connections> <field> [ratio]: the field's values over that connection count's runs
  runs_at "$1" | while IFS='|' read -r -a f; do
    if [ "$2" = ratio ]; then awk -v a="${f[2]}" -v b="${f[13]}" 'BEGIN { printf "%.2f ", (b > 0) ? a / b : 0 }'; else printf '%s ' "${f[$2]}"; fi
  done
}
at_most() { awk -v max="$1" '{ for (i = 1; i <= NF; i++) if ($i > max) bad = 1 } END { print bad ? 0 : 1 }'; }
ratio_64=$(column 64 ratio | median); ratio_16=$(column 16 ratio | median)
ghfe_64=$(column 64 10 | median); pg_64=$(column 64 11 | median)
ghfe_16=$(column 16 10 | median); pg_16=$(column 16 11 | median)
whole=$(awk -F'|' '$1 ~ /whole/ { split($2, m, " "); v = m[1]; gsub(",", "", v); if (m[2] == "ns") v /= 1000; if (m[2] == "ms") v *= 1000; print v }' <<<"$pipeline")
guarantees=1
for line in "${results[@]}"; do
  IFS='|' read -r c run rps p50 p99 failed landed log_rows notifies notified _ <<<"$line"
  # Every 2xx durable and landed, the log complete, and NOTIFYs that carry every new id, fewer than the rows.
  [ "$failed" = 0 ] && [ "$landed" = "$requests" ] && [ "$log_rows" = "$requests" ] && [ "$notified" = "$requests" ] \
    && [ "$notifies" -gt 0 ] && [ "$notifies" -lt "$requests" ] || guarantees=0
done
[ "$durability" = "on/on" ] || guarantees=0
echo
echo "== targets (median of $runs runs where it says so) =="
check "ghfe ≥ 10 × pgbench at 64 connections (median ratio $ratio_64; runs: $(column 64 ratio))" "$(awk -v r="$ratio_64" 'BEGIN { print (r >= 10) ? 1 : 0 }')"
check "ghfe ≥ 5 × pgbench at 16 connections (median ratio $ratio_16; runs: $(column 16 ratio))" "$(awk -v r="$ratio_16" 'BEGIN { print (r >= 5) ? 1 : 0 }')"
check "p99 ≤ 25 ms in every run at 64 connections ($(column 64 4)ms)" "$(column 64 4 | at_most 25)"
check "p99 ≤ 15 ms in every run at 16 connections ($(column 16 4)ms)" "$(column 16 4 | at_most 15)"
check "ghfe CPU ≤ 50 µs per delivery (median $ghfe_64 µs at 64 connections, $ghfe_16 µs at 16)" "$(echo "$ghfe_64 $ghfe_16" | at_most 50)"
check "PostgreSQL CPU ≤ 50 µs per delivery (median $pg_64 µs at 64 connections, $pg_16 µs at 16)" "$(echo "$pg_64 $pg_16" | at_most 50)"
check "guarantees: fsync and synchronous_commit on ($durability); no non-2xx; every answered job landed; the delivery log complete; the NOTIFYs carry every new id once, in fewer NOTIFYs than jobs (one per batch: Ghfe.Tests' EnqueueBatcherTests)" "$guarantees"
check "resident memory < 200 MB under load (${peak} MB)" "$(awk -v m="$peak" 'BEGIN { print (m < 200) ? 1 : 0 }')"
if [ "${PIPELINE:-1}" != 0 ]; then
  check "pure pipeline ≤ 20 µs per ~8 KB delivery (${whole} µs)" "$(awk -v w="$whole" 'BEGIN { print (w != "" && w <= 20) ? 1 : 0 }')"
else
  echo "  skipped  pure pipeline ≤ 20 µs per ~8 KB delivery (PIPELINE=0)"
fi

# Where the ratio's limit sits: the three processes share two cores, so CPU per delivery caps the rate.
load_64=$(column 64 12 | median); tps_64=$(column 64 13 | median)
floor_server=$(fields 3 "${floor[@]}" | median); floor_load=$(fields 4 "${floor[@]}" | median)
echo
echo "== the CPU budget at 64 connections (medians; 2 cores = 2,000,000 µs of CPU a second) =="
awk -v g="$ghfe_64" -v p="$pg_64" -v l="$load_64" -v t="$tps_64" -v fs="$floor_server" -v fl="$floor_load" 'BEGIN {
  total = g + p + l
  printf "  per delivery: ghfe %d + PostgreSQL %d + load generator %d = %d µs → at most %d deliveries/s on two cores\n", g, p, l, total, 2000000 / total
  printf "  10 × pgbench (%d tps) is %d deliveries/s: %d µs of CPU per delivery for all three together\n", t, 10 * t, (t > 0) ? 2000000 / (10 * t) : 0
  printf "  Kestrel alone (the floor) takes %d µs + the load generator %d µs per request: %d µs before any of ghfe'"'"'s own work\n", fs, fl, fs + fl
}'
