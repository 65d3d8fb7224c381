#!/usr/bin/env bash
# Balancing benchmark: round robin against least-connections, least-response-time and
# power-of-two-choices when one of three backends is slow. See docs/BENCHMARKS.md.
#
# Three portico_echo backends listen on 127.0.0.2, .3 and .4, same port; the one on
# 127.0.0.2 answers every request 50 ms late (--delay 50). Portico (one worker) serves them
# from a manifests dir as one Service behind the Ingress host bench.local, and wrk drives it
# with 32 keep-alive connections. Each run starts a fresh Portico with the algorithm in the
# Ingress' portico.io/load-balance annotation, so no run inherits in-flight counts, latency
# averages or pooled connections from another algorithm's run. A run is a 2 s warm-up that is
# discarded, then the measured wrk run; Portico's portico_endpoint_requests_total is scraped
# around the measured run to get the slow backend's share. Runs are interleaved (rr, lc, lrt,
# p2c, rr, ...) so drift on a shared machine hits every algorithm alike, and the table holds
# the median of each column over the rounds with the range beside it.
#
# Latency comes in two forms. wrk 4.x "corrects" its histogram for coordinated omission
# before printing it (stats_correct in its stats.c): every sample of at least twice the mean
# interval between a connection's requests gets synthetic samples one interval, two intervals,
# ... below it. With one 50 ms backend and sub-millisecond ones that correction dominates the
# printed percentiles (a 50 ms sample at a 1 ms interval becomes about 49 samples between
# 1 and 49 ms that no request took). The correction is exact arithmetic, so a done() hook
# given to wrk undoes it: the table shows both the per-request percentiles (what each request
# took) and the ones wrk prints (what an open-loop client might have seen).
#
# Usage: bench/balancing.sh [BUILD_DIR]
# BUILD_DIR (default /tmp/bench-build) must hold portico and tests/portico_echo; they are built
# there (RelWithDebInfo) if either is missing.
# Environment: BENCH_ROUNDS (default 3), BENCH_DURATION (seconds per measured run, default 10).
# Needs wrk and curl: scripts/install-deps.sh --with-peers installs wrk.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

