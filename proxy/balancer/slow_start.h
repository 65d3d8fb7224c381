#pragma once
// Slow start: a new endpoint's weight ramps linearly from 10 % to 100 % of its configured
// weight over the policy's window, so that least-connections does not flood a pod that
// just became ready (it has no requests in flight, so it would win every comparison) and
// weighted round robin hands it a growing share instead of a full one at once.
//
// Weights that algorithms compare are fixed point: kWeightScale units per unit of
// Endpoint::weight, so that 10 % of weight 1 is 100 units rather than 0 and every ramping
// endpoint keeps a non-zero share.
#include <chrono>
#include <cstdint>

namespace portico::proxy {

inline constexpr int64_t kWeightScale = 1000;
// Configured weights are clamped here. It keeps the products least-connections compares
// ((active + 1) * weight, active clamped to kMaxActive) far inside int64_t.
inline constexpr uint32_t kMaxWeight = 1'000'000;
inline constexpr int64_t kMaxActive = int64_t{1} << 32;

// `base_weight` in kWeightScale units, scaled by the ramp: 10 % at `created_ns`, 100 % from
// `created_ns + window` on (always 100 % when `window` is zero or negative). A base weight
// of 0 counts as 1: taking an endpoint out of rotation is readiness's job, not a weight's,
// and a zero here would silently starve it. Any thread; pure.
int64_t slow_start_weight(uint32_t base_weight, int64_t created_ns, int64_t now_ns,
                          std::chrono::nanoseconds window);

}  // namespace portico::proxy
