#!/usr/bin/env bash
# Side-by-side benchmark of Portico against HAProxy and nginx, plus a no-proxy baseline.
#
# Everything runs on 127.0.0.1: two identical nginx backends, the three proxies (each with
# its own generated config in a fresh mktemp dir), and wrk. The proxy under test is pinned
# to CPU 0; wrk and the backends share CPU 1. Runs alternate round-robin over the four
# targets, R rounds, so that drift on this shared machine hits every target alike; the
# table reports medians over the rounds. See docs/BENCHMARKS.md.
#
# Usage: bench/run.sh [--quick] [--rounds N] [--duration SECONDS]
# Environment: PORTICO_BIN (default build/portico, built if missing), BENCH_PORT_BASE
# (default 18080: backends on +1 and +2, proxies on +10..+13), BENCH_TARGETS (default
# "baseline haproxy nginx portico"; HAProxy is the reference of the ratios).
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

rounds=3
duration=10
while (($#)); do
  case $1 in
    --quick) rounds=1 duration=3 ;;
    --rounds) rounds=${2:?--rounds needs a value}; shift ;;
    --duration) duration=${2:?--duration needs a value}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
[[ $rounds =~ ^[1-9][0-9]*$ && $duration =~ ^[1-9][0-9]*$ ]] ||
  { echo "run.sh: --rounds and --duration take positive integers" >&2; exit 2; }

read -r -a targets <<<"${BENCH_TARGETS:-baseline haproxy nginx portico}"
for target in "${targets[@]}"; do
  [[ $target =~ ^(baseline|haproxy|nginx|portico)$ ]] ||
    { echo "run.sh: unknown target '$target' in BENCH_TARGETS" >&2; exit 2; }
done
wants() { [[ " ${targets[*]} " == *" $1 "* ]]; }

repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/install-deps.sh" --with-peers

portico_bin=${PORTICO_BIN:-$repo/build/portico}
if wants portico; then
  if [[ -z ${PORTICO_BIN:-} && ! -x $portico_bin ]]; then
    echo "run.sh: building Portico into $repo/build" >&2
    (cd "$repo" && cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
      cmake --build build --target portico -j"$(nproc)")
  fi
  [[ -x $portico_bin ]] || { echo "run.sh: no Portico binary at $portico_bin" >&2; exit 1; }
fi

port_base=${BENCH_PORT_BASE:-18080}
backend_a_port=$((port_base + 1))
backend_b_port=$((port_base + 2))
haproxy_port=$((port_base + 10))
nginx_port=$((port_base + 11))
portico_port=$((port_base + 12))
portico_metrics_port=$((port_base + 13))
for port in $backend_a_port $backend_b_port $haproxy_port $nginx_port $portico_port \
  $portico_metrics_port; do
  if [[ -n $(ss -Hltn "sport = :$port") ]]; then
    echo "run.sh: port $port is already in use (set BENCH_PORT_BASE)" >&2
    exit 1
  fi
done

proxy_cpu=0
load_cpu=1
small_body_bytes=100
large_body_bytes=$((1024 * 1024))

work=$(mktemp -d -t portico-bench.XXXXXX)
# nginx workers drop to an unprivileged user when started as root: let them read the files.
chmod 755 "$work"
results=$work/results.tsv

