// portico_echo: a real HTTP/1.1 backend for the demo, the integration tests and the
// benchmarks. It answers every request with a JSON description of what it received, and a
// few paths change that so tests can provoke upstream behaviour:
//
//   /status/NNN        that status (200..599), body as the default
//   /delay/MS          waits MS milliseconds, then the default response
//   /bytes/N           N body bytes with Content-Length; ?chunked=1 uses chunked encoding.
//                      Byte i of the body is 'a' + i % 26, so a reader can check offsets.
//   /close             the default response with Connection: close, then closes
//   /hang              reads the request and never answers, until the client closes
//   any Upgrade        101 Switching Protocols, then echoes every byte back until EOF
//
// Request bodies (Content-Length or chunked) are counted, never stored, and /bytes streams
// from one fixed buffer, so memory stays bounded whatever the sizes.
//
// Usage: portico_echo --listen IP:PORT [--listen IP:PORT ...] [--name NAME] [--delay MS]
// --delay MS holds every answer to a parsed request (all of the paths above, /delay on top,
// but not a 101 or a 400 for an unreadable request) for MS milliseconds: a uniformly slow
// backend for the balancing benchmarks. A timer, so other connections are served meanwhile.
// Prints "listening IP:PORT" on stdout once each listener is bound (port 0 prints the real
// port). SIGTERM and SIGINT exit 0.
//
// Threading: one io_context run by the main thread; every connection is one coroutine on it,
// so nothing is shared between threads and nothing is locked.

#include <boost/asio.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/detail/hybi13.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/log.h"

namespace portico::fakes {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using boost::system::error_code;
using Parser = http::request_parser<http::buffer_body>;
using RequestHeader = http::request_header<>;

using Redirect = asio::redirect_error_t<asio::use_awaitable_t<>>;
constexpr std::size_t kAlphabet = 26;
// A multiple of the alphabet, so consecutive writes of the buffer keep the byte pattern.
constexpr std::size_t kPatternBytes = kAlphabet * 2520;
constexpr std::uint64_t kMaxDelayMs = 3'600'000;

const std::array<char, kPatternBytes>& pattern() {
  static const std::array<char, kPatternBytes> bytes = [] {
    std::array<char, kPatternBytes> out{};
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>('a' + i % kAlphabet);
    return out;
  }();
  return bytes;
}

// What a connection needs to know about the socket it was accepted on. Owned by main and
// never moved once the accept loops start.
struct Listener {
  std::string backend_name;
  std::string address;                          // "IP:PORT" as bound, printed and echoed back
  std::chrono::milliseconds response_delay{0};  // --delay, before every answer
};

std::string_view sv(beast::string_view text) {
  return {text.data(), text.size()};
}

bool parse_u64(std::string_view text, std::uint64_t& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// True when `prefix` starts `path` and the rest parses as a number.
bool match_number(std::string_view path, std::string_view prefix, std::uint64_t& out) {
  return path.substr(0, prefix.size()) == prefix && parse_u64(path.substr(prefix.size()), out);
}

bool has_query_param(std::string_view query, std::string_view param) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    if (query.substr(0, amp) == param) return true;
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return false;
}

std::string describe(const Listener& listener, const RequestHeader& request,
                     std::uint64_t body_bytes) {
  std::string out = "{\"backend\":\"";
  log::append_json_escaped(out, listener.backend_name);
  out += "\",\"listen\":\"";
  log::append_json_escaped(out, listener.address);
  out += "\",\"method\":\"";
  log::append_json_escaped(out, sv(request.method_string()));
  out += "\",\"target\":\"";
  log::append_json_escaped(out, sv(request.target()));
  out += "\",\"version\":\"HTTP/";
  out += std::to_string(request.version() / 10) + "." + std::to_string(request.version() % 10);
  out += "\",\"headers\":[";
  bool first = true;
  for (const auto& field : request) {
    out += first ? "[\"" : ",[\"";
    first = false;
    log::append_json_escaped(out, sv(field.name_string()));
    out += "\",\"";
    log::append_json_escaped(out, sv(field.value()));
    out += "\"]";
  }
  out += "],\"body_bytes\":" + std::to_string(body_bytes) + "}\n";
  return out;
}

// The accept key a WebSocket client checks (RFC 6455 section 4.2.2); empty when the client
// sent no well-formed key. Beast's own handshake uses this helper; Boost is pinned at 1.74 by
// Debian bookworm, so the detail namespace is stable for us.
std::string websocket_accept(std::string_view key) {
  namespace ws = beast::websocket::detail;
  if (key.size() != ws::sec_ws_key_type::max_size_n) return {};  // base64 of a 16-byte nonce
  ws::sec_ws_accept_type accept;
  ws::make_sec_ws_accept(accept, {key.data(), key.size()});
  return {accept.data(), accept.size()};
}

// How the response body is framed.
struct Framing {
  bool chunked = false;
  std::uint64_t length = 0;  // when not chunked
};

// One client connection: reads requests in order (pipelined ones wait in `buffer_`) and
// answers each before reading the next. Runs on the io thread only.
class Session {
 public:
  Session(tcp::socket socket, const Listener& listener)
      : socket_(std::move(socket)), listener_(listener) {}

