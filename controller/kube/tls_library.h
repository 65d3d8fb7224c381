#pragma once
// OpenSSL's lifetime in a process that uses cpprestsdk over TLS.
namespace portico::controller::kube {

// Stops OpenSSL from registering its atexit cleanup. cpprestsdk frees pooled TLS connections
// from its static thread pool's destructor, which can run after that cleanup and then crashes
// in SSL_free (cpprestsdk issues 1480 and 1482). Without the cleanup the operating system
// reclaims OpenSSL's memory at exit. Must run before anything else initializes OpenSSL (it
// has no effect after), so main() and test binaries call it first. Any thread; idempotent.
void keep_tls_library_until_exit();

}  // namespace portico::controller::kube
