#pragma once
// core/v1 Secret of type kubernetes.io/tls, reduced to the certificate and key it carries.
#include <string>

#include "controller/model/object_meta.h"

namespace portico::controller {

inline constexpr char kTlsSecretType[] = "kubernetes.io/tls";

struct Secret {
  ObjectMeta meta;
  std::string type;
  std::string certificate_pem;  // data["tls.crt"], base64-decoded
  std::string private_key_pem;  // data["tls.key"], base64-decoded

  bool operator==(const Secret&) const = default;
};

}  // namespace portico::controller