# --- process bookkeeping: only what this script started is ever signalled -------------
pids=()
cleanup() {
  local pid _
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A pid_of
# start NAME CPU COMMAND...: runs COMMAND pinned to CPU, output to $work/NAME.log.
start() {
  local name=$1 cpu=$2
  shift 2
  taskset -c "$cpu" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  pid_of[$name]=$!
}

# wait_ready NAME URL: waits (at most 10 s) until URL answers 2xx.
wait_ready() {
  local name=$1 url=$2 _
  for _ in $(seq 100); do
    if ! kill -0 "${pid_of[$name]}" 2>/dev/null; then
      echo "run.sh: $name exited during start-up; its log:" >&2
      cat "$work/$name.log" >&2
      exit 1
    fi
    curl -fs -o /dev/null --max-time 1 "$url" && return 0
    sleep 0.1
  done
  echo "run.sh: $name did not answer $url within 10 s; its log:" >&2
  cat "$work/$name.log" >&2
  exit 1
}

# check_serves NAME PORT: both paths must come back 200 with the backend's exact sizes.
check_serves() {
  local name=$1 port=$2 path expected got
  for path in small 1m; do
    expected=$small_body_bytes
    [[ $path == 1m ]] && expected=$large_body_bytes
    got=$(curl -s -o /dev/null --max-time 5 -w '%{http_code} %{size_download}' \
      "http://127.0.0.1:$port/$path" || true)
    if [[ $got != "200 $expected" ]]; then
      echo "run.sh: $name answered /$path with '$got', expected '200 $expected'" >&2
      exit 1
    fi
  done
}

# --- configs ------------------------------------------------------------------------
nginx_temp_paths() {
  # Keep nginx's temp dirs inside the run's own dir; only the ones compiled in are valid.
  local dir=$1 kind
  for kind in client_body proxy fastcgi uwsgi scgi; do
    if nginx -V 2>&1 | grep -q -- "--http-${kind/_/-}-temp-path"; then
      echo "  ${kind}_temp_path $dir/tmp-$kind;"
    fi
  done
}

write_backend_conf() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
$(nginx_temp_paths "$dir")
  server {
    listen 127.0.0.1:$port backlog=4096;
    default_type application/octet-stream;
    location = /small { default_type text/plain; return 200 "$(printf 'x%.0s' $(seq $small_body_bytes))"; }
    location = /1m { root $work/www; }
  }
}
EOF
}

write_nginx_proxy_conf() {
  local dir=$1
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 100000;
  keepalive_timeout 120s;
$(nginx_temp_paths "$dir")
  upstream backends {
    server 127.0.0.1:$backend_a_port;
    server 127.0.0.1:$backend_b_port;
    keepalive 128;
    keepalive_requests 100000;
    keepalive_timeout 120s;
  }
  server {
    listen 127.0.0.1:$nginx_port backlog=4096;
    location / {
      proxy_pass http://backends;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # Stream large bodies through memory buffers rather than spooling them to disk.
      proxy_max_temp_file_size 0;
    }
  }
}
EOF
}

write_haproxy_conf() {
  local dir=$1
  mkdir -p "$dir"
  cat >"$dir/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 8192
defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  timeout http-request 10s
  timeout http-keep-alive 120s
frontend bench
  bind 127.0.0.1:$haproxy_port
  default_backend backends
backend backends
  balance roundrobin
  server a 127.0.0.1:$backend_a_port
  server b 127.0.0.1:$backend_b_port
EOF
}

write_portico_manifests() {
  local dir=$1
  mkdir -p "$dir"
  {
    cat <<EOF
apiVersion: v1
kind: Service
metadata: {name: bench, namespace: bench}
spec:
  ports: [{name: http, port: 80, targetPort: http}]
EOF
    local slice port
    for slice in a:$backend_a_port b:$backend_b_port; do
      port=${slice#*:}
      cat <<EOF
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: bench-${slice%%:*}
  namespace: bench
  labels: {kubernetes.io/service-name: bench}
addressType: IPv4
ports: [{name: http, port: $port}]
endpoints: [{addresses: ["127.0.0.1"], conditions: {ready: true}}]
EOF
    done
    cat <<EOF
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: bench, namespace: bench}
spec:
  ingressClassName: portico
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: bench, port: {number: 80}}}
EOF
  } >"$dir/bench.yaml"
}

# --- start everything ---------------------------------------------------------------
mkdir -p "$work/www"
head -c "$large_body_bytes" /dev/urandom >"$work/www/1m"
chmod -R a+rX "$work/www"

write_backend_conf "$work/backend-a" "$backend_a_port"
write_backend_conf "$work/backend-b" "$backend_b_port"
start backend-a $load_cpu nginx -p "$work/backend-a" -e "$work/backend-a/error.log" \
  -c "$work/backend-a/nginx.conf"
start backend-b $load_cpu nginx -p "$work/backend-b" -e "$work/backend-b/error.log" \
  -c "$work/backend-b/nginx.conf"
wait_ready backend-a "http://127.0.0.1:$backend_a_port/small"
wait_ready backend-b "http://127.0.0.1:$backend_b_port/small"

