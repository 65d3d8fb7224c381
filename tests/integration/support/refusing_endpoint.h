#pragma once
// An upstream address where nothing listens: the port is bound (so no other process can
// take it while the test runs) but never listened on, so every connect is refused at once.
#include <string>

#include "tests/integration/support/portico_fixture.h"

namespace portico::testing {

class RefusingEndpoint {
 public:
  explicit RefusingEndpoint(const std::string& ip);
  ~RefusingEndpoint();
  RefusingEndpoint(const RefusingEndpoint&) = delete;
  RefusingEndpoint& operator=(const RefusingEndpoint&) = delete;

  // For service_yaml(): the address, with no process behind it.
  const Backend& backend() const { return backend_; }

 private:
  int fd_ = -1;
  Backend backend_;
};

}  // namespace portico::testing
