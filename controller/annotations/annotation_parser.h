#pragma once
// What the annotation parsers in this folder share (one parser per annotation, each with its
// validation and documentation, in the shape of ingress-nginx's
// internal/ingress/annotations/*). A parser turns an annotation's text into a typed value
// or a problem; nothing else ever sees the text: messages quote it escaped and shortened.
// Pure functions; any thread.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portico::controller::annotations {

using Annotations = std::map<std::string, std::string>;

// "annotation NAME value "TEXT": WHY", with TEXT escaped and shortened by quote_value().
std::string describe(std::string_view annotation, std::string_view text, std::string_view why);

// Portico's own annotations are either valid or invalid. ingress-nginx's are either mapped
// onto Portico's meaning or ignored, since many of their values are nginx configuration that
// has no meaning here.
enum class Outcome {
  kAbsent,
  kValue,
  kIgnored,  // an ingress-nginx value Portico does not implement: only this annotation is lost
  kInvalid,  // a value that is wrong, not just foreign: the Ingress falls back to defaults
};

template <typename T>
struct Parsed {
  Outcome outcome = Outcome::kAbsent;
  T value{};            // meaningful when outcome is kValue
  std::string problem;  // for kIgnored and kInvalid: names the annotation and quotes its value

  static Parsed absent() { return {}; }
  static Parsed of(T value) { return {Outcome::kValue, std::move(value), {}}; }
  static Parsed ignored(std::string_view annotation, std::string_view text, std::string_view why) {
    return {Outcome::kIgnored, T{}, describe(annotation, text, why)};
  }
  static Parsed invalid(std::string_view annotation, std::string_view text, std::string_view why) {
    return {Outcome::kInvalid, T{}, describe(annotation, text, why)};
  }
};

// A setting assembled from several annotations (a Service's health check, an Ingress' retry
// policy), with one message per annotation refused or ignored.
template <typename T>
struct Annotated {
  T value{};
  std::vector<std::string> problems;
};

// Applies one parsed annotation to the setting it controls: a value replaces `setting`; an
// invalid or ignored one leaves it as it is and adds its message to `problems`, an invalid
// one naming `kept`, the text of the setting that stays in force.
template <typename T, typename Setting>
void apply(Parsed<T> parsed, Setting& setting, std::string_view kept,
           std::vector<std::string>& problems) {
  switch (parsed.outcome) {
    case Outcome::kAbsent:
      return;
    case Outcome::kValue:
      setting = std::move(parsed.value);
      return;
    case Outcome::kIgnored:
      problems.push_back(std::move(parsed.problem) + "; ignored");
      return;
    case Outcome::kInvalid:
      problems.push_back(std::move(parsed.problem) + "; the default (" + std::string(kept) +
                         ") applies");
      return;
  }
}

// The annotation's value with surrounding whitespace removed (as ingress-nginx does: YAML
// block scalars end in a newline), or nullopt when the Ingress does not carry it.
std::optional<std::string_view> find_annotation(const Annotations& annotations,
                                                std::string_view name);

// `text` in double quotes, safe in logs and Kubernetes Events: quotes, backslashes and bytes
// outside printable ASCII are escaped, and text beyond 64 bytes is cut and marked "...".
std::string quote_value(std::string_view text);

// An RFC 9110 token (section 5.6.2): what header field names are, and what RFC 6265 cookie
// names are (its token is RFC 2616's, the same set of characters).
bool is_http_token(std::string_view text);

}  // namespace portico::controller::annotations
