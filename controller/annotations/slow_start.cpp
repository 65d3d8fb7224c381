#include "controller/annotations/slow_start.h"

#include "controller/annotations/duration.h"

namespace portico::controller::annotations {

Parsed<std::chrono::milliseconds> parse_slow_start(const Annotations& annotations) {
  return parse_duration(annotations, kSlowStartAnnotation, std::chrono::milliseconds(0),
                        kMaxSlowStart);
}

}  // namespace portico::controller::annotations
