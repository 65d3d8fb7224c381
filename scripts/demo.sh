#!/usr/bin/env bash
# Installs what is missing, builds Portico, starts two demo backends on 127.0.0.2 and
# 127.0.0.3 and Portico in standalone mode on examples/demo/, and prints what to try.
# Ctrl-C stops everything this script started (and nothing else).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
build_dir=${PORTICO_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target portico portico_echo

http_port=${PORTICO_HTTP_PORT:-8080}
metrics_port=${PORTICO_METRICS_PORT:-9090}
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

"$build_dir/tests/portico_echo" --listen 127.0.0.2:9001 --name web-a >/dev/null &
pids+=($!)
"$build_dir/tests/portico_echo" --listen 127.0.0.3:9001 --name web-b >/dev/null &
pids+=($!)
"$build_dir/tests/portico_echo" --listen 127.0.0.3:9002 --name api >/dev/null &
pids+=($!)
"$build_dir/portico" --manifests examples/demo --http-port "$http_port" \
  --metrics-port "$metrics_port" --access-log &
pids+=($!)

for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$metrics_port/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

cat <<EOT

Portico is serving examples/demo/ on port $http_port. Try:

  curl -s http://127.0.0.1:$http_port/     # round robin over web-a and web-b; shows forwarded headers
  curl -s -H 'Host: demo.local' http://127.0.0.1:$http_port/api/users   # the api Service
  curl -s http://127.0.0.1:$metrics_port/metrics | grep portico_requests_total

Edit a file in examples/demo/ and the change is applied live. Ctrl-C stops the demo.

EOT
wait "${pids[-1]}"
