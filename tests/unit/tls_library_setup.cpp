// Runs before main() and before any test touches OpenSSL: see tls_library.h for why the
// unit tests, which create and drop many TLS clients, need it as much as the binary does.
#include "controller/kube/tls_library.h"

namespace {

const bool kTlsLibraryKept = (portico::controller::kube::keep_tls_library_until_exit(), true);

}  // namespace
