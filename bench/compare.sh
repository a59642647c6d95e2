#!/usr/bin/env bash
# Two trees back to back, for "within noise, before and after": a Release ghfe of each (a git
# revision, or "." for the working tree as it is), one measured run of each per round at 64
# connections after a warm-up, each on a fresh embedded (durable) PostgreSQL, the order
# alternating from round to round so that neither always runs on a warmer or quieter box.
# Settings in the environment reach both (GHFE_SCHEMA_GENERATION=control-plane, …).
#   bash bench/compare.sh <before> [after, default .] [requests-per-run] [rounds]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
before=${1:?usage: bench/compare.sh <before> [after] [requests-per-run] [rounds]}
after=${2:-.}
requests=${3:-20000}
rounds=${4:-5}
port=8098
source "$root/bench/lib.sh"
scratch compare
cleanup() {
  for tree in "$work"/src-*; do
    if [ -d "$tree" ]; then git -C "$root" worktree remove --force "$tree" >/dev/null 2>&1 || true; fi
  done
}

# build <name> <revision>: the tree of that revision (or the working tree), built into $work/<name>.
build() {
  local source=$root
  if [ "$2" != . ]; then
    source="$work/src-$1"
    git -C "$root" worktree add --detach -q "$source" "$2"
  fi
  build_ghfe "$source" "$work/$1"
  echo "$1: $2 ($(git -C "$source" rev-parse --short HEAD)$([ "$2" = . ] && [ -n "$(git -C "$root" status --porcelain)" ] && echo ", uncommitted changes"))"
}

echo "building (Release)..."
build before "$before"
build after "$after"
build_load

# One measured run of one build in a fresh directory: rps p99 non-2xx ghfe_us pg_us.
run() {
  local dir="$work/run-$1-$2"
  mkdir -p "$dir" && chmod 755 "$dir" && cd "$dir"
  GHFE_DLL="$work/$1/ghfe.dll" serve
  measure_64 1000000000 > "$work/measured"
  stop_ghfe
  cat "$work/measured"
}

printf '%-6s %-7s %12s %8s %7s %9s %9s\n' round build deliveries/s p99_ms non2xx ghfe_us pg_us
declare -A rps_of
for round in $(seq 1 "$rounds"); do
  order="before after"; [ $((round % 2)) = 0 ] && order="after before"
  for name in $order; do
    run "$name" "$round" > "$work/result"
    read -r rps p99 failed ghfe_us pg_us < "$work/result"
    printf '%-6s %-7s %12s %8s %7s %9s %9s\n' "$round" "$name" "$rps" "$p99" "$failed" "$ghfe_us" "$pg_us"
    rps_of[$name]="${rps_of[$name]:-} $rps"
  done
done
b=$(median <<<"${rps_of[before]}"); a=$(median <<<"${rps_of[after]}")
awk -v b="$b" -v a="$a" 'BEGIN { printf "median deliveries/s at 64 connections: before %d, after %d (%+.1f %%)\n", b, a, 100 * (a - b) / b }'