  asio::awaitable<void> run() {
    while (co_await serve_one()) {
    }
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    socket_.close(ignored);
  }

 private:
  // Serves one request; true when the connection stays open for another.
  asio::awaitable<bool> serve_one() {
    Parser parser;
    parser.header_limit(1 << 20);
    // Not boost::none: Beast 1.74 compares the Content-Length against the optional itself, and
    // any length exceeds an empty optional.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    error_code ec;
    co_await http::async_read_header(socket_, buffer_, parser, redirect(ec));
    if (ec) {
      if (ec != http::error::end_of_stream && ec != asio::error::eof &&
          ec != asio::error::connection_reset) {
        co_await write_simple(400, "bad request\n");
      }
      co_return false;
    }
    const RequestHeader& request = parser.get().base();
    if (request.find(http::field::upgrade) != request.end()) {
      co_await echo_upgraded(request);
      co_return false;
    }
    if (beast::iequals(request[http::field::expect], "100-continue")) {
      constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      co_await asio::async_write(socket_, asio::buffer(kContinue), redirect(ec));
      if (ec) co_return false;
    }
    std::uint64_t body_bytes = 0;
    while (!parser.is_done()) {
      parser.get().body().data = scratch_.data();
      parser.get().body().size = scratch_.size();
      co_await http::async_read(socket_, buffer_, parser, redirect(ec));
      if (ec == http::error::need_buffer) ec = {};
      if (ec) co_return false;
      body_bytes += scratch_.size() - parser.get().body().size;
    }
    co_return co_await route(request, parser.keep_alive(), body_bytes);
  }

  asio::awaitable<bool> route(const RequestHeader& request, bool keep_alive,
                              std::uint64_t body_bytes) {
    const std::string_view target = sv(request.target());
    const std::size_t question = target.find('?');
    const std::string_view path = target.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    unsigned status = 200;
    std::uint64_t number = 0;
    if (listener_.response_delay.count() > 0) co_await pause(listener_.response_delay);
    if (path == "/hang") {
      co_await drain();
      co_return false;
    }
    if (path == "/close") {
      keep_alive = false;
    } else if (match_number(path, "/status/", number)) {
      if (number < 200 || number > 599) co_return co_await write_simple(400, "bad status\n");
      status = static_cast<unsigned>(number);
    } else if (match_number(path, "/delay/", number)) {
      co_await pause(std::chrono::milliseconds(std::min(number, kMaxDelayMs)));
    } else if (match_number(path, "/bytes/", number)) {
      const bool chunked = request.version() >= 11 && has_query_param(query, "chunked=1");
      co_return co_await write_pattern(request, keep_alive, number, chunked);
    } else if (path.substr(0, 8) == "/status/" || path.substr(0, 7) == "/delay/" ||
               path.substr(0, 7) == "/bytes/") {
      co_return co_await write_simple(400, "bad number\n");
    }
    const std::string body = describe(listener_, request, body_bytes);
    const bool no_body = status == 204 || status == 304;
    std::string head =
        response_head(status, "application/json", keep_alive,
                      no_body ? std::nullopt : std::optional(Framing{false, body.size()}));
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
    if (no_body || request.method() == http::verb::head) buffers[1] = {};
    error_code ec;
    co_await asio::async_write(socket_, buffers, redirect(ec));
    co_return !ec && keep_alive;
  }

