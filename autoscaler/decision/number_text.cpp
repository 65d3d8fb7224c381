#include "autoscaler/decision/number_text.h"

#include <cmath>
#include <cstdio>

namespace portico::autoscaler {

std::string number_text(double value) {
  char buffer[64];
  if (std::isfinite(value) && std::fabs(value) < 1e15 &&
      std::fabs(value - std::round(value)) < 1e-9) {
    std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(std::llround(value)));
    return buffer;
  }
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  std::string text = buffer;
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

}  // namespace portico::autoscaler
