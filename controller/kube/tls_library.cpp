#include "controller/kube/tls_library.h"

#include <openssl/crypto.h>
#include <openssl/ssl.h>

namespace portico::controller::kube {

void keep_tls_library_until_exit() {
  OPENSSL_init_ssl(
      OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS,
      nullptr);
}

}  // namespace portico::controller::kube
