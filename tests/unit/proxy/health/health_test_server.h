#pragma once
// A tiny upstream for the health checker's tests: listeners on 127.0.0.1 that answer HTTP
// with a chosen status, or accept and never answer, and can stop and start listening on
// their port. Runs on its own thread; every accessor is thread-safe.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace portico::proxy::health_test {

namespace asio = boost::asio;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

class HealthTestServer {
 public:
  enum class Mode { kAnswer, kHang };

  // What one listener saw.
  struct Stats {
    std::vector<Clock::time_point> accepted;  // in order
    std::vector<std::string> requests;        // request heads answered, in order
    std::vector<uint16_t> answered;           // statuses sent, in order
    // kHang: how long each connection stayed open before the client closed it, and how
    // many bytes the client sent on it.
    std::vector<Clock::duration> held;
    std::size_t hang_bytes = 0;
  };

  // Called on the server thread just before a response with `status` is written.
  using AnswerHook = std::function<void(std::size_t listener, uint16_t status)>;

  explicit HealthTestServer(std::size_t listeners, AnswerHook on_answer = nullptr)
      : on_answer_(std::move(on_answer)), stats_(listeners) {
    for (std::size_t i = 0; i < listeners; ++i) {
      auto acceptor = std::make_shared<tcp::acceptor>(
          context_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
      ports_.push_back(acceptor->local_endpoint().port());
      acceptors_.push_back(acceptor);
      spawn_accept_loop(i, acceptor);
    }
    thread_ = std::thread([this] { context_.run(); });
  }

  ~HealthTestServer() {
    context_.stop();
    thread_.join();
  }

  uint16_t port(std::size_t listener) const { return ports_[listener]; }
  tcp::endpoint endpoint(std::size_t listener) const {
    return tcp::endpoint(asio::ip::make_address("127.0.0.1"), ports_[listener]);
  }

  void set_status(uint16_t status) { status_.store(status); }
  void set_mode(Mode mode) { mode_.store(mode); }

  Stats stats(std::size_t listener) const {
    std::lock_guard lock(mutex_);
    return stats_[listener];
  }

  // Stops listening: connections to the port are refused until listen().
  void close(std::size_t listener) {
    on_server_thread([this, listener] { acceptors_[listener]->close(); });
  }

  // Listens on the same port again.
  void listen(std::size_t listener) {
    on_server_thread([this, listener] {
      auto acceptor = std::make_shared<tcp::acceptor>(context_);
      const tcp::endpoint at = endpoint(listener);
      acceptor->open(at.protocol());
      acceptor->set_option(tcp::acceptor::reuse_address(true));
      acceptor->bind(at);
      acceptor->listen();
      acceptors_[listener] = acceptor;
      spawn_accept_loop(listener, acceptor);
    });
  }

 private:
  void on_server_thread(std::function<void()> task) {
    std::promise<void> done;
    asio::post(context_, [&] {
      task();
      done.set_value();
    });
    done.get_future().wait();
  }

  void spawn_accept_loop(std::size_t listener, std::shared_ptr<tcp::acceptor> acceptor) {
    asio::co_spawn(
        context_,
        [this, listener, acceptor]() -> asio::awaitable<void> {
          for (;;) {
            boost::system::error_code ec;
            tcp::socket socket =
                co_await acceptor->async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
              if (!acceptor->is_open()) co_return;
              continue;
            }
            {
              std::lock_guard lock(mutex_);
              stats_[listener].accepted.push_back(Clock::now());
            }
            asio::co_spawn(context_, serve(listener, std::move(socket)), asio::detached);
          }
        },
        asio::detached);
  }

  asio::awaitable<void> serve(std::size_t listener, tcp::socket socket) {
    const Clock::time_point accepted = Clock::now();
    const bool hang = mode_.load() == Mode::kHang;
    std::string received;
    std::array<char, 1024> chunk;
    for (;;) {
      boost::system::error_code ec;
      const std::size_t n = co_await socket.async_read_some(
          asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
      received.append(chunk.data(), n);
      if (ec) {
        if (hang) {
          std::lock_guard lock(mutex_);
          stats_[listener].held.push_back(Clock::now() - accepted);
          stats_[listener].hang_bytes += received.size();
        }
        co_return;
      }
      if (!hang && received.find("\r\n\r\n") != std::string::npos) break;
    }
    const uint16_t status = status_.load();
    if (on_answer_) on_answer_(listener, status);
    {
      std::lock_guard lock(mutex_);
      stats_[listener].requests.push_back(received);
      stats_[listener].answered.push_back(status);
    }
    const std::string response = "HTTP/1.1 " + std::to_string(status) +
                                 " Test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    boost::system::error_code ec;
    co_await asio::async_write(socket, asio::buffer(response),
                               asio::redirect_error(asio::use_awaitable, ec));
  }

  const AnswerHook on_answer_;
  asio::io_context context_{1};
  // Keeps the thread running while every listener is closed.
  asio::executor_work_guard<asio::io_context::executor_type> work_{context_.get_executor()};
  std::vector<uint16_t> ports_;
  std::vector<std::shared_ptr<tcp::acceptor>> acceptors_;  // server thread once running
  std::atomic<uint16_t> status_{200};
  std::atomic<Mode> mode_{Mode::kAnswer};
  mutable std::mutex mutex_;
  std::vector<Stats> stats_;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace portico::proxy::health_test
