#pragma once
// Incremental, strict validator/decoder of a chunked message body (RFC 9112 section 7.1).
// The proxy forwards the original bytes (so chunk boundaries and trailers pass unchanged)
// and uses the decoder to know exactly where the body ends; it also yields the payload for
// peers that cannot take chunked framing (HTTP/1.0 clients). Bad chunk sizes (non-hex,
// more than 16 hex digits, overflow), missing CRLF after data, bare CR or LF, and
// malformed extensions or trailers are errors.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace portico::proxy::http {

class ChunkedDecoder {
 public:
  enum class Status : uint8_t { kNeedMore, kDone, kError };

  struct Step {
    std::size_t consumed = 0;  // input bytes this step used (framing and payload)
    std::string_view payload;  // chunk data inside the consumed bytes; may be empty
    Status status = Status::kNeedMore;
  };

  explicit ChunkedDecoder(std::size_t max_trailer_bytes = 16 * 1024)
      : max_trailer_bytes_(max_trailer_bytes) {}

  // Consumes a prefix of `input`. Call again with the rest while consumed > 0 and the status
  // is kNeedMore. kDone means the last chunk and trailers ended at input[consumed - 1];
  // bytes after it belong to the next message. After kError the decoder stays in error.
  Step step(std::string_view input);

  void reset();
  bool done() const;

 private:
  // Implementation state (defined in chunked_decoder.cpp).
  enum class State : uint8_t;
  State state_{};
  uint64_t remaining_ = 0;  // payload bytes left in the current chunk
  unsigned size_digits_ = 0;
  std::size_t trailer_bytes_ = 0;
  std::size_t max_trailer_bytes_;
};

}  // namespace portico::proxy::http
