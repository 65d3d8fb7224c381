#!/usr/bin/env bash
# Installs what is missing, builds everything with warnings as errors, checks formatting and
# the Helm chart, and runs every test (unit and integration, including the promtool metrics
# check).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --with-peers

find cmd common controller proxy tests bench \( -name '*.cpp' -o -name '*.h' \) -print0 |
  xargs -0 clang-format --dry-run --Werror
bash charts/check-chart.sh

build_dir=${PORTICO_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPORTICO_WERROR=ON >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
cd "$build_dir"
ctest --output-on-failure --timeout 300 -j2
