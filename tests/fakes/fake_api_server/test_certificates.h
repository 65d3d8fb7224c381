#pragma once
// Throw-away PKI for TLS tests: a self-signed CA, a server certificate for 127.0.0.1 and a
// client certificate, all generated in memory with OpenSSL (no files, no `openssl` binary).
#include <string>

namespace portico::testing {

struct TestCertificates {
  std::string ca_pem;           // the CA certificate: trust this, or require clients signed by it
  std::string server_cert_pem;  // SAN IP:127.0.0.1 and DNS:localhost, extendedKeyUsage serverAuth
  std::string server_key_pem;   // PKCS#8 PEM
  std::string client_cert_pem;  // CN portico-test-client, extendedKeyUsage clientAuth
  std::string client_key_pem;   // PKCS#8 PEM
};

// Fresh keys (EC P-256) and certificates valid from an hour ago for a year. Thread-safe.
// Throws std::runtime_error if OpenSSL fails, which only a broken installation does.
TestCertificates make_test_certificates();

}  // namespace portico::testing
