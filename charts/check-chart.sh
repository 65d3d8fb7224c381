#!/usr/bin/env bash
# Static checks for charts/portico that need neither helm nor a cluster (CI has neither):
#   1. every .Values path a template reads is declared in values.yaml;
#   2. every template a file includes is defined in _helpers.tpl;
#   3. every if/range/with/define block in a file is closed;
#   4. manifests/portico.yaml passes the Deployment the same flags the chart renders with
#      default values, so the plain manifests do not drift from the chart;
#   5. the chart's CRDs are the ones in manifests/crds/.
# Usage: charts/check-chart.sh   (exits non-zero and names each problem)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
chart="$root/charts/portico"
manifest="$root/manifests/portico.yaml"
failures=0
fail() {
  echo "check-chart: $*" >&2
  failures=$((failures + 1))
}

# values.yaml as "dotted.path<TAB>scalar" lines (maps have an empty scalar). Keys are nested
# by two-space indentation; list items and comments are skipped.
declared_values() {
  awk '
    /^[[:space:]]*(#|$)/ || /^[[:space:]]*-/ { next }
    /^ *[A-Za-z0-9_]+:/ {
      match($0, /^ */)
      depth = RLENGTH / 2
      line = substr($0, RLENGTH + 1)
      key = substr(line, 1, index(line, ":") - 1)
      value = substr(line, index(line, ":") + 1)
      sub(/^[[:space:]]+/, "", value)
      sub(/[[:space:]]+#.*$/, "", value)
      gsub(/^"|"$/, "", value)
      path[depth] = key
      full = path[0]
      for (i = 1; i <= depth; i++) full = full "." path[i]
      print full "\t" value
    }
  ' "$chart/values.yaml"
}
values=$(declared_values)

# 1. .Values paths.
while read -r file ref; do
  path=${ref#.Values.}
  grep -q "^${path//./\\.}	" <<<"$values" || fail "${file#"$root"/}: $ref is not in values.yaml"
done < <(grep -o '\.Values\(\.[A-Za-z0-9_]\+\)\+' "$chart"/templates/* |
  sed 's/:/ /' | sort -u)

# 2. include targets.
defined=$(grep -ho 'define "[^"]*"' "$chart"/templates/* | sort -u)
while read -r file name; do
  grep -qx "define $name" <<<"$defined" || fail "${file#"$root"/}: include $name is not defined"
done < <(grep -o 'include "[^"]*"' "$chart"/templates/* | sed 's/:include / /' | sort -u)

# 3. Block balance.
for file in "$chart"/templates/*; do
  opened=$( (grep -oE '\{\{-?[[:space:]]*(if|range|with|define)[[:space:]]' "$file" || true) | wc -l)
  closed=$( (grep -oE '\{\{-?[[:space:]]*end[[:space:]]*-?\}\}' "$file" || true) | wc -l)
  ((opened == closed)) || fail "${file#"$root"/}: $opened blocks opened, $closed closed"
done

# 4. Deployment flags with default values, e.g. "- --workers={{ .Values.controller.workers }}".
while read -r flag ref; do
  value=$(grep "^${ref//./\\.}	" <<<"$values" | cut -f2)
  grep -qxF -- "            - $flag=$value" "$manifest" ||
    fail "manifests/portico.yaml: no '$flag=$value' (the chart's default)"
done < <(sed -n 's/^ *- \(--[a-z-]*\)={{ \(\.Values\.[A-Za-z0-9_.]*\) }}$/\1 \2/p' \
  "$chart/templates/deployment.yaml" | sed 's/ \.Values\./ /')

# 5. The chart installs the same ScalingPolicy CRD as manifests/crds/ (Helm reads crds/ from the
#    chart folder, so the file is a copy: it must not drift).
for crd in "$root"/manifests/crds/*.yaml; do
  cmp -s "$crd" "$chart/crds/$(basename "$crd")" ||
    fail "charts/portico/crds/$(basename "$crd") differs from manifests/crds/ (copy it over)"
done

if ((failures > 0)); then
  echo "check-chart: $failures problem(s)" >&2
  exit 1
fi
echo "check-chart: ok"
