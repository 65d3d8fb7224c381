#pragma once
// The controller under test: Portico's autoscaler with a ScalingPolicy on CPU (70 % of the
// request, as the HPA reference) and on queue depth at the proxy (7 per replica: the same
// 70 % of a pod's 10 request slots), minReplicas 0 with scaleToZero after 300 s, a 5 s tick
// and queue-depth events. Behavior: the HPA's defaults except scale-up, which allows the larger
// of +900 % and +4 pods per 15 s (the HPA's is +100 % or +4 pods), as a user would set it for
// a queue-depth metric that can be trusted to ask for a tenfold step at once. Pure.
#include "tests/simulation/autoscaler_loop.h"

namespace portico::simulation {

inline constexpr double kQueueDepthTargetPerReplica = 7;
inline constexpr Millis kScaleToZeroAfter = 300 * kSecond;

LoopOptions portico_loop_options();
// The same, with Portico's replicas exporting no arrivals counter: the signal works from the
// in-flight totals alone.
LoopOptions portico_in_flight_only_options();

}  // namespace portico::simulation
