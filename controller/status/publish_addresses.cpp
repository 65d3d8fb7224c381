#include "controller/status/publish_addresses.h"

#include <arpa/inet.h>

#include <algorithm>

namespace portico::controller::status {
namespace {

bool is_ip_address(const std::string& text) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_dns1123_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (!is_lower_alnum(label.front()) || !is_lower_alnum(label.back())) return false;
  return std::all_of(label.begin(), label.end(),
                     [](char c) { return is_lower_alnum(c) || c == '-'; });
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

bool is_dns1123_subdomain(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    if (!is_dns1123_label(name.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

LoadBalancerStatus normalized(LoadBalancerStatus status) {
  std::sort(status.begin(), status.end());
  status.erase(std::unique(status.begin(), status.end()), status.end());
  return status;
}

LoadBalancerStatus service_addresses(const Service& service) {
  if (!service.load_balancer.empty()) return normalized(service.load_balancer);
  LoadBalancerStatus status;
  for (const std::string& ip : service.external_ips) status.push_back({.ip = ip, .hostname = {}});
  if (status.empty() && !service.cluster_ip.empty() && service.cluster_ip != "None") {
    status.push_back({.ip = service.cluster_ip, .hostname = {}});
  }
  return normalized(std::move(status));
}

Result<LoadBalancerStatus> parse_publish_addresses(std::string_view list) {
  LoadBalancerStatus status;
  if (trimmed(list).empty()) return status;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    const std::string item(trimmed(list.substr(start, comma - start)));
    if (is_ip_address(item)) {
      status.push_back({.ip = item, .hostname = {}});
    } else if (is_dns1123_subdomain(item)) {
      status.push_back({.ip = {}, .hostname = item});
    } else {
      return Error{"--publish-address: \"" + item +
                   "\" is neither an IP address nor a lowercase DNS name (RFC 1123)"};
    }
    start = comma + 1;
  }
  return normalized(std::move(status));
}

std::optional<LoadBalancerStatus> publish_target(const PublishSource& source,
                                                 const StoreContents& contents) {
  if (const auto* fixed = std::get_if<LoadBalancerStatus>(&source)) return normalized(*fixed);
  const auto& key = std::get<PublishServiceKey>(source).key;
  auto it = contents.services.find(key);
  if (it == contents.services.end()) return std::nullopt;
  return service_addresses(*it->second);
}

}  // namespace portico::controller::status
