#include "controller/kube/response_body.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace portico::controller::kube {
namespace {

// How much of a body is taken from cpprestsdk's buffer at a time.
constexpr std::size_t kPieceBytes = 64u << 10;

}  // namespace

BodyEnd read_body(const web::http::http_response& response,
                  const std::function<bool(std::string_view)>& on_piece) {
  concurrency::streams::streambuf<uint8_t> buffer = response.body().streambuf();
  std::vector<uint8_t> piece(kPieceBytes);
  for (;;) {
    const auto first = buffer.getc().get();
    if (first == concurrency::streams::streambuf<uint8_t>::traits::eof()) {
      return BodyEnd::kComplete;
    }
    const std::size_t want = std::min(buffer.in_avail(), piece.size());
    const std::size_t got = buffer.getn(piece.data(), want).get();
    const std::string_view view(reinterpret_cast<const char*>(piece.data()), got);
    if (!on_piece(view)) return BodyEnd::kStopped;
  }
}

}  // namespace portico::controller::kube
