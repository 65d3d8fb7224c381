#pragma once
// Kubernetes networking.k8s.io/v1 Ingress matching as one immutable lookup structure.
// Lookup cost does not grow with the number of hosts or rules: hosts are hash lookups,
// Exact paths are one hash lookup, Prefix paths one hash lookup per path element of the
// request, regex paths are only tried for the host they belong to.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace re2 {
class RE2;
}

namespace portico::proxy {

struct RouteTarget;

enum class PathType : uint8_t { kExact, kPrefix, kRegex };

struct PathRule {
  PathType type = PathType::kPrefix;
  std::string path;  // as written in the Ingress (a regex for kRegex)
  std::shared_ptr<const RouteTarget> target;
};

class RouteTable {
 public:
  class Builder;

  // Worker thread; no locks, no allocation. `host` may carry a ":port" suffix and any case;
  // `path` is the request path without query. Precedence: the exact host, then the
  // single-label wildcard host (*.foo.com matches bar.foo.com only), then rules without a
  // host; within one host, an Exact match, else the longest of the Prefix (element-wise) and
  // regex matches (a regex counts by its pattern length). Returns null when nothing matches.
  const RouteTarget* match(std::string_view host, std::string_view path) const;

  std::size_t host_count() const { return hosts_.size() + wildcard_hosts_.size(); }

 private:
  struct RegexRule {
    std::shared_ptr<const re2::RE2> regex;
    std::size_t pattern_length;
    std::shared_ptr<const RouteTarget> target;
  };
  struct PathTable {
    std::unordered_map<std::string, std::shared_ptr<const RouteTarget>> exact;
    // Keys are normalised prefixes: trailing slashes removed, so "/" becomes "".
    std::unordered_map<std::string, std::shared_ptr<const RouteTarget>> prefix;
    std::vector<RegexRule> regex;  // longest pattern first
    const RouteTarget* match(std::string_view path) const;
  };

  std::unordered_map<std::string, PathTable> hosts_;           // lowercase exact hosts
  std::unordered_map<std::string, PathTable> wildcard_hosts_;  // "foo.com" for "*.foo.com"
  PathTable any_host_;
  bool has_any_host_ = false;
};

// Builds a RouteTable. Control-plane only. add() refuses (returns false with a reason) a
// rule whose host/path/type is already taken (the caller adds rules oldest Ingress first, so
// the oldest wins), an invalid host, a path not starting with '/', or a regex RE2 rejects.
class RouteTable::Builder {
 public:
  bool add(std::string_view host, const PathRule& rule, std::string* why);
  RouteTable build() &&;

 private:
  RouteTable table_;
};

}  // namespace portico::proxy
