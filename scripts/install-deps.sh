#!/usr/bin/env bash
# Installs what Portico needs to build, test and benchmark, from Debian packages only.
# Idempotent: packages already present are not touched, and apt-get is skipped entirely
# when nothing is missing.
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config git
  libboost-dev libboost-system-dev libssl-dev
  libcpprest-dev libyaml-cpp-dev prometheus-cpp-dev libre2-dev
  libgtest-dev libgmock-dev
  curl procps
)
if [[ "${1:-}" == "--with-peers" ]]; then
  # Real components the tests and benchmarks compare against or check with.
  packages+=(haproxy nginx-light wrk prometheus clang-format)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
