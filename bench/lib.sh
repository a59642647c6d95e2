# Helpers the end-to-end benchmarks share. Source it with root (the repository) and port set, then
# call scratch; serve and stop_ghfe keep ghfe_pid, pg_pid and pg_port.

# The run's scratch directory ($work), removed when the script exits, with the ghfe still serving
# stopped first and, when the script defines it, its own cleanup run. scratch <name>
scratch() {
  work=$(mktemp -d "/tmp/ghfe-$1-XXXXXX")
  chmod 755 "$work"
  trap scratch_cleanup EXIT
}
scratch_cleanup() {
  [ -n "${ghfe_pid:-}" ] && kill "$ghfe_pid" 2>/dev/null && wait "$ghfe_pid" 2>/dev/null || true
  if declare -F cleanup >/dev/null; then cleanup; fi
  rm -rf "$work"
}

# A Release build of ghfe (or of any tree: build_ghfe <repository> <into>) and of the load generator.
build_ghfe() { dotnet build -c Release "${1:-$root}/Ghfe" -o "${2:-$work/ghfe}" -v quiet -nologo >/dev/null; }
build_load() { dotnet build -c Release "$root/bench/Ghfe.Load" -o "$work/load" -v quiet -nologo >/dev/null; }

# ghfe as the README starts it, but for the secret: LOGLEVEL INFO (one text line per delivery),
# its embedded PostgreSQL durable (fsync and synchronous_commit on), in the current directory
# (a fresh one gets a fresh cluster). GHFE_DLL names another build. serve [VAR=value ...]
serve() {
  env GHAPP_WEBHOOK_SECRET=perf "$@" dotnet "${GHFE_DLL:-$work/ghfe/ghfe.dll}" --urls "http://127.0.0.1:$port" > ghfe.log 2>&1 &
  ghfe_pid=$!
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$ghfe_pid" 2>/dev/null || { cat ghfe.log >&2; exit 1; }
    sleep 1
  done
  pg_port=$(sed -n 4p .ghfe/postgres/postmaster.pid)
  pg_pid=$(sed -n 1p .ghfe/postgres/postmaster.pid)
}
stop_ghfe() { kill "$ghfe_pid"; wait "$ghfe_pid" 2>/dev/null || true; ghfe_pid=; }

tick_us=$((1000000 / $(getconf CLK_TCK)))
# CPU ticks (user + system) of one process; with "all", also of its reaped children (fields 16, 17).
ticks() { awk -v all="${2:-}" '{ sub(/^.*\) /, ""); print $12 + $13 + (all ? $14 + $15 : 0) }' "/proc/$1/stat"; }
# PostgreSQL's whole CPU: the postmaster, every live child (backends, WAL writer, checkpointer,
# autovacuum) and every child already gone (counted in the postmaster's cutime/cstime).
pg_ticks() {
  local total; total=$(ticks "$pg_pid" all)
  for child in $(pgrep -P "$pg_pid"); do total=$((total + $(ticks "$child" 2>/dev/null || echo 0))); done
  echo "$total"
}
# CPU µs per delivery between two tick readings, rounded: per_delivery <after> <before>. The
# window also holds the load generator's start-up and drain, when ghfe and PostgreSQL idle.
per_delivery() { awk -v after="$1" -v before="$2" -v tick="$tick_us" -v n="$requests" 'BEGIN { printf "%.0f", (after - before) * tick / n }'; }
# Warm-up: .NET compiles a server's hot paths in tiers, the last (profile-guided) ones only after
# ~100,000 requests; until then a request costs up to half as much CPU again. warm_up <url> <first-id>
warm_up() { for warm in 1 2; do "$work/load/Ghfe.Load" "$1" perf 64 60000 "$(($2 + warm * 100000))" >/dev/null; done; }
# The median of the numbers on stdin (spaces or lines between them).
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One measured run of 64 connections against the ghfe serving on $port, after a warm-up:
# "rps p99 non-2xx ghfe_us pg_us". Call it (and whatever calls serve) in the script's own shell,
# with its output sent to a file, not in $( ) or < <( ): a failure there must end the script, whose
# cleanup then stops the ghfe serve started. measure_64 <first-id>
measure_64() {
  warm_up "http://127.0.0.1:$port/" "$1"
  local ghfe_before pg_before rps p99 failed
  ghfe_before=$(ticks "$ghfe_pid"); pg_before=$(pg_ticks)
  read -r _ _ _ rps _ p99 failed _ < <("$work/load/Ghfe.Load" "http://127.0.0.1:$port/" perf 64 "$requests" "$(($1 + 1000000))")
  echo "$rps $p99 $failed $(per_delivery "$(ticks "$ghfe_pid")" "$ghfe_before") $(per_delivery "$(pg_ticks)" "$pg_before")"
}
