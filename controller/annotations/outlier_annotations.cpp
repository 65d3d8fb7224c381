#include "controller/annotations/outlier_annotations.h"

#include <algorithm>
#include <string>

#include "controller/annotations/duration.h"
#include "controller/annotations/whole_number.h"

namespace portico::controller::annotations {

Annotated<proxy::OutlierDetection> outlier_detection_from(const Annotations& annotations) {
  Annotated<proxy::OutlierDetection> result;
  proxy::OutlierDetection& outlier = result.value;
  apply(parse_whole_number(annotations, kOutlierConsecutiveFailuresAnnotation, 0,
                           kMaxOutlierConsecutiveFailures),
        outlier.consecutive_failures, std::to_string(outlier.consecutive_failures),
        result.problems);
  apply(parse_duration(annotations, kOutlierBaseEjectionAnnotation, kMinOutlierBaseEjection,
                       kMaxOutlierBaseEjection),
        outlier.base_ejection, duration_text(outlier.base_ejection), result.problems);
  outlier.max_ejection = std::max(outlier.max_ejection, outlier.base_ejection);
  apply(parse_whole_number(annotations, kOutlierMaxEjectionPercentAnnotation, 0, 100),
        outlier.max_ejection_percent, std::to_string(outlier.max_ejection_percent),
        result.problems);
  return result;
}

}  // namespace portico::controller::annotations
