#!/usr/bin/env bash
# Loads 1,000,000 jobs (a year of history, a few hundred active) into a throwaway ghfe and
# prints how long /usage and /history take to answer. Target: under 200 ms per page.
#   bash bench/pages-1m.sh [rows]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-1000000}
work=$(mktemp -d /tmp/ghfe-bench-XXXXXX)
chmod 755 "$work"   # the embedded PostgreSQL runs as the postgres user and must reach it
port=8099
cleanup() {
  cp "$work/ghfe.log" /tmp/bench-ghfe.log 2>/dev/null || true
  [ -n "${ghfe_pid:-}" ] && kill "$ghfe_pid" 2>/dev/null && wait "$ghfe_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build -c Release "$root/Ghfe" -o "$work/bin" -v quiet -nologo >/dev/null
cd "$work"
# POSTGRES_URL unset: ghfe starts its own PostgreSQL under $work/.ghfe.
start_ghfe() {
  GHAPP_WEBHOOK_SECRET=bench dotnet bin/ghfe.dll --urls "http://127.0.0.1:$port" > "$1" 2>&1 &
  ghfe_pid=$!
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$ghfe_pid" 2>/dev/null || break
    sleep 1
  done
  pg_port=$(grep -o 'embedded PostgreSQL: Host=127.0.0.1;Port=[0-9]*' "$1" | grep -o '[0-9]*$' || true)
  [ -n "$pg_port" ] || { echo "ghfe did not start:"; cat "$1"; exit 1; }
}
start_ghfe ghfe.log
psql=(psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres ghfe)

echo "loading $rows jobs..."
start=$(date +%s)
"${psql[@]}" <<SQL
SET search_path TO staging;
INSERT INTO jobs (job_id, status, provider, entity_id, entity_name, entity_type, repo_full_name, installation_id,
                  job_labels, k8s_pool, k8s_image, html_url, created_at, updated_at, started_at, completed_at)
SELECT i,
       CASE WHEN i > $rows - 300 THEN 'pending' WHEN i > $rows - 700 THEN 'running'
            WHEN i % 50 = 0 THEN 'failed' ELSE 'completed' END::status_enum,
       'github', 1000 + i % 20, 'entity-' || (i % 20), 'Organization', 'entity-' || (i % 20) || '/repo-' || (i % 7), 4242,
       CASE WHEN i % 3 = 0 THEN '["linux.riscv64.xlarge"]' ELSE '["ubuntu-24.04-riscv"]' END::jsonb,
       (ARRAY['scw-em-rv1', 'cloudv10x-jupiter', 'cloudv10x-pioneer', 'cloudv10x-rvv'])[1 + i % 4], 'img',
       'https://github.com/entity/repo/actions/runs/1/job/' || i,
       t, t, t + make_interval(secs => 5 + i % 600),
       CASE WHEN i <= $rows - 700 THEN t + make_interval(secs => 300 + i % 3600) END
FROM generate_series(1, $rows) AS i,
     LATERAL (SELECT now() - make_interval(secs => (($rows - i)::float8 / $rows) * 365 * 86400)) AS c(t);
ANALYZE jobs;
SQL
echo "loaded in $(( $(date +%s) - start )) s"

# A restart rolls the days up at once (a running ghfe would within five minutes).
kill "$ghfe_pid"; wait "$ghfe_pid" 2>/dev/null || true
start_ghfe ghfe.log
psql=(psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres ghfe)
for _ in $(seq 1 120); do
  grep -q 'history rollups:' ghfe.log && break
  sleep 1
done
grep -o 'history rollups: .*' ghfe.log || { echo "no rollups after 120 s:"; tail ghfe.log; exit 1; }
# A year-old table is vacuumed and checkpointed; a freshly loaded one would be busy doing so.
"${psql[@]}" -c "VACUUM ANALYZE staging.jobs" -c "VACUUM ANALYZE staging.job_days" -c "CHECKPOINT"

# The first request runs code the JIT has compiled quickly; ghfe serves pages all day, so the
# timed requests come after 30 more, when the hot paths are compiled fully (tiered JIT).
measure() {
  local path=$1 url="http://127.0.0.1:$port$1" code first times
  read -r code first < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$url")
  for _ in $(seq 1 30); do curl -s -o /dev/null "$url"; done
  times=$(for _ in $(seq 1 7); do curl -s -o /dev/null -w '%{time_total}\n' "$url"; done | sort -n)
  echo "$times" | awk -v path="$path" -v code="$code" -v first="$first" '
    { t[NR] = $1 * 1000 }
    END { printf "%-60s %s  first %7.1f ms  median %7.1f ms  max %7.1f ms\n", path, code, first * 1000, t[4], t[NR] }' | tee -a timings.txt
}

echo
echo "page (first request, then 30 warm-up and 7 timed)     at $rows rows"
for path in /usage /usage.json /history /history.json "/history?start=-30d" "/history?start=-90d&page=50" \
            "/history?start=-365d" "/history.json?start=-365d" "/history?entity=entity-3&status=failed&start=-365d" \
            "/history?entity=entity-0&status=failed&start=-365d&page=20" "/history?repo=entity-3/repo-3&start=-365d" \
            "/history?pool=scw-em-rv1&start=-365d&page=2400"; do
  measure "$path"
done

# The issue's target: every page under 200 ms at a million rows, warm (median) and, since ghfe
# serves each page once as it starts, on its first request too.
echo
echo "== target: under 200 ms per page =="
awk '
  { if ($2 != 200) bad++; if ($4 > first) first = $4; if ($7 > median) median = $7 }
  END {
    printf "%-40s %s\n", "every page answered 200:", bad ? "NOT MET (" bad " did not)" : "met"
    printf "%-40s %s\n", sprintf("slowest median: %.1f ms", median), median < 200 ? "met" : "NOT MET"
    printf "%-40s %s\n", sprintf("slowest first request: %.1f ms", first), first < 200 ? "met" : "NOT MET"
  }' timings.txt