  // Streams `length` bytes of the pattern without ever holding more than one buffer of it.
  asio::awaitable<bool> write_pattern(const RequestHeader& request, bool keep_alive,
                                      std::uint64_t length, bool chunked) {
    error_code ec;
    const std::string head =
        response_head(200, "application/octet-stream", keep_alive, Framing{chunked, length});
    co_await asio::async_write(socket_, asio::buffer(head), redirect(ec));
    if (ec) co_return false;
    if (request.method() == http::verb::head) co_return keep_alive;
    for (std::uint64_t left = length; left > 0 && !ec;) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, kPatternBytes));
      left -= n;
      if (!chunked) {
        co_await asio::async_write(socket_, asio::buffer(pattern().data(), n), redirect(ec));
        continue;
      }
      char size_line[24];
      const int size_len = std::snprintf(size_line, sizeof size_line, "%zx\r\n", n);
      const std::array<asio::const_buffer, 3> chunk{
          asio::buffer(size_line, static_cast<std::size_t>(size_len)),
          asio::buffer(pattern().data(), n), asio::buffer(std::string_view("\r\n"))};
      co_await asio::async_write(socket_, chunk, redirect(ec));
    }
    if (!ec && chunked)
      co_await asio::async_write(socket_, asio::buffer(std::string_view("0\r\n\r\n")),
                                 redirect(ec));
    co_return !ec && keep_alive;
  }

  // Answers 101 and turns the connection into a byte pipe back to the client.
  asio::awaitable<void> echo_upgraded(const RequestHeader& request) {
    std::string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: ";
    head += sv(request[http::field::upgrade]);
    head += "\r\nConnection: Upgrade\r\n";
    const std::string accept = websocket_accept(sv(request[http::field::sec_websocket_key]));
    if (!accept.empty()) head += "Sec-WebSocket-Accept: " + accept + "\r\n";
    head += "X-Backend: " + listener_.backend_name + "\r\n\r\n";
    error_code ec;
    // Bytes the client sent right behind the request head are already in `buffer_`.
    const std::array<asio::const_buffer, 2> first{asio::buffer(head), buffer_.data()};
    co_await asio::async_write(socket_, first, redirect(ec));
    buffer_.consume(buffer_.size());
    while (!ec) {
      const std::size_t n = co_await socket_.async_read_some(asio::buffer(scratch_), redirect(ec));
      if (n > 0)
        co_await asio::async_write(socket_, asio::buffer(scratch_.data(), n), redirect(ec));
    }
  }

  // Waits on a timer, so the io thread serves other connections meanwhile.
  asio::awaitable<void> pause(std::chrono::milliseconds duration) {
    asio::steady_timer timer(socket_.get_executor(), duration);
    error_code ec;
    co_await timer.async_wait(redirect(ec));
  }

  // Reads and discards until the client goes away.
  asio::awaitable<void> drain() {
    error_code ec;
    while (!ec) co_await socket_.async_read_some(asio::buffer(scratch_), redirect(ec));
  }

  // A plain-text response that also ends the connection, for requests we refuse.
  asio::awaitable<bool> write_simple(unsigned status, std::string_view body) {
    const std::string head =
        response_head(status, "text/plain", false, Framing{false, body.size()});
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(head), asio::buffer(body)};
    error_code ec;
    co_await asio::async_write(socket_, buffers, redirect(ec));
    co_return false;
  }

  // Status line and headers; no framing headers when `framing` is empty (204, 304).
  std::string response_head(unsigned status, std::string_view content_type, bool keep_alive,
                            std::optional<Framing> framing) const {
    std::string head = "HTTP/1.1 " + std::to_string(status) + " ";
    const http::status known = http::int_to_status(status);
    head += known == http::status::unknown ? "Unknown" : sv(http::obsolete_reason(known));
    head += "\r\nX-Backend: " + listener_.backend_name;
    head += "\r\nContent-Type: ";
    head += content_type;
    if (framing && framing->chunked) head += "\r\nTransfer-Encoding: chunked";
    if (framing && !framing->chunked)
      head += "\r\nContent-Length: " + std::to_string(framing->length);
    // Beast's keep_alive() already applies the HTTP/1.0 default, so saying it is harmless.
    head += keep_alive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
    return head;
  }

  static Redirect redirect(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

  tcp::socket socket_;
  const Listener& listener_;
  beast::flat_buffer buffer_;
  std::array<char, 64 * 1024> scratch_;
};

