#pragma once
// Reading a cpprestsdk response body piece by piece as it arrives, so that callers can bound
// it (a list, a metrics page) or cut it into lines (a watch) without waiting for the end.
// Blocks the calling thread; any thread.
#include <functional>
#include <string_view>

#include <cpprest/http_msg.h>

namespace portico::controller::kube {

enum class BodyEnd { kComplete, kStopped };

// Hands `on_piece` the body as cpprestsdk receives it, in pieces of at most 64 KiB, until the
// body ends or `on_piece` returns false. cpprestsdk's producer/consumer buffer only completes
// a read of N bytes once N bytes arrived, so this waits for one byte (getc) and then takes
// exactly what is there. Throws what cpprestsdk throws; the caller converts.
BodyEnd read_body(const web::http::http_response& response,
                  const std::function<bool(std::string_view)>& on_piece);

}  // namespace portico::controller::kube
