#include "controller/annotations/nginx_upstream_hash_by.h"

#include <algorithm>

namespace portico::controller::annotations {
namespace {

constexpr std::string_view kHeaderVariable = "http_";
constexpr std::string_view kCookieVariable = "cookie_";

// The characters of an nginx variable name.
bool is_variable_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// The variable `text` names, without "$" or "${...}", or "" when it is anything else.
std::string_view variable_of(std::string_view text) {
  if (!text.starts_with('$')) return {};
  std::string_view name = text.substr(1);
  if (name.starts_with('{')) {
    if (!name.ends_with('}')) return {};
    name = name.substr(1, name.size() - 2);
  }
  return is_variable_name(name) ? name : std::string_view{};
}

// nginx names $http_ variables by lower-casing the header and turning dashes into
// underscores; this undoes that as far as it can be undone.
std::string header_name(std::string_view variable_suffix) {
  std::string out(variable_suffix);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    if (c == '_') return '-';
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

}  // namespace

Parsed<HashKey> parse_nginx_upstream_hash_by(const Annotations& annotations) {
  const std::optional<std::string_view> text =
      find_annotation(annotations, kNginxUpstreamHashByAnnotation);
  if (!text) return Parsed<HashKey>::absent();
  const std::string_view variable = variable_of(*text);
  if (variable == "remote_addr" || variable == "binary_remote_addr") {
    return Parsed<HashKey>::of({proxy::HashSource::kClientIp, ""});
  }
  if (variable == "request_uri" || variable == "uri") {
    return Parsed<HashKey>::of({proxy::HashSource::kPath, ""});
  }
  if (variable.starts_with(kHeaderVariable) && variable.size() > kHeaderVariable.size()) {
    return Parsed<HashKey>::of(
        {proxy::HashSource::kHeader, header_name(variable.substr(kHeaderVariable.size()))});
  }
  if (variable.starts_with(kCookieVariable) && variable.size() > kCookieVariable.size()) {
    return Parsed<HashKey>::of(
        {proxy::HashSource::kCookie, std::string(variable.substr(kCookieVariable.size()))});
  }
  return Parsed<HashKey>::ignored(
      kNginxUpstreamHashByAnnotation, *text,
      "Portico maps only one of $remote_addr, $binary_remote_addr, $request_uri, $uri, "
      "$http_<name> or $cookie_<name> (use portico.io/hash-by)");
}

}  // namespace portico::controller::annotations
