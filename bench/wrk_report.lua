-- Prints one machine-readable line after a wrk run, with exact percentiles from wrk's own
-- latency histogram (in microseconds) instead of the rounded text of --latency.
-- Only done() is defined, so wrk keeps its static request and pays no per-request Lua cost.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%.0f duration_us=%.0f bytes=%.0f connect=%.0f read=%.0f write=%.0f " ..
    "timeout=%.0f non2xx=%.0f p50_us=%.0f p99_us=%.0f\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.timeout, e.status, latency:percentile(50), latency:percentile(99)))
end