if wants haproxy; then
  write_haproxy_conf "$work/haproxy"
  start haproxy $proxy_cpu haproxy -db -f "$work/haproxy/haproxy.cfg"
fi
if wants nginx; then
  write_nginx_proxy_conf "$work/nginx"
  start nginx $proxy_cpu nginx -p "$work/nginx" -e "$work/nginx/error.log" \
    -c "$work/nginx/nginx.conf"
fi
if wants portico; then
  write_portico_manifests "$work/portico"
  start portico $proxy_cpu "$portico_bin" --manifests "$work/portico" \
    --http-port "$portico_port" --metrics-port "$portico_metrics_port" \
    --listen-address 127.0.0.1 --metrics-address 127.0.0.1 --workers 1 --log-level warn
fi
if wants haproxy; then wait_ready haproxy "http://127.0.0.1:$haproxy_port/small"; fi
if wants nginx; then wait_ready nginx "http://127.0.0.1:$nginx_port/small"; fi
if wants portico; then wait_ready portico "http://127.0.0.1:$portico_metrics_port/readyz"; fi

declare -A port_of=([baseline]=$backend_a_port [haproxy]=$haproxy_port [nginx]=$nginx_port
  [portico]=$portico_port)
for target in "${targets[@]}"; do check_serves "$target" "${port_of[$target]}"; done

# --- measurement --------------------------------------------------------------------
# scenario id -> "path connections extra-header"
scenarios=(ka-small close-small ka-1m)
declare -A scenario_path=([ka-small]=small [close-small]=small [ka-1m]=1m)
declare -A scenario_conns=([ka-small]=50 [close-small]=50 [ka-1m]=10)
declare -A scenario_label=([ka-small]="keep-alive, 100 B, 50 conns"
  [close-small]="Connection: close, 100 B, 50 conns" [ka-1m]="keep-alive, 1 MiB, 10 conns")
declare -A target_label=([baseline]="no proxy (baseline)" [haproxy]="HAProxy" [nginx]="nginx"
  [portico]="Portico")

clk_tck=$(getconf CLK_TCK)

# proxy_cpu_ticks TARGET: utime+stime of the target's processes (nginx: master + workers).
proxy_cpu_ticks() {
  local root=${pid_of[$1]} pid stat fields total=0
  for pid in $root $(pgrep -P "$root" || true); do
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    read -r -a fields <<<"${stat##*) }" # fields[0] is stat field 3 (state)
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}

is_alive() { [[ $1 == baseline ]] || kill -0 "${pid_of[$1]}" 2>/dev/null; }

# wrk_cmd SCENARIO TARGET SECONDS: the wrk command line for one run.
wrk_cmd() {
  local sc=$1 target=$2 seconds=$3
  local cmd=(timeout -k 5 $((seconds + 30)) taskset -c "$load_cpu" wrk -t1
    -c"${scenario_conns[$sc]}" -d"${seconds}s" --latency -s "$repo/bench/wrk_report.lua")
  [[ $sc == close-small ]] && cmd+=(-H "Connection: close")
  cmd+=("http://127.0.0.1:${port_of[$target]}/${scenario_path[$sc]}")
  printf '%q ' "${cmd[@]}"
}

{
  echo "# portico bench $(date -u +%FT%TZ) rounds=$rounds duration=${duration}s"
  echo "# nproc=$(nproc) cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
    "kernel=$(uname -r)"
  echo "# $(haproxy -v | head -1); $(nginx -v 2>&1); $(wrk -v 2>&1 | head -1)"
  echo "# portico=$portico_bin loadavg-start=$(cut -d' ' -f1-3 /proc/loadavg)"
  printf '#%s\n' "round	scenario	target	status	requests	duration_s	rps	p50_ms	p99_ms	cpu_us_per_req	socket_errors	non2xx"
} >"$results"

