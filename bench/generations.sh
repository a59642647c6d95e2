#!/usr/bin/env bash
# The two schema generations back to back: a Release ghfe on a fresh embedded (durable)
# PostgreSQL in the app generation, then in the control-plane generation, one measured run of
# each per round at 64 connections (after a warm-up), and the control plane's deliveries/s as a
# share of the app's. Every run also counts the rows that landed and, in the control-plane
# generation, the installation_events rows written with them.
#   bash bench/generations.sh [requests-per-run] [rounds]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
requests=${1:-20000}
rounds=${2:-3}
work=$(mktemp -d /tmp/ghfe-generations-XXXXXX)
chmod 755 "$work"
port=8099
cleanup() {
  [ -n "${ghfe_pid:-}" ] && kill "$ghfe_pid" 2>/dev/null && wait "$ghfe_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "building (Release)..."
dotnet build -c Release "$root/Ghfe" -o "$work/ghfe" -v quiet -nologo >/dev/null
dotnet build -c Release "$root/bench/Ghfe.Load" -o "$work/load" -v quiet -nologo >/dev/null

tick_us=$((1000000 / $(getconf CLK_TCK)))
# CPU ticks (user + system) of one process; with "all", also of its reaped children.
ticks() { awk -v all="${2:-}" '{ sub(/^.*\) /, ""); print $12 + $13 + (all ? $14 + $15 : 0) }' "/proc/$1/stat"; }
# PostgreSQL's whole CPU: the postmaster, its live children and those already reaped.
pg_ticks() {
  local total; total=$(ticks "$1" all)
  for child in $(pgrep -P "$1"); do total=$((total + $(ticks "$child" 2>/dev/null || echo 0))); done
  echo "$total"
}
per_delivery() { awk -v after="$1" -v before="$2" -v tick="$tick_us" -v n="$requests" 'BEGIN { printf "%.0f", (after - before) * tick / n }'; }

# One measured run in a fresh directory (so a fresh schema of that generation): rps, p99, failed, rows, events.
measure() {
  local generation=$1 dir="$work/$1-$2"
  mkdir -p "$dir" && chmod 755 "$dir" && cd "$dir"
  env GHAPP_WEBHOOK_SECRET=perf GHFE_SCHEMA_GENERATION="$generation" dotnet "$work/ghfe/ghfe.dll" \
    --urls "http://127.0.0.1:$port" > ghfe.log 2>&1 &
  ghfe_pid=$!
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$ghfe_pid" 2>/dev/null || { cat ghfe.log; exit 1; }
    sleep 1
  done
  local pg_port; pg_port=$(sed -n 4p .ghfe/postgres/postmaster.pid)
  "$work/load/Ghfe.Load" "http://127.0.0.1:$port/" perf 64 60000 1 >/dev/null
  local first=1000000000 pg_pid; pg_pid=$(sed -n 1p .ghfe/postgres/postmaster.pid)
  local ghfe_before pg_before; ghfe_before=$(ticks "$ghfe_pid"); pg_before=$(pg_ticks "$pg_pid")
  read -r _ _ _ rps _ p99 failed _ < <("$work/load/Ghfe.Load" "http://127.0.0.1:$port/" perf 64 "$requests" "$first")
  local ghfe_us pg_us; ghfe_us=$(per_delivery "$(ticks "$ghfe_pid")" "$ghfe_before"); pg_us=$(per_delivery "$(pg_ticks "$pg_pid")" "$pg_before")
  local psql=(psql -X -q -At -h 127.0.0.1 -p "$pg_port" -U postgres ghfe)
  local rows events=-
  rows=$("${psql[@]}" -c "SELECT count(*) FROM staging.jobs WHERE job_id >= $first")
  if [ "$generation" = control-plane ]; then
    events=$("${psql[@]}" -c "SELECT count(*) FROM staging.installation_events WHERE (payload->'workflow_job'->>'id')::bigint >= $first")
  fi
  kill "$ghfe_pid"; wait "$ghfe_pid" 2>/dev/null || true; ghfe_pid=
  echo "$rps $p99 $failed $rows $events $ghfe_us $pg_us"
}

printf '%-6s %-14s %10s %8s %7s %7s %7s %9s %9s\n' round generation deliveries/s p99_ms non2xx rows events ghfe_us pg_us
app_all=(); cp_all=()
for round in $(seq 1 "$rounds"); do
  for generation in app control-plane; do
    read -r rps p99 failed rows events ghfe_us pg_us < <(measure "$generation" "$round")
    printf '%-6s %-14s %10s %8s %7s %7s %7s %9s %9s\n' "$round" "$generation" "$rps" "$p99" "$failed" "$rows" "$events" "$ghfe_us" "$pg_us"
    if [ "$generation" = app ]; then app_all+=("$rps"); else cp_all+=("$rps"); fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
app=$(median "${app_all[@]}"); cp=$(median "${cp_all[@]}")
awk -v app="$app" -v cp="$cp" 'BEGIN { printf "median deliveries/s at 64 connections: app %d, control-plane %d (%.0f %% of app; target >= 75 %%: %s)\n", app, cp, 100 * cp / app, (cp >= 0.75 * app) ? "met" : "NOT MET" }'
