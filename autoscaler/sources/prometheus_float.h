#pragma once
// A number as Prometheus writes one, in the text exposition and in the HTTP API's sample
// values: decimal or exponent notation, NaN and infinities with an optional sign, any case
// ("NaN", "+Inf", prometheus-cpp's "Nan"), as Go's strconv.ParseFloat reads them. Pure; any
// thread.
#include <optional>
#include <string_view>

namespace portico::autoscaler {

// nullopt unless all of `text` is one number.
std::optional<double> parse_prometheus_float(std::string_view text);

}  // namespace portico::autoscaler
