#pragma once
// portico.io/weight on a Pod: the share of new requests its endpoints get under the weighted
// algorithms (weighted-round-robin, weighted-least-connections, consistent-hash and ip-hash,
// and resource-based until metrics arrive), relative to the other endpoints of the same
// Service port. A whole number from 0 to 1000; absent means 1. 0 drains the pod, as HAProxy's
// weight 0 does, under every algorithm: it gets no new requests, and requests already under way
// finish. Anything else is invalid. Pure; any thread.
#include <cstdint>

#include "controller/annotations/annotation_parser.h"

namespace portico::controller::annotations {

inline constexpr char kEndpointWeightAnnotation[] = "portico.io/weight";
inline constexpr uint32_t kDefaultEndpointWeight = 1;
inline constexpr uint32_t kMaxEndpointWeight = 1000;

Parsed<uint32_t> parse_endpoint_weight(const Annotations& annotations);

}  // namespace portico::controller::annotations