failures=()
# measure ROUND SCENARIO TARGET: warm-up, then one measured run; appends a row to $results.
measure() {
  local round=$1 sc=$2 target=$3 out=$work/wrk-r$1-$2-$3.txt
  if ! is_alive "$target"; then
    printf '%s\t%s\t%s\tdead\t0\t0\t0\t0\t0\t-\t0\t0\n' "$round" "$sc" "$target" >>"$results"
    echo "[round $round] $sc $target: not running, skipped" >&2
    return
  fi
  eval "$(wrk_cmd "$sc" "$target" 1)" >/dev/null 2>&1 || true
  local before after status=ok
  [[ $target != baseline ]] && before=$(proxy_cpu_ticks "$target")
  eval "$(wrk_cmd "$sc" "$target" "$duration")" >"$out" 2>&1 || status=wrk-failed
  [[ $target != baseline ]] && after=$(proxy_cpu_ticks "$target")
  is_alive "$target" || status=died
  local line
  line=$(grep '^BENCH ' "$out" || true)
  if [[ -z $line ]]; then
    [[ $status == ok ]] && status=wrk-failed
    printf '%s\t%s\t%s\t%s\t0\t0\t0\t0\t0\t-\t0\t0\n' "$round" "$sc" "$target" "$status" >>"$results"
    failures+=("round $round $sc $target: $status (see $out)")
    echo "[round $round] $sc $target: $status" >&2
    return
  fi
  local -A v
  local kv
  for kv in ${line#BENCH }; do v[${kv%%=*}]=${kv#*=}; done
  local cpu="-"
  if [[ $target != baseline && ${v[requests]} -gt 0 ]]; then
    cpu=$(awk -v t=$((after - before)) -v hz="$clk_tck" -v n="${v[requests]}" \
      'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
  fi
  local socket_errors=$((v[connect] + v[read] + v[write] + v[timeout]))
  if ((socket_errors + v[non2xx] > 0)) || [[ $status != ok ]]; then
    failures+=("round $round $sc $target: $status, socket errors $socket_errors, non-2xx ${v[non2xx]} (see $out)")
  fi
  awk -v r="$round" -v sc="$sc" -v tg="$target" -v st="$status" -v n="${v[requests]}" \
    -v us="${v[duration_us]}" -v p50="${v[p50_us]}" -v p99="${v[p99_us]}" -v cpu="$cpu" \
    -v se="$socket_errors" -v bad="${v[non2xx]}" 'BEGIN {
      printf "%s\t%s\t%s\t%s\t%d\t%.3f\t%.1f\t%.3f\t%.3f\t%s\t%d\t%d\n",
        r, sc, tg, st, n, us / 1e6, n / (us / 1e6), p50 / 1000, p99 / 1000, cpu, se, bad }' \
    >>"$results"
  tail -1 "$results" | awk -F'\t' '{ printf "[round %s] %-11s %-8s %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  cpu %s us/req  errors %d  %s\n",
    $1, $2, $3, $7, $8, $9, $10, $11 + $12, $4 }' >&2
}

started=$SECONDS
echo "run.sh: $rounds round(s) x ${#scenarios[@]} scenarios x ${#targets[@]} targets," \
  "${duration}s per run; raw results in $results" >&2
for ((round = 1; round <= rounds; round++)); do
  for sc in "${scenarios[@]}"; do
    # Rotate the order each round so no target always runs first (or right after another).
    for ((i = 0; i < ${#targets[@]}; i++)); do
      measure "$round" "$sc" "${targets[(i + round - 1) % ${#targets[@]}]}"
    done
  done
done
echo "# loadavg-end=$(cut -d' ' -f1-3 /proc/loadavg) elapsed=$((SECONDS - started))s" >>"$results"

scenario_spec="" target_spec=""
for sc in "${scenarios[@]}"; do scenario_spec+="$sc|${scenario_label[$sc]};"; done
for target in "${targets[@]}"; do target_spec+="$target|${target_label[$target]};"; done
awk -v scenarios="${scenario_spec%;}" -v targets="${target_spec%;}" -v reference=haproxy \
  -f "$repo/bench/summarize.awk" "$results" | tee "$work/table.md"

echo
echo "Raw results: $results (wrk outputs and server logs beside it); table: $work/table.md"
echo "Elapsed: $((SECONDS - started)) s of measurement"
if ((${#failures[@]})); then
  echo "Problems seen:" >&2
  printf '  %s\n' "${failures[@]}" >&2
  for target in "${targets[@]}"; do
    if ! is_alive "$target"; then
      echo "$target is no longer running; the end of its log:" >&2
      tail -20 "$work/$target.log" >&2
    fi
  done
  exit 1
fi
