#include "proxy/router/route_table.h"

#include <algorithm>
#include <array>

#include <re2/re2.h>

#include "proxy/snapshot/route_snapshot.h"

namespace portico::proxy {
namespace {

// RFC 1123 limits, which the Kubernetes API enforces on Ingress hosts. A request host longer
// than kMaxHostLength therefore cannot name any host in the table.
constexpr std::size_t kMaxHostLength = 253;
constexpr std::size_t kMaxLabelLength = 63;

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool fail(std::string* why, std::string reason) {
  if (why != nullptr) *why = std::move(reason);
  return false;
}

const char* type_name(PathType type) {
  switch (type) {
    case PathType::kExact:
      return "Exact";
    case PathType::kPrefix:
      return "Prefix";
    case PathType::kRegex:
      return "regex";
  }
  return "unknown";
}

// The host part of a Host header value: without ":port" and without a trailing dot. An IPv6
// literal ("[::1]:8080") is cut to "[", which is harmless: Ingress hosts are DNS names, so
// an address literal can only ever reach the rules without a host.
std::string_view request_host_name(std::string_view host) {
  host = host.substr(0, host.find(':'));
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return host;
}

// Validates a non-empty Ingress host and splits off a leading "*." wildcard label.
bool parse_rule_host(std::string_view host, std::string* name, bool* wildcard, std::string* why) {
  const std::string quoted = "host \"" + std::string(host) + "\"";
  *wildcard = host.starts_with("*.");
  if (*wildcard) host.remove_prefix(2);
  if (host.size() > kMaxHostLength) return fail(why, quoted + " is longer than 253 characters");
  name->resize(host.size());
  std::transform(host.begin(), host.end(), name->begin(), ascii_lower);
  std::string_view rest = *name;
  while (true) {
    const std::string_view label = rest.substr(0, rest.find('.'));
    if (label.empty()) return fail(why, quoted + " has an empty label");
    if (label.size() > kMaxLabelLength) {
      return fail(why, quoted + " has a label longer than 63 characters");
    }
    for (char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return fail(why, quoted + " contains '" + std::string(1, c) +
                             "' (only a leading \"*.\", letters, digits, '-' and '.' are allowed)");
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return fail(why, quoted + " has a label that does not start and end with a letter or digit");
    }
    if (label.size() == rest.size()) return true;
    rest.remove_prefix(label.size() + 1);
  }
}

// A rule without a target still claims its path; the target it then matches to has no
// backend, which the proxy answers with 503.
std::shared_ptr<const RouteTarget> target_or_missing(std::shared_ptr<const RouteTarget> target) {
  static const auto* const missing =
      new std::shared_ptr<const RouteTarget>(std::make_shared<const RouteTarget>());
  return target != nullptr ? std::move(target) : *missing;
}

}  // namespace

const RouteTarget* RouteTable::match(std::string_view host, std::string_view path) const {
  const std::string_view name = request_host_name(host);
  if (name.size() <= kMaxHostLength) {
    std::array<char, kMaxHostLength> buffer;
    std::transform(name.begin(), name.end(), buffer.begin(), ascii_lower);
    const std::string_view lower(buffer.data(), name.size());
    if (const auto it = hosts_.find(lower); it != hosts_.end()) {
      if (const RouteTarget* target = it->second.match(path)) return target;
    }
    // The wildcard covers exactly one non-empty label: strip it and look the rest up.
    const std::size_t dot = lower.find('.');
    if (dot != 0 && dot != std::string_view::npos) {
      if (const auto it = wildcard_hosts_.find(lower.substr(dot + 1));
          it != wildcard_hosts_.end()) {
        if (const RouteTarget* target = it->second.match(path)) return target;
      }
    }
  }
  return has_any_host_ ? any_host_.match(path) : nullptr;
}

const RouteTarget* RouteTable::PathTable::match(std::string_view path) const {
  if (const auto it = exact.find(path); it != exact.end()) return it->second.get();

  // Every element-wise prefix of `path`, longest first: the path itself, then the path cut
  // before each '/' from the right, ending with "" (the key of "/", which matches anything).
  const PrefixRule* best = nullptr;
  std::string_view candidate = path;
  while (true) {
    if (const auto it = prefix.find(candidate); it != prefix.end()) {
      best = &it->second;
      break;
    }
    if (candidate.empty()) break;
    const std::size_t slash = candidate.rfind('/');
    candidate = slash == std::string_view::npos ? std::string_view() : candidate.substr(0, slash);
  }

  for (const RegexRule& rule : regex) {
    if (best != nullptr && rule.pattern_length <= best->path_length) break;
    if (rule.regex->Match(path, 0, path.size(), re2::RE2::ANCHOR_START, nullptr, 0)) {
      return rule.target.get();
    }
  }
  return best != nullptr ? best->target.get() : nullptr;
}

bool RouteTable::Builder::add(std::string_view host, const PathRule& rule, std::string* why) {
  std::string name;
  bool wildcard = false;
  if (!host.empty() && !parse_rule_host(host, &name, &wildcard, why)) return false;

  // Everything that can fail is checked before the host's table is created, so a refused
  // rule leaves no empty host behind.
  std::shared_ptr<const re2::RE2> regex;
  if (rule.type == PathType::kRegex) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    regex = std::make_shared<const re2::RE2>(rule.path, options);
    if (!regex->ok()) return fail(why, "invalid regex \"" + rule.path + "\": " + regex->error());
  } else if (!rule.path.starts_with('/')) {
    return fail(why, std::string(type_name(rule.type)) + " path \"" + rule.path +
                         "\" does not start with '/'");
  }

  PathTable* table = &table_.any_host_;
  if (host.empty()) {
    table_.has_any_host_ = true;
  } else {
    table = &(wildcard ? table_.wildcard_hosts_ : table_.hosts_)[name];
  }

  bool added = false;
  switch (rule.type) {
    case PathType::kExact:
      added = table->exact.try_emplace(rule.path, target_or_missing(rule.target)).second;
      break;
    case PathType::kPrefix: {
      std::string_view key = rule.path;
      while (key.ends_with('/')) key.remove_suffix(1);
      added = table->prefix
                  .try_emplace(std::string(key),
                               PrefixRule{rule.path.size(), target_or_missing(rule.target)})
                  .second;
      break;
    }
    case PathType::kRegex: {
      auto& rules = table->regex;
      added = std::none_of(rules.begin(), rules.end(), [&](const RegexRule& taken) {
        return taken.regex->pattern() == rule.path;
      });
      if (added) {
        // Longest pattern first; among equal lengths the earlier rule stays first.
        const auto position = std::find_if(rules.begin(), rules.end(), [&](const RegexRule& r) {
          return r.pattern_length < rule.path.size();
        });
        rules.insert(position,
                     RegexRule{std::move(regex), rule.path.size(), target_or_missing(rule.target)});
      }
      break;
    }
  }
  if (!added) {
    return fail(
        why, std::string(type_name(rule.type)) + " path \"" + rule.path + "\" on " +
                 (host.empty() ? std::string("any host") : "host \"" + std::string(host) + "\"") +
                 " is already taken by an earlier rule");
  }
  return true;
}

RouteTable RouteTable::Builder::build() && {
  return std::move(table_);
}

}  // namespace portico::proxy
