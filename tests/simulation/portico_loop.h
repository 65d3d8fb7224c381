#pragma once
// The controller under test: Portico's autoscaler with a ScalingPolicy on CPU (70 % of the
// request, as the HPA reference) and on queue depth at the proxy (7 per replica: the same
// 70 % of a pod's 10 request slots), minReplicas 0 with scaleToZero after 300 s, the HPA's
// behavior defaults, a 5 s tick and queue-depth events. Pure.
#include "tests/simulation/autoscaler_loop.h"

namespace portico::simulation {

inline constexpr double kQueueDepthTargetPerReplica = 7;
inline constexpr Millis kScaleToZeroAfter = 300 * kSecond;

LoopOptions portico_loop_options();

}  // namespace portico::simulation
