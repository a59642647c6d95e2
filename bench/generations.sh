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
port=8099
source "$root/bench/lib.sh"
scratch generations

echo "building (Release)..."
build_ghfe
build_load

# One measured run in a fresh directory (so a fresh schema of that generation): rps, p99, non-2xx, rows, events, ghfe_us, pg_us.
measure() {
  local generation=$1 dir="$work/$1-$2" first=1000000000
  mkdir -p "$dir" && chmod 755 "$dir" && cd "$dir"
  serve GHFE_SCHEMA_GENERATION="$generation"
  local rps p99 failed ghfe_us pg_us
  measure_64 "$first" > "$work/measured"
  read -r rps p99 failed ghfe_us pg_us < "$work/measured"
  local measured=$((first + 1000000))
  local psql=(psql -X -q -At -h 127.0.0.1 -p "$pg_port" -U postgres ghfe)
  local rows events=-
  rows=$("${psql[@]}" -c "SELECT count(*) FROM staging.jobs WHERE job_id >= $measured")
  if [ "$generation" = control-plane ]; then
    events=$("${psql[@]}" -c "SELECT count(*) FROM staging.installation_events WHERE (payload->'workflow_job'->>'id')::bigint >= $measured")
  fi
  stop_ghfe
  echo "$rps $p99 $failed $rows $events $ghfe_us $pg_us"
}

printf '%-6s %-14s %10s %8s %7s %7s %7s %9s %9s\n' round generation deliveries/s p99_ms non2xx rows events ghfe_us pg_us
app_all=(); cp_all=()
for round in $(seq 1 "$rounds"); do
  for generation in app control-plane; do
    measure "$generation" "$round" > "$work/result"
    read -r rps p99 failed rows events ghfe_us pg_us < "$work/result"
    printf '%-6s %-14s %10s %8s %7s %7s %7s %9s %9s\n' "$round" "$generation" "$rps" "$p99" "$failed" "$rows" "$events" "$ghfe_us" "$pg_us"
    if [ "$generation" = app ]; then app_all+=("$rps"); else cp_all+=("$rps"); fi
  done
done
app=$(median <<<"${app_all[*]}"); cp=$(median <<<"${cp_all[*]}")
awk -v app="$app" -v cp="$cp" 'BEGIN { printf "median deliveries/s at 64 connections: app %d, control-plane %d (%.0f %% of app; target >= 75 %%: %s)\n", app, cp, 100 * cp / app, (cp >= 0.75 * app) ? "met" : "NOT MET" }'
