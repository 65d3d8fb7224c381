#include "controller/kube/token_source.h"

#include <fstream>
#include <iterator>

#include "common/log.h"

namespace portico::controller::kube {
namespace {

// A service account token is a JWT of a few KiB; a larger file is not a token.
constexpr std::size_t kMaxTokenBytes = 64u << 10;

bool read_token(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string text;
  text.resize(kMaxTokenBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad() || static_cast<std::size_t>(in.gcount()) > kMaxTokenBytes) return false;
  text.resize(static_cast<std::size_t>(in.gcount()));
  // client-go trims the file's whitespace: editors and `echo` add a trailing newline.
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  text.erase(end == std::string::npos ? 0 : end + 1);
  text.erase(0, text.find_first_not_of(" \t\r\n"));
  if (text.empty()) return false;
  out = std::move(text);
  return true;
}

}  // namespace

TokenSource::TokenSource(std::string token, std::string token_file, Clock clock)
    : token_file_(std::move(token_file)), clock_(std::move(clock)), token_(std::move(token)) {}

std::string TokenSource::current() {
  std::lock_guard lock(mutex_);
  if (token_file_.empty()) return token_;
  const auto now = clock_();
  if (fresh_ && now - read_at_ < kRefreshPeriod) return token_;
  // Whether or not the read works, wait a period before the next one: a missing file must not
  // turn every request into a file read.
  fresh_ = true;
  read_at_ = now;
  if (!read_token(token_file_, token_)) {
    log::warn("cannot read the API token file; keeping the last token", {{"file", token_file_}});
  }
  return token_;
}

void TokenSource::invalidate() {
  std::lock_guard lock(mutex_);
  fresh_ = false;
}

}  // namespace portico::controller::kube