asio::awaitable<void> serve(tcp::socket socket, const Listener& listener) {
  Session session(std::move(socket), listener);
  co_await session.run();
}

asio::awaitable<void> accept_loop(tcp::acceptor acceptor, const Listener& listener) {
  for (;;) {
    error_code ec;
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Out of descriptors, most likely: pause rather than spin until connections close.
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(acceptor.get_executor(), serve(std::move(socket), listener), asio::detached);
  }
}

struct Options {
  std::vector<tcp::endpoint> listen;
  std::string name = "echo";
  std::chrono::milliseconds delay{0};
};

std::optional<tcp::endpoint> parse_endpoint(std::string_view text) {
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::uint64_t port = 0;
  if (!parse_u64(text.substr(colon + 1), port) || port > 65535) return std::nullopt;
  error_code ec;
  const auto address = asio::ip::make_address(std::string(host), ec);
  if (ec) return std::nullopt;
  return tcp::endpoint(address, static_cast<unsigned short>(port));
}

std::optional<Options> parse_options(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    if (flag == "--listen") {
      const auto endpoint = parse_endpoint(argv[i + 1]);
      if (!endpoint) return std::nullopt;
      options.listen.push_back(*endpoint);
    } else if (flag == "--name") {
      options.name = argv[i + 1];
    } else if (flag == "--delay") {
      std::uint64_t ms = 0;
      if (!parse_u64(argv[i + 1], ms) || ms > kMaxDelayMs) return std::nullopt;
      options.delay = std::chrono::milliseconds(ms);
    } else {
      return std::nullopt;
    }
  }
  if (argc % 2 == 0 || options.listen.empty()) return std::nullopt;
  return options;
}

std::string format_endpoint(const tcp::endpoint& endpoint) {
  std::ostringstream out;
  out << endpoint;  // brackets IPv6 addresses
  return out.str();
}

int run(int argc, char** argv) {
  const auto options = parse_options(argc, argv);
  if (!options) {
    std::fprintf(stderr,
                 "usage: portico_echo --listen IP:PORT [--listen IP:PORT ...] [--name NAME] "
                 "[--delay MS]\n");
    return 2;
  }
  // Declared before the io_context so it outlives every session that refers to it.
  std::vector<Listener> listeners;
  asio::io_context io(1);
  std::vector<tcp::acceptor> acceptors;
  for (const tcp::endpoint& endpoint : options->listen) {
    tcp::acceptor acceptor(io);
    error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      log::error("cannot listen",
                 {{"address", format_endpoint(endpoint)}, {"error", ec.message()}});
      return 1;
    }
    listeners.push_back(
        {options->name, format_endpoint(acceptor.local_endpoint()), options->delay});
    acceptors.push_back(std::move(acceptor));
  }
  // Before "listening" is printed, so a test may signal as soon as it reads the line.
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](const error_code&, int) { io.stop(); });
  // `listeners` is complete and never changes again, so sessions may keep references into it.
  for (std::size_t i = 0; i < acceptors.size(); ++i) {
    asio::co_spawn(io, accept_loop(std::move(acceptors[i]), listeners[i]), asio::detached);
    std::printf("listening %s\n", listeners[i].address.c_str());
  }
  std::fflush(stdout);
  io.run();
  return 0;
}

}  // namespace
}  // namespace portico::fakes

int main(int argc, char** argv) {
  return portico::fakes::run(argc, argv);
}
