#pragma once
// The bearer token sent with every API request.
#include <chrono>
#include <functional>
#include <mutex>
#include <string>

namespace portico::controller::kube {

// A static token, or a token file re-read at most once per refresh period and at once after
// the server rejected the token, like client-go's cachingTokenSource: the kubelet rotates
// projected service account tokens in place. The token is a secret: it is never logged.
// Thread-safe: one mutex guards the cached token; the rare file read happens under it.
class TokenSource {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr std::chrono::seconds kRefreshPeriod{60};

  // `token_file` wins over `token` when set (client-go does the same).
  TokenSource(
      std::string token, std::string token_file,
      Clock clock = [] { return std::chrono::steady_clock::now(); });

  // The token to send; empty for none. A token file that cannot be read keeps the last token
  // read (and logs a warning), so a transient error does not log the controller out.
  std::string current();

  // The server answered 401: the next current() reads the file again, however recent the
  // last read.
  void invalidate();

 private:
  const std::string token_file_;
  const Clock clock_;
  std::mutex mutex_;
  std::string token_;
  bool fresh_ = false;  // token_ was read within kRefreshPeriod of read_at_
  std::chrono::steady_clock::time_point read_at_;
};

}  // namespace portico::controller::kube
