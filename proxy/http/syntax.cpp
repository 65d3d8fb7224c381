#include "proxy/http/syntax.h"

namespace portico::proxy::http::syntax {
namespace {

// `lower` is a lower-case literal, so only `name` needs folding.
bool equals_lower(std::string_view name, std::string_view lower) {
  if (name.size() != lower.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (to_lower(name[i]) != lower[i]) return false;
  }
  return true;
}

}  // namespace

FieldKind classify_field(std::string_view name) {
  struct Known {
    std::string_view name;
    FieldKind kind;
  };
  static constexpr Known kKnown[] = {
      {"te", FieldKind::kTe},
      {"host", FieldKind::kHost},
      {"expect", FieldKind::kExpect},
      {"upgrade", FieldKind::kUpgrade},
      {"trailer", FieldKind::kTrailer},
      {"x-real-ip", FieldKind::kXRealIp},
      {"connection", FieldKind::kConnection},
      {"keep-alive", FieldKind::kKeepAlive},
      {"x-request-id", FieldKind::kXRequestId},
      {"content-length", FieldKind::kContentLength},
      {"x-forwarded-for", FieldKind::kXForwardedFor},
      {"proxy-connection", FieldKind::kProxyConnection},
      {"x-forwarded-host", FieldKind::kXForwardedHost},
      {"x-forwarded-port", FieldKind::kXForwardedPort},
      {"transfer-encoding", FieldKind::kTransferEncoding},
      {"x-forwarded-proto", FieldKind::kXForwardedProto},
  };
  // Sorted by length: the scan stops at the first longer name, and a name of another length
  // costs one size comparison.
  for (const Known& known : kKnown) {
    if (known.name.size() > name.size()) break;  // the table is sorted by length
    if (equals_lower(name, known.name)) return known.kind;
  }
  return FieldKind::kOther;
}

}  // namespace portico::proxy::http::syntax
