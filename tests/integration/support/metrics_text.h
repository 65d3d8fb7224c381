#pragma once
// Reading Prometheus text exposition in tests: scrape, then look samples up by name and
// labels. Deliberately independent of prometheus-cpp, so the tests check its output.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace portico::testing {

// GET /metrics on the admin port; "" when the scrape fails.
std::string scrape_metrics(uint16_t metrics_port);

// The value of the first sample named exactly `name` whose labels include every entry of
// `labels` (other labels may be present); nullopt when there is none.
std::optional<double> sample_value(const std::string& text, const std::string& name,
                                   const std::map<std::string, std::string>& labels = {});

// Shorthand: scrape, then sample_value; -1 when absent.
double scraped_value(uint16_t metrics_port, const std::string& name,
                     const std::map<std::string, std::string>& labels = {});

}  // namespace portico::testing
