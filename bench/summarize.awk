# Turns the raw per-run rows written by bench/run.sh into the Markdown table of
# docs/BENCHMARKS.md: medians over the rounds, and ratios to HAProxy taken round by round
# (each round's runs are minutes apart, so pairing them cancels most of the machine's drift)
# and then reduced to their median. Plain POSIX awk: Debian's default awk is mawk.
#
# Variables: scenarios="id|label;id|label;...", targets="id|label;...", reference=haproxy.
# Input columns (tab-separated, '#' lines skipped):
#   round scenario target status requests duration_s rps p50_ms p99_ms cpu_us_per_req
#   socket_errors non2xx

function median(list, n,    i, j, tmp, v) {
  for (i = 1; i <= n; i++) v[i] = list[i]
  for (i = 2; i <= n; i++) {
    tmp = v[i]
    for (j = i - 1; j >= 1 && v[j] > tmp; j--) v[j + 1] = v[j]
    v[j + 1] = tmp
  }
  if (n % 2 == 1) return v[(n + 1) / 2]
  return (v[n / 2] + v[n / 2 + 1]) / 2
}

# Fills ids[1..n] and labels[id] from "id|label;id|label".
function parse_pairs(spec, ids, labels,    parts, n, i, kv) {
  n = split(spec, parts, ";")
  for (i = 1; i <= n; i++) {
    split(parts[i], kv, "|")
    ids[i] = kv[1]
    labels[kv[1]] = kv[2]
  }
  return n
}

# Median of the values stored under key prefix `k` in the flat array `store`, or "" if none.
function median_of(store, count, k,    i, list) {
  if (!(k in count) || count[k] == 0) return ""
  for (i = 1; i <= count[k]; i++) list[i] = store[k, i]
  return median(list, count[k])
}

function push(store, count, k, value) {
  count[k]++
  store[k, count[k]] = value
}

function cell(value, fmt) { return value == "" ? "—" : sprintf(fmt, value) }

BEGIN { FS = "\t" }
/^#/ || NF < 12 { next }
{
  round = $1; sc = $2; tg = $3; key = sc SUBSEP tg
  errors[key] += $11 + $12
  if ($4 != "ok") { failed[key]++; next }
  push(rps, n_rps, key, $7)
  push(p50, n_p50, key, $8)
  push(p99, n_p99, key, $9)
  if ($10 != "-") push(cpu, n_cpu, key, $10)
  round_rps[sc, round, tg] = $7
  round_cpu[sc, round, tg] = $10
  rounds[round] = 1
}
END {
  n_sc = parse_pairs(scenarios, sc_ids, sc_labels)
  n_tg = parse_pairs(targets, tg_ids, tg_labels)
  print "| Scenario | Server | req/s | p50 (ms) | p99 (ms) | proxy CPU (µs/req) | req/s vs HAProxy | CPU/req vs HAProxy | errors |"
  print "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  for (s = 1; s <= n_sc; s++) {
    sc = sc_ids[s]
    for (t = 1; t <= n_tg; t++) {
      tg = tg_ids[t]; key = sc SUBSEP tg
      delete ratio_rps; delete ratio_cpu; nr = 0; nc = 0
      for (r in rounds) {
        if (!((sc, r, tg) in round_rps) || !((sc, r, reference) in round_rps)) continue
        if (round_rps[sc, r, reference] > 0) ratio_rps[++nr] = round_rps[sc, r, tg] / round_rps[sc, r, reference]
        if (round_cpu[sc, r, tg] != "-" && round_cpu[sc, r, reference] > 0)
          ratio_cpu[++nc] = round_cpu[sc, r, tg] / round_cpu[sc, r, reference]
      }
      err = (key in errors) ? errors[key] : 0
      if (key in failed) err = err " (" failed[key] " run(s) failed)"
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", sc_labels[sc], tg_labels[tg],
             cell(median_of(rps, n_rps, key), "%.0f"), cell(median_of(p50, n_p50, key), "%.2f"),
             cell(median_of(p99, n_p99, key), "%.2f"), cell(median_of(cpu, n_cpu, key), "%.1f"),
             cell(nr ? median(ratio_rps, nr) : "", "%.2f×"), cell(nc ? median(ratio_cpu, nc) : "", "%.2f×"),
             err
    }
  }
}
