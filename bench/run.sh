#!/usr/bin/env bash
# The performance benchmark, one command, one summary table:
#   1. BenchmarkDotNet over the pure pipeline (signature, parse + route, whole) on a ~8 KB delivery;
#   2. end to end: a Release ghfe on a local PostgreSQL, pre-signed distinct queued deliveries
#      from bench/Ghfe.Load at 16 and 64 connections (requests/s, p50, p99, non-2xx, rows landed);
#   3. pgbench doing the same INSERT … ON CONFLICT + NOTIFY per job at the same client counts,
#      and the ratio ghfe / pgbench.
#   bash bench/run.sh [requests-per-run]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
requests=${1:-30000}
work=$(mktemp -d /tmp/ghfe-perf-XXXXXX)
chmod 755 "$work"
port=8097
cleanup() {
  [ -n "${ghfe_pid:-}" ] && kill "$ghfe_pid" 2>/dev/null && wait "$ghfe_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "building (Release)..."
dotnet build -c Release "$root/Ghfe" -o "$work/ghfe" -v quiet -nologo >/dev/null
dotnet build -c Release "$root/bench/Ghfe.Load" -o "$work/load" -v quiet -nologo >/dev/null

echo "pure pipeline (BenchmarkDotNet, short run)..."
(cd "$work" && dotnet run -c Release --project "$root/bench/Ghfe.Bench" -- --artifacts "$work/bdn" >"$work/bdn.log" 2>&1) || { cat "$work/bdn.log"; exit 1; }
pipeline=$(grep -E "^\| '?(signature|parse|whole)" "$work/bdn.log" | tr -d "'" \
  | awk -F'|' '{gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $3); gsub(/^ +| +$/, "", $(NF-1)); print $2 "|" $3 "|" $(NF-1)}')

echo "end to end..."
cd "$work"
GHAPP_WEBHOOK_SECRET=perf LOGLEVEL=WARNING dotnet ghfe/ghfe.dll --urls "http://127.0.0.1:$port" > ghfe.log 2>&1 &
ghfe_pid=$!
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$ghfe_pid" 2>/dev/null || { cat ghfe.log; exit 1; }
  sleep 1
done
pg_port=$(sed -n 4p .ghfe/postgres/postmaster.pid)
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
rss_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$ghfe_pid/status"; }

results=()
first=1000000000
for connections in 16 64; do
  # Warm-up: the JIT compiles ghfe's hot paths in tiers over the first ~10,000 deliveries.
  "$work/load/Ghfe.Load" "http://127.0.0.1:$port/" perf "$connections" 10000 "$((first - 100000))" >/dev/null
  read -r c n secs rps p50 p99 failed load_cpu < <("$work/load/Ghfe.Load" "http://127.0.0.1:$port/" perf "$connections" "$requests" "$first")
  landed=$(rows "$first" "$((first + requests - 1))")
  pg_tps=$(pgbench -n -h 127.0.0.1 -p "$pg_port" -U postgres -c "$connections" -j 2 -T 10 -f notify.sql ghfe 2>/dev/null \
    | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -n 1)
  results+=("$connections|$rps|$p50|$p99|$failed|$landed/$requests|${pg_tps%.*}")
  first=$((first + 10000000))
done
peak=$(rss_mb)

echo
echo "== pure pipeline (per ~8 KB delivery) =="
printf '%-34s %14s %12s\n' "benchmark" "mean" "allocated"
while IFS='|' read -r name mean alloc; do printf '%-34s %14s %12s\n' "$name" "$mean" "$alloc"; done <<<"$pipeline"
echo
echo "== end to end: ghfe (Release) vs pgbench INSERT+NOTIFY, $requests distinct queued deliveries per run =="
printf '%-12s %10s %9s %9s %8s %14s %12s %8s\n' "connections" "ghfe rps" "p50 ms" "p99 ms" "non-2xx" "rows landed" "pgbench tps" "ratio"
for line in "${results[@]}"; do
  IFS='|' read -r c rps p50 p99 failed landed tps <<<"$line"
  ratio=$(awk -v a="$rps" -v b="$tps" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
  printf '%-12s %10s %9s %9s %8s %14s %12s %8s\n' "$c" "$rps" "$p50" "$p99" "$failed" "$landed" "$tps" "$ratio"
done
echo
echo "ghfe peak resident memory: ${peak} MB"

# The targets of the performance issue, each checked against the numbers above.
check() { if [ "$2" = 1 ]; then echo "  met      $1"; else echo "  NOT MET  $1"; fi; }
whole=$(awk -F'|' '$1 ~ /whole/ { split($2, m, " "); v = m[1]; gsub(",", "", v); if (m[2] == "ns") v /= 1000; if (m[2] == "ms") v *= 1000; print v }' <<<"$pipeline")
IFS='|' read -r _ _ _ p99_16 failed_16 landed_16 _ <<<"${results[0]}"
IFS='|' read -r _ rps_64 _ p99_64 failed_64 landed_64 tps_64 <<<"${results[1]}"
echo
echo "== targets =="
check "ghfe ≥ 3 × pgbench at 64 connections ($rps_64 vs 3 × $tps_64)" "$(awk -v a="$rps_64" -v b="$tps_64" 'BEGIN { print (b > 0 && a >= 3 * b) ? 1 : 0 }')"
check "p99 ≤ 50 ms at 64 connections ($p99_64 ms)" "$(awk -v p="$p99_64" 'BEGIN { print (p <= 50) ? 1 : 0 }')"
check "p99 ≤ 20 ms at 16 connections ($p99_16 ms)" "$(awk -v p="$p99_16" 'BEGIN { print (p <= 20) ? 1 : 0 }')"
check "no non-2xx, every acknowledged row landed ($failed_16 + $failed_64 non-2xx; $landed_16, $landed_64)" \
  "$([ "$failed_16" = 0 ] && [ "$failed_64" = 0 ] && [ "${landed_16%/*}" = "${landed_16#*/}" ] && [ "${landed_64%/*}" = "${landed_64#*/}" ] && echo 1 || echo 0)"
check "pure pipeline ≤ 20 µs per ~8 KB delivery (${whole} µs)" "$(awk -v w="$whole" 'BEGIN { print (w != "" && w <= 20) ? 1 : 0 }')"
check "resident memory < 200 MB under load (${peak} MB)" "$(awk -v m="$peak" 'BEGIN { print (m < 200) ? 1 : 0 }')"
