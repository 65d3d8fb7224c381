#include "tests/fakes/fake_api_server/api_path.h"

#include <algorithm>
#include <array>
#include <vector>

namespace portico::testing {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    const std::string_view segment = path.substr(0, slash);
    if (!segment.empty()) segments.push_back(segment);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

constexpr std::array kKnownResources = {
    KnownResource{"/api/v1/configmaps", "ConfigMap", true},
    KnownResource{"/api/v1/endpoints", "Endpoints", true},
    KnownResource{"/api/v1/events", "Event", true},
    KnownResource{"/api/v1/namespaces", "Namespace", false},
    KnownResource{"/api/v1/pods", "Pod", true},
    KnownResource{"/api/v1/secrets", "Secret", true},
    KnownResource{"/api/v1/services", "Service", true},
    KnownResource{"/apis/apps/v1/deployments", "Deployment", true},
    KnownResource{"/apis/autoscaling.portico.io/v1alpha1/scalingpolicies", "ScalingPolicy", true},
    KnownResource{"/apis/autoscaling/v2/horizontalpodautoscalers", "HorizontalPodAutoscaler", true},
    KnownResource{"/apis/coordination.k8s.io/v1/leases", "Lease", true},
    KnownResource{"/apis/discovery.k8s.io/v1/endpointslices", "EndpointSlice", true},
    KnownResource{"/apis/metrics.k8s.io/v1beta1/pods", "PodMetrics", true},
    KnownResource{"/apis/networking.k8s.io/v1/ingressclasses", "IngressClass", false},
    KnownResource{"/apis/networking.k8s.io/v1/ingresses", "Ingress", true},
};

}  // namespace

RequestTarget split_target(std::string_view target) {
  RequestTarget result;
  const std::size_t question = target.find('?');
  result.path = percent_decode(target.substr(0, question));
  if (question == std::string_view::npos) return result;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const std::size_t equals = pair.find('=');
    if (!pair.empty()) {
      result.query[percent_decode(pair.substr(0, equals))] =
          equals == std::string_view::npos ? std::string()
                                           : percent_decode(pair.substr(equals + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return result;
}

std::optional<ApiPath> parse_api_path(std::string_view path) {
  const std::vector<std::string_view> segments = split_segments(path);
  std::size_t prefix = 0;
  if (segments.size() >= 2 && segments[0] == "api") prefix = 2;
  if (segments.size() >= 3 && segments[0] == "apis") prefix = 3;
  if (prefix == 0) return std::nullopt;

  ApiPath result;
  for (std::size_t i = 0; i < prefix; ++i) (result.group_version += '/') += segments[i];
  const std::span rest(segments.begin() + static_cast<std::ptrdiff_t>(prefix), segments.end());
  if (rest.empty()) return result;

  // "namespaces/NS/RESOURCE..." names a namespaced resource, except "namespaces/NAME/status"
  // (and "namespaces" or "namespaces/NAME"), which is the Namespace object itself.
  std::size_t at = 0;
  if (rest[0] == "namespaces" && rest.size() >= 3 && !(rest.size() == 3 && rest[2] == "status")) {
    result.namespace_ = rest[1];
    at = 2;
  }
  const std::size_t remaining = rest.size() - at;
  if (remaining > 3) return std::nullopt;
  result.resource = result.group_version + '/' + std::string(rest[at]);
  if (remaining >= 2) result.name = rest[at + 1];
  if (remaining == 3) result.subresource = rest[at + 2];
  return result;
}

std::string group_version_of(std::string_view resource) {
  return std::string(resource.substr(0, resource.rfind('/')));
}

std::string api_version_of(std::string_view group_version_or_resource) {
  const std::vector<std::string_view> segments = split_segments(group_version_or_resource);
  if (segments.size() >= 2 && segments[0] == "api") return std::string(segments[1]);
  if (segments.size() >= 3) return std::string(segments[1]) + '/' + std::string(segments[2]);
  return {};
}

std::string group_of(std::string_view resource) {
  const std::vector<std::string_view> segments = split_segments(resource);
  if (segments.size() >= 3 && segments[0] == "apis") return std::string(segments[1]);
  return {};
}

std::string plural_of(std::string_view resource) {
  return std::string(resource.substr(resource.rfind('/') + 1));
}

std::span<const KnownResource> known_resources() {
  return kKnownResources;
}

const KnownResource* find_known_resource(std::string_view resource) {
  const auto it =
      std::find_if(kKnownResources.begin(), kKnownResources.end(),
                   [&](const KnownResource& known) { return known.resource == resource; });
  return it == kKnownResources.end() ? nullptr : &*it;
}

}  // namespace portico::testing
