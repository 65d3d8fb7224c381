#pragma once
// Kubernetes networking.k8s.io/v1 Ingress matching as one immutable lookup structure.
// Lookup cost does not grow with the number of hosts or rules: hosts are hash lookups,
// Exact paths are one hash lookup, Prefix paths one hash lookup per path element of the
// request, regex paths are only tried for the host they belong to.
#include <cstdint>
#include <functional>
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
  // Null means the Service is missing: the rule still matches, and match() returns a target
  // whose backend is null so that the proxy answers 503 rather than falling through to 404.
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
  // Hosts fall through: when the exact host exists but none of its paths match, the wildcard
  // host is tried, then the rules without a host, so that a catch-all Ingress still serves
  // paths a host-specific Ingress does not claim. A trailing dot and an IPv6 literal
  // ("[::1]:8080") in `host` are understood; a host longer than a DNS name only reaches the
  // rules without a host. Regex rules run RE2, which takes its own internal reader lock.
  const RouteTarget* match(std::string_view host, std::string_view path) const;

  std::size_t host_count() const { return hosts_.size() + wildcard_hosts_.size(); }

 private:
  // Transparent, so that find() takes the request's string_view without building a string.
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  template <typename Value>
  using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

  struct PrefixRule {
    std::size_t path_length;  // as written, which is how it competes with regex patterns
    std::shared_ptr<const RouteTarget> target;
  };
  struct RegexRule {
    std::shared_ptr<const re2::RE2> regex;
    std::size_t pattern_length;
    std::shared_ptr<const RouteTarget> target;
  };
  struct PathTable {
    StringMap<std::shared_ptr<const RouteTarget>> exact;
    // Keys are normalised prefixes: trailing slashes removed, so "/" becomes "".
    StringMap<PrefixRule> prefix;
    std::vector<RegexRule> regex;  // longest pattern first
    const RouteTarget* match(std::string_view path) const;
  };

  StringMap<PathTable> hosts_;           // lowercase exact hosts
  StringMap<PathTable> wildcard_hosts_;  // "foo.com" for "*.foo.com"
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
