#include "proxy/server/server.h"

#include <future>
#include <thread>

#include <boost/asio/ip/address.hpp>

#include "common/log.h"

namespace portico::proxy {
namespace asio = boost::asio;

Server::Server(ProxyOptions options) : options_(std::move(options)) {}

Server::~Server() {
  if (!workers_.empty() && !draining_) drain_and_stop();
}

Status Server::start() {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options_.listen_address, ec);
  if (ec) return Error{"invalid listen address '" + options_.listen_address + "'"};
  uint16_t port = options_.http_port;
  for (unsigned i = 0; i < options_.workers; ++i) {
    auto worker = std::make_unique<Worker>(i, options_);
    // The first worker resolves port 0 to a real port; the others join it.
    ec = worker->listen(asio::ip::tcp::endpoint(address, port));
    if (ec) {
      return Error{"cannot listen on " + options_.listen_address + ":" + std::to_string(port) +
                   ": " + ec.message()};
    }
    port = worker->bound_port();
    workers_.push_back(std::move(worker));
  }
  port_ = port;
  auto empty = std::make_shared<const RouteSnapshot>();
  for (auto& worker : workers_) worker->start(empty);
  health_checker_.start();
  return Ok{};
}

void Server::publish(std::shared_ptr<const RouteSnapshot> snapshot) {
  const uint64_t generation = snapshot->generation;
  snapshot = reclaimer_.adopt(std::move(snapshot));
  {
    std::lock_guard lock(latest_mutex_);
    latest_ = snapshot;
  }
  health_checker_.update(snapshot);
  for (auto& worker : workers_) worker->publish(snapshot);
  generation_ = generation;
  last_applied_ =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::shared_ptr<const RouteSnapshot> Server::latest_snapshot() const {
  std::lock_guard lock(latest_mutex_);
  return latest_;
}

void Server::drain_and_stop() {
  draining_ = true;
  for (auto& worker : workers_) worker->begin_drain();
  const auto give_up = std::chrono::steady_clock::now() + options_.drain_timeout;
  auto all_finished = [&] {
    for (auto& worker : workers_) {
      if (!worker->finished()) return false;
    }
    return true;
  };
  while (!all_finished() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!all_finished()) {
    log::warn("drain timeout reached, closing remaining connections");
    for (auto& worker : workers_) worker->force_stop();
  }
  for (auto& worker : workers_) worker->join();
  health_checker_.stop();
}

StatsTotals Server::collect(std::chrono::milliseconds timeout) {
  StatsTotals merged;
  for (auto& worker : workers_) {
    if (worker->finished()) continue;
    auto copy = std::make_shared<std::promise<StatsTotals>>();
    std::future<StatsTotals> result = copy->get_future();
    Worker* target = worker.get();
    worker->post([copy, target] { copy->set_value(target->stats().totals()); });
    if (worker->finished() || result.wait_for(timeout) != std::future_status::ready) continue;
    try {
      merged.merge(result.get());
    } catch (const std::future_error&) {
      // The worker stopped before answering (shutdown): nothing to add.
    }
  }
  return merged;
}

}  // namespace portico::proxy
