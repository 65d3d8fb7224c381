#include "proxy/http/syntax.h"

namespace portico::proxy::http::syntax {
namespace {

// The lower-case name of each kind, indexed by FieldKind.
constexpr std::string_view kNames[] = {
    "",                   // kOther
    "connection",         // kConnection
    "content-length",     // kContentLength
    "expect",             // kExpect
    "host",               // kHost
    "keep-alive",         // kKeepAlive
    "proxy-connection",   // kProxyConnection
    "te",                 // kTe
    "trailer",            // kTrailer
    "transfer-encoding",  // kTransferEncoding
    "upgrade",            // kUpgrade
    "x-forwarded-for",    // kXForwardedFor
    "x-forwarded-host",   // kXForwardedHost
    "x-forwarded-port",   // kXForwardedPort
    "x-forwarded-proto",  // kXForwardedProto
    "x-real-ip",          // kXRealIp
    "x-request-id",       // kXRequestId
};

bool folds_to(char c, char lower) {
  return (c | 0x20) == lower;
}

// The only kind `name` can be, judged by its length and, where two names share a length, by
// a byte that tells them apart; kOther when none can.
FieldKind candidate(std::string_view name) {
  switch (name.size()) {
    case 2:
      return FieldKind::kTe;
    case 4:
      return FieldKind::kHost;
    case 6:
      return FieldKind::kExpect;
    case 7:
      return folds_to(name[0], 'u') ? FieldKind::kUpgrade : FieldKind::kTrailer;
    case 9:
      return FieldKind::kXRealIp;
    case 10:
      return folds_to(name[0], 'c') ? FieldKind::kConnection : FieldKind::kKeepAlive;
    case 12:
      return FieldKind::kXRequestId;
    case 14:
      return FieldKind::kContentLength;
    case 15:
      return FieldKind::kXForwardedFor;
    case 16:
      if (folds_to(name[0], 'p')) return FieldKind::kProxyConnection;
      return folds_to(name[12], 'h') ? FieldKind::kXForwardedHost : FieldKind::kXForwardedPort;
    case 17:
      return folds_to(name[0], 't') ? FieldKind::kTransferEncoding : FieldKind::kXForwardedProto;
    default:
      return FieldKind::kOther;
  }
}

}  // namespace

FieldKind classify_field(std::string_view name) {
  const FieldKind kind = candidate(name);
  if (kind == FieldKind::kOther) return kind;
  return equals_lower(name, kNames[static_cast<uint8_t>(kind)]) ? kind : FieldKind::kOther;
}

}  // namespace portico::proxy::http::syntax