case ${1:-} in -h | --help) usage; exit 0 ;; esac
(($# <= 1)) || { usage >&2; exit 2; }

repo=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-/tmp/bench-build}
rounds=${BENCH_ROUNDS:-3}
duration=${BENCH_DURATION:-10}
[[ $rounds =~ ^[1-9][0-9]*$ && $duration =~ ^[1-9][0-9]*$ ]] ||
  { echo "balancing.sh: BENCH_ROUNDS and BENCH_DURATION take positive integers" >&2; exit 2; }

algorithms=(round-robin least-connections least-response-time power-of-two-choices)
slow_ms=50
warmup_seconds=2
wrk_threads=2
wrk_connections=32
host=bench.local
slow_ip=127.0.0.2
fast_ips=(127.0.0.3 127.0.0.4)

for tool in wrk curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "balancing.sh: $tool is not installed; scripts/install-deps.sh --with-peers" \
      "installs it (or: apt-get install $tool)" >&2
    exit 1
  fi
done

portico_bin=$build_dir/portico
echo_bin=$build_dir/tests/portico_echo
if [[ ! -x $portico_bin || ! -x $echo_bin ]]; then
  echo "balancing.sh: building portico and portico_echo into $build_dir" >&2
  cmake -S "$repo" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build_dir" -j2 --target portico portico_echo
fi
echo_usage=$("$echo_bin" 2>&1 || true)
if [[ $echo_usage != *--delay* ]]; then
  echo "balancing.sh: $echo_bin predates --delay; rebuild it:" \
    "cmake --build $build_dir --target portico_echo" >&2
  exit 1
fi

work=$(mktemp -d -t portico-balancing.XXXXXX)
results=$work/results.tsv

# --- process bookkeeping: only what this script started is ever signalled -------------
pids=()
# stop_pids PID...: SIGTERM, up to 5 s of grace, then SIGKILL.
stop_pids() {
  local pid _ alive
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "$@"; do
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
cleanup() { ((${#pids[@]} == 0)) || stop_pids "${pids[@]}"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# start LOG COMMAND...: runs COMMAND in the background, output to LOG; sets $started_pid.
start() {
  local log=$1
  shift
  "$@" >"$log" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
}

# wait_for_log PID LOG PATTERN: waits (at most 10 s) until LOG has a line matching PATTERN.
wait_for_log() {
  local pid=$1 log=$2 pattern=$3 _
  for _ in $(seq 100); do
    grep -q -- "$pattern" "$log" && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "balancing.sh: process $pid exited before logging '$pattern'; its log:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "balancing.sh: no '$pattern' from process $pid within 10 s; its log:" >&2
  cat "$log" >&2
  exit 1
}

# --- backends -----------------------------------------------------------------------
# The slow one picks a free port; the fast ones take the same port on their own address.
start "$work/slow.log" "$echo_bin" --listen "$slow_ip:0" --name slow --delay "$slow_ms"
wait_for_log "$started_pid" "$work/slow.log" '^listening '
backend_port=$(sed -n 's/^listening .*:\([0-9]*\)$/\1/p' "$work/slow.log")
for i in "${!fast_ips[@]}"; do
  start "$work/fast-$i.log" "$echo_bin" --listen "${fast_ips[$i]}:$backend_port" --name "fast-$i"
  wait_for_log "$started_pid" "$work/fast-$i.log" '^listening '
done
slow_endpoint=$slow_ip:$backend_port

# --- Portico ------------------------------------------------------------------------
manifests=$work/manifests
mkdir -p "$manifests"
# write_manifests ALGORITHM: one Service, one EndpointSlice with the three backends, one
# Ingress for bench.local annotated with ALGORITHM.
write_manifests() {
  local ip
  {
    cat <<EOF
apiVersion: v1
kind: Service
metadata: {name: bench, namespace: bench}
spec:
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: bench-1
  namespace: bench
  labels: {kubernetes.io/service-name: bench}
addressType: IPv4
ports: [{name: http, port: $backend_port}]
endpoints:
EOF
    for ip in "$slow_ip" "${fast_ips[@]}"; do
      echo "  - {addresses: [\"$ip\"], conditions: {ready: true}}"
    done
    cat <<EOF
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: bench
  namespace: bench
  annotations: {portico.io/load-balance: $1}
spec:
  ingressClassName: portico
  rules:
    - host: $host
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: bench, port: {name: http}}}
EOF
  } >"$manifests/bench.yaml"
}

# start_portico RUN: a fresh Portico on the current manifests; sets portico_pid, http_port
# and metrics_port once it has published its routes and one request went through.
start_portico() {
  local log=$work/portico-$1.log
  start "$log" "$portico_bin" --manifests "$manifests" --http-port 0 --metrics-port 0 \
    --listen-address 127.0.0.1 --metrics-address 127.0.0.1 --workers 1
  portico_pid=$started_pid
  wait_for_log "$portico_pid" "$log" 'routes published'
  http_port=$(sed -n 's/.* http listening .*port=\([0-9]*\).*/\1/p' "$log")
  metrics_port=$(sed -n 's/.* metrics listening .*port=\([0-9]*\).*/\1/p' "$log")
  local status
  status=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' -H "Host: $host" \
    "http://127.0.0.1:$http_port/" || true)
  if [[ $status != 200 ]]; then
    echo "balancing.sh: Portico answered '$status' through $host, expected 200; its log:" >&2
    cat "$log" >&2
    exit 1
  fi
}

stop_portico() {
  stop_pids "$portico_pid"
  local kept=() pid
  for pid in "${pids[@]}"; do [[ $pid == "$portico_pid" ]] || kept+=("$pid"); done
  pids=("${kept[@]}")
}

# wrk's done() hook. wrk adds, for each sample v >= 2I (I = duration / (requests /
# connections), integer µs), synthetic samples at v - I, v - 2I, ... while above I. So a
# corrected bucket v > I holds raw[v] plus the corrected count at v + I, and raw[v] =
# corrected[v] - corrected[v + I]; buckets at or below I are raw. The raw count must equal the
# requests completed within the timeout, which the script checks.
cat >"$work/latency.lua" <<'EOF'
local connections = tonumber(os.getenv("BALANCING_WRK_CONNECTIONS"))
done = function(summary, latency, requests)
  local corrected, values = {}, {}
  for i = 1, #latency do
    local value, count = latency(i)
    corrected[value] = count
    values[#values + 1] = value
  end
  local per_connection = math.floor(summary.requests / connections)
  local interval = per_connection > 0 and math.floor(summary.duration / per_connection) or 0
  local raw, total = {}, 0
  for i, value in ipairs(values) do
    raw[i] = corrected[value]
    if interval > 0 and value > interval then
      raw[i] = raw[i] - (corrected[value + interval] or 0)
    end
    total = total + raw[i]
  end
  -- The same rank as wrk's stats_percentile.
  local function percentile(p)
    local rank, seen = math.floor(p / 100 * total + 0.5 + 0.5), 0
    for i, value in ipairs(values) do
      seen = seen + raw[i]
      if seen >= rank then return value end
    end
    return 0
  end
  io.write(string.format("LATENCY raw_count=%d expected_count=%d interval_us=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d wrk_p50_us=%d wrk_p90_us=%d wrk_p99_us=%d\n", total,
    summary.requests - summary.errors.timeout, interval, percentile(50), percentile(90),
    percentile(99), latency:percentile(50), latency:percentile(90), latency:percentile(99)))
end
EOF

# endpoint_requests: "SLOW TOTAL" from portico_endpoint_requests_total.
endpoint_requests() {
  curl -fs --max-time 5 "http://127.0.0.1:$metrics_port/metrics" |
    awk -v slow="endpoint=\"$slow_endpoint\"" '
      /^portico_endpoint_requests_total\{/ {
        total += $NF
        if (index($0, slow)) slow_count += $NF
      }
      END { printf "%.0f %.0f\n", slow_count, total }'
}

# run_wrk SECONDS OUT: one wrk run, bounded by timeout.
run_wrk() {
  BALANCING_WRK_CONNECTIONS=$wrk_connections timeout -k 5 $(($1 + 30)) \
    wrk -t"$wrk_threads" -c"$wrk_connections" -d"$1s" --latency -s "$work/latency.lua" \
    -H "Host: $host" "http://127.0.0.1:$http_port/" >"$2" 2>&1
}

# parse_wrk OUT: "RPS P50 P90 P99 WRK_P50 WRK_P90 WRK_P99 REQUESTS ERRORS RAW_OK", latencies
# in ms (per request, then as wrk prints them), ERRORS = socket errors plus non-2xx/3xx
# responses, RAW_OK = 1 when the undone correction leaves one sample per request.
parse_wrk() {
  awk '
    / requests in / { requests = $1 }
    /^ *Socket errors:/ { errors += $4 + $6 + $8 + $10 }
    /^ *Non-2xx or 3xx responses:/ { errors += $NF }
    /^Requests\/sec:/ { rps = $2 }
    /^LATENCY / { for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END {
      if (rps == "" || v["p99_us"] == "") exit 1
      printf "%.1f %.3f %.3f %.3f %.3f %.3f %.3f %d %d %d\n", rps, v["p50_us"] / 1000,
        v["p90_us"] / 1000, v["p99_us"] / 1000, v["wrk_p50_us"] / 1000, v["wrk_p90_us"] / 1000,
        v["wrk_p99_us"] / 1000, requests, errors, (v["raw_count"] == v["expected_count"])
    }' "$1"
}

# --- measurement --------------------------------------------------------------------
columns=(round algorithm rps p50_ms p90_ms p99_ms wrk_p50_ms wrk_p90_ms wrk_p99_ms requests
  errors slow_requests endpoint_requests slow_share_pct)
{
  echo "# portico balancing bench $(date -u +%FT%TZ) rounds=$rounds duration=${duration}s" \
    "slow=$slow_endpoint delay=${slow_ms}ms"
  echo "# nproc=$(nproc) kernel=$(uname -r) $(wrk -v 2>&1 | head -1)"
  echo "# loadavg-start=$(cut -d' ' -f1-3 /proc/loadavg)"
  (IFS=$'\t' && echo "#${columns[*]}")
} >"$results"

failures=()
began=$SECONDS
echo "balancing.sh: $rounds round(s) x ${#algorithms[@]} algorithms, ${duration}s per run;" \
  "raw results in $results" >&2
for ((round = 1; round <= rounds; round++)); do
  for algorithm in "${algorithms[@]}"; do
    run=r$round-$algorithm
    write_manifests "$algorithm"
    start_portico "$run"
    run_wrk "$warmup_seconds" "$work/wrk-$run-warmup.txt" || true
    read -r slow_before total_before < <(endpoint_requests)
    status=ok
    run_wrk "$duration" "$work/wrk-$run.txt" || status=wrk-failed
    read -r slow_after total_after < <(endpoint_requests)
    kill -0 "$portico_pid" 2>/dev/null || status=portico-died
    stop_portico
    if ! measured=$(parse_wrk "$work/wrk-$run.txt"); then
      failures+=("$run: no wrk result (see $work/wrk-$run.txt)")
      continue
    fi
    read -r rps p50 p90 p99 wrk_p50 wrk_p90 wrk_p99 requests errors raw_ok <<<"$measured"
    slow=$((slow_after - slow_before))
    total=$((total_after - total_before))
    share=$(awk -v s="$slow" -v t="$total" 'BEGIN { printf "%.2f", (t > 0 ? 100 * s / t : 0) }')
    if [[ $status != ok ]] || ((errors > 0 || total == 0)); then
      failures+=("$run: $status, $errors errors, $total endpoint requests (see $work/wrk-$run.txt)")
    fi
    ((raw_ok)) || failures+=("$run: undoing wrk's latency correction did not leave one sample" \
      "per request, so its per-request percentiles are wrong (see $work/wrk-$run.txt)")
    row=("$round" "$algorithm" "$rps" "$p50" "$p90" "$p99" "$wrk_p50" "$wrk_p90" "$wrk_p99"
      "$requests" "$errors" "$slow" "$total" "$share")
    (IFS=$'\t' && echo "${row[*]}") >>"$results"
    printf '[round %d] %-20s %6.0f req/s  p50/p90/p99 %5.2f %5.2f %5.2f ms' \
      "$round" "$algorithm" "$rps" "$p50" "$p90" "$p99" >&2
    printf '  (wrk: %5.2f %5.2f %5.2f)  slow %5.2f %%  errors %d\n' \
      "$wrk_p50" "$wrk_p90" "$wrk_p99" "$share" "$errors" >&2
  done
done
echo "# loadavg-end=$(cut -d' ' -f1-3 /proc/loadavg) elapsed=$((SECONDS - began))s" >>"$results"

# Median of each column over the rounds, with the range when there is more than one round.
awk -F'\t' -v order="${algorithms[*]}" '
  /^#/ { next }
  {
    n = ++count[$2]
    for (c = 3; c <= NF; c++) value[$2, c, n] = $c
  }
  function median(alg, c,   n, i, j, t, v) {
    n = count[alg]
    for (i = 1; i <= n; i++) v[i] = value[alg, c, i] + 0
    for (i = 2; i <= n; i++)
      for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    lo = v[1]; hi = v[n]
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
  }
  function cell(alg, c, format,   m) {
    m = median(alg, c)
    if (count[alg] == 1) return sprintf(format, m)
    return sprintf(format " (" format "–" format ")", m, lo, hi)
  }
  END {
    print "| Algorithm | req/s | p50 (ms) | p90 (ms) | p99 (ms) | slow backend share (%) |" \
      " wrk p50 / p90 / p99 (ms) | errors |"
    print "|---|---:|---:|---:|---:|---:|---:|---:|"
    split(order, algs, " ")
    for (a = 1; a in algs; a++) {
      alg = algs[a]
      if (!(alg in count)) continue
      errors = 0
      for (i = 1; i <= count[alg]; i++) errors += value[alg, 11, i]
      printf "| %s | %s | %s | %s | %s | %s | %.2f / %.2f / %.2f | %d |\n", alg,
        cell(alg, 3, "%.0f"), cell(alg, 4, "%.2f"), cell(alg, 5, "%.2f"), cell(alg, 6, "%.2f"),
        cell(alg, 14, "%.2f"), median(alg, 7), median(alg, 8), median(alg, 9), errors
    }
  }' "$results" | tee "$work/table.md"

echo
echo "Raw results: $results (wrk outputs and logs beside it); table: $work/table.md"
echo "Elapsed: $((SECONDS - began)) s"
if ((${#failures[@]})); then
  echo "Problems seen:" >&2
  printf '  %s\n' "${failures[@]}" >&2
  exit 1
fi
