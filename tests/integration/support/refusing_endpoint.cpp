#include "tests/integration/support/refusing_endpoint.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace portico::testing {

RefusingEndpoint::RefusingEndpoint(const std::string& ip) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  inet_pton(AF_INET, ip.c_str(), &address.sin_addr);
  socklen_t length = sizeof address;
  if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd_);
    throw std::runtime_error("cannot bind a port on " + ip);
  }
  backend_.ip = ip;
  backend_.port = ntohs(address.sin_port);
}

RefusingEndpoint::~RefusingEndpoint() {
  ::close(fd_);
}

}  // namespace portico::testing
